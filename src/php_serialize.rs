//! PHP's `serialize()` format for the envelope, so that the PHP package reads a parsed answer with
//! `unserialize($s, ['allowed_classes' => false])`, about five times faster than `json_decode`
//! of the same value (README, Performance).
//!
//! Only arrays (`a:`), strings (`s:`, length in bytes), integers (`i:`), floats (`d:`), booleans
//! (`b:`) and null (`N;`) are ever written: there is no code path for objects (`O:`, `C:`) or
//! references (`r:`, `R:`), whatever the values hold, and a string's bytes are written after its
//! length, never parsed again. A struct and a map become an array with string keys (integer keys
//! where the key is an integer), a sequence a list. Work and output are linear in the value: each
//! byte of text is copied once, behind a header of at most 26 bytes.
//!
//! Hand-written rather than taken from the `serde_php` crate (last release 2020) or its fork
//! `php_serde`: they write every length through `core::fmt` and an `io::Write`, bring a
//! deserializer this library does not need, and neither is maintained.

use serde::ser::{self, Impossible, Serialize};
use std::fmt;

/// Writes `value` in PHP's `serialize()` format, appending to `out`.
pub(crate) fn to_writer<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    value.serialize(&mut Serializer { out })
}

/// Appends `i:n;`, e.g. the key of a list's `n`th element.
pub(crate) fn write_int(out: &mut Vec<u8>, n: i64) {
    Serializer { out }.int(n);
}

/// Appends `a:len:{`, the start of an array of `len` elements (closed by `}`).
pub(crate) fn write_array_start(out: &mut Vec<u8>, len: usize) {
    out.extend_from_slice(b"a:");
    push_u64(out, len as u64);
    out.extend_from_slice(b":{");
}

/// A value this format does not write: a map or sequence of unknown length, a key that is not a
/// string or integer, an enum variant carrying data. None occurs in this library's values.
#[derive(Debug)]
pub(crate) struct Error(&'static str);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Error("a value could not be serialized")
    }
}

struct Serializer<'a> {
    out: &'a mut Vec<u8>,
}

/// Appends the decimal digits of `n`.
fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

impl Serializer<'_> {
    fn int(&mut self, n: i64) {
        self.out.extend_from_slice(b"i:");
        if n < 0 {
            self.out.push(b'-');
        }
        push_u64(self.out, n.unsigned_abs());
        self.out.push(b';');
    }

    fn uint(&mut self, n: u64) -> Result<(), Error> {
        // PHP's integers are signed 64-bit: a larger one would come back as a float.
        let n = i64::try_from(n).map_err(|_| Error("an integer beyond PHP's range"))?;
        self.int(n);
        Ok(())
    }

    fn string(&mut self, bytes: &[u8]) {
        let len = bytes.len();
        self.out.reserve(len + 26);
        // Most texts are shorter than 100 bytes: their header is written in one piece.
        if len < 10 {
            self.out
                .extend_from_slice(&[b's', b':', b'0' + len as u8, b':', b'"']);
        } else if len < 100 {
            let (tens, ones) = (b'0' + (len / 10) as u8, b'0' + (len % 10) as u8);
            self.out
                .extend_from_slice(&[b's', b':', tens, ones, b':', b'"']);
        } else {
            self.out.extend_from_slice(b"s:");
            push_u64(self.out, len as u64);
            self.out.extend_from_slice(b":\"");
        }
        self.out.extend_from_slice(bytes);
        self.out.extend_from_slice(b"\";");
    }

    fn array(&mut self, len: Option<usize>) -> Result<(), Error> {
        let len = len.ok_or(Error("a sequence or map of unknown length"))?;
        write_array_start(self.out, len);
        Ok(())
    }
}

impl<'a, 'b> ser::Serializer for &'a mut Serializer<'b> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = List<'a, 'b>;
    type SerializeTuple = List<'a, 'b>;
    type SerializeTupleStruct = List<'a, 'b>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"b:1;" } else { b"b:0;" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.uint(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        // Rust's shortest round-trip decimal; PHP reads it with strtod. INF, -INF and NAN are
        // PHP's own spellings.
        let text = if v.is_nan() {
            "NAN".to_owned()
        } else if v.is_infinite() {
            if v > 0.0 { "INF" } else { "-INF" }.to_owned()
        } else {
            v.to_string()
        };
        self.out.extend_from_slice(b"d:");
        self.out.extend_from_slice(text.as_bytes());
        self.out.push(b';');
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"N;");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(Error("an enum variant with data"))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<List<'a, 'b>, Error> {
        self.array(len)?;
        Ok(List {
            serializer: self,
            index: 0,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<List<'a, 'b>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<List<'a, 'b>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error("an enum variant with data"))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, Error> {
        self.array(len)?;
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, Error> {
        // Serde's derive counts the fields it will write, skipped ones excluded.
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error("an enum variant with data"))
    }
}

/// A sequence: a PHP list, keys `i:0;`, `i:1;`…
struct List<'a, 'b> {
    serializer: &'a mut Serializer<'b>,
    index: i64,
}

impl ser::SerializeSeq for List<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.serializer.int(self.index);
        self.index += 1;
        value.serialize(&mut *self.serializer)
    }
    fn end(self) -> Result<(), Error> {
        self.serializer.out.push(b'}');
        Ok(())
    }
}

impl ser::SerializeTuple for List<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for List<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for &mut Serializer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(Key(self))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Error> {
        self.out.push(b'}');
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Serializer<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.string(key.as_bytes());
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Error> {
        self.out.push(b'}');
        Ok(())
    }
}

/// An array key: a string or an integer, nothing else (as in PHP).
struct Key<'a, 'b>(&'a mut Serializer<'b>);

fn not_a_key<T>() -> Result<T, Error> {
    Err(Error("a map key that is not a string or an integer"))
}

impl ser::Serializer for Key<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.0.string(v.as_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.0.string(v.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.0.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.0.uint(v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_bool(self, _v: bool) -> Result<(), Error> {
        not_a_key()
    }
    fn serialize_f32(self, _v: f32) -> Result<(), Error> {
        not_a_key()
    }
    fn serialize_f64(self, _v: f64) -> Result<(), Error> {
        not_a_key()
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        not_a_key()
    }
    fn serialize_none(self) -> Result<(), Error> {
        not_a_key()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        not_a_key()
    }
    fn serialize_unit(self) -> Result<(), Error> {
        not_a_key()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        not_a_key()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        not_a_key()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        not_a_key()
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        not_a_key()
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        not_a_key()
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        not_a_key()
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        not_a_key()
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        not_a_key()
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        not_a_key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn php<T: Serialize + ?Sized>(value: &T) -> String {
        let mut out = Vec::new();
        to_writer(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn scalars() {
        assert_eq!(php(&true), "b:1;");
        assert_eq!(php(&false), "b:0;");
        assert_eq!(php(&()), "N;");
        assert_eq!(php(&None::<u8>), "N;");
        assert_eq!(php(&0u16), "i:0;");
        assert_eq!(php(&502u16), "i:502;");
        assert_eq!(php(&i64::MIN), "i:-9223372036854775808;");
        assert_eq!(php(&u64::MAX.to_string()), "s:20:\"18446744073709551615\";");
        assert_eq!(php(&1.5f64), "d:1.5;");
        assert_eq!(php(&f64::NEG_INFINITY), "d:-INF;");
        let mut out = Vec::new();
        assert!(to_writer(&mut out, &u64::MAX).is_err());
    }

    #[test]
    fn strings_count_bytes_and_are_written_verbatim() {
        assert_eq!(php("Łódź"), "s:7:\"Łódź\";");
        assert_eq!(php(""), "s:0:\"\";");
        // Quotes, semicolons, braces and what looks like an object or a reference stay text.
        let hostile = "\";O:8:\"stdClass\":0:{}r:1;R:2;}";
        assert_eq!(php(hostile), format!("s:{}:\"{hostile}\";", hostile.len()));
        assert_eq!(php("a\0b"), "s:3:\"a\0b\";");
        for len in [9, 10, 99, 100, 1000] {
            let text = "x".repeat(len);
            assert_eq!(php(&text), format!("s:{len}:\"{text}\";"));
        }
    }

    #[test]
    fn structs_maps_and_lists_are_arrays() {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Record<'a> {
            code: Option<&'a str>,
            label_attached: bool,
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<u8>,
            list: Vec<u8>,
            map: BTreeMap<&'a str, Option<&'a str>>,
        }
        let value = Record {
            code: Some("123"),
            label_attached: false,
            skipped: None,
            list: vec![7, 8],
            map: [("x", None), ("5", Some("y"))].into_iter().collect(),
        };
        assert_eq!(
            php(&value),
            "a:4:{s:4:\"code\";s:3:\"123\";s:13:\"labelAttached\";b:0;\
             s:4:\"list\";a:2:{i:0;i:7;i:1;i:8;}s:3:\"map\";a:2:{s:1:\"5\";s:1:\"y\";s:1:\"x\";N;}}"
        );
        assert_eq!(php(&Vec::<u8>::new()), "a:0:{}");
    }

    #[test]
    fn keys_are_strings_or_integers_only() {
        let ints: BTreeMap<i32, bool> = [(-1, true)].into_iter().collect();
        assert_eq!(php(&ints), "a:1:{i:-1;b:1;}");
        let bools: BTreeMap<bool, bool> = [(true, true)].into_iter().collect();
        assert!(to_writer(&mut Vec::new(), &bools).is_err());
    }
}
