//! An independent, strict reader of PHP's `serialize()` format as the library writes it, and the
//! PHP array `json_decode($json, true)` makes of a JSON value, so that the two envelopes can be
//! compared as PHP would see them. Shared by `tests/envelope_formats.rs` and the C ABI's unit tests.
//!
//! The reader accepts only arrays, strings, integers, floats, booleans and null: any other marker
//! (`O:` object, `C:` custom object, `E:` enum, `r:`/`R:` reference) is an error, as is anything
//! left over after the value.

#![allow(dead_code)]

/// A PHP value, as `unserialize()` or `json_decode(…, true)` yields it.
#[derive(Debug, Clone, PartialEq)]
pub enum Php {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Vec<u8>),
    /// Keys in order, as PHP keeps them.
    Array(Vec<(Key, Php)>),
}

/// An array key: PHP turns a decimal-integer string key into an integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Int(i64),
    Str(Vec<u8>),
}

impl Key {
    /// The key PHP stores for the string `s` (`"5"` becomes 5, `"05"` and `"-0"` stay strings).
    pub fn from_string(s: &[u8]) -> Key {
        let digits = s.strip_prefix(b"-").unwrap_or(s);
        let canonical = !digits.is_empty()
            && digits.iter().all(u8::is_ascii_digit)
            && (digits[0] != b'0' || digits.len() == 1)
            && s != b"-0";
        if canonical {
            if let Ok(n) = std::str::from_utf8(s).unwrap().parse::<i64>() {
                return Key::Int(n);
            }
        }
        Key::Str(s.to_vec())
    }
}

/// Reads one value that must span all of `bytes`.
pub fn unserialize(bytes: &[u8]) -> Result<Php, String> {
    let mut reader = Reader { bytes, pos: 0 };
    let value = reader.value(0)?;
    if reader.pos != bytes.len() {
        return Err(format!(
            "{} bytes left after the value",
            bytes.len() - reader.pos
        ));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn expect(&mut self, what: &[u8]) -> Result<(), String> {
        if self.bytes[self.pos..].starts_with(what) {
            self.pos += what.len();
            Ok(())
        } else {
            Err(format!(
                "expected {:?} at byte {}",
                String::from_utf8_lossy(what),
                self.pos
            ))
        }
    }

    /// Text up to (not including) `end`, which is consumed.
    fn until(&mut self, end: u8) -> Result<&[u8], String> {
        let rest = &self.bytes[self.pos..];
        let len = rest
            .iter()
            .position(|&b| b == end)
            .ok_or_else(|| format!("no {:?} after byte {}", end as char, self.pos))?;
        self.pos += len + 1;
        Ok(&rest[..len])
    }

    fn integer(&mut self, end: u8) -> Result<i64, String> {
        let text = self.until(end)?;
        let text = std::str::from_utf8(text).map_err(|e| e.to_string())?;
        let digits = text.strip_prefix('-').unwrap_or(text);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("not an integer: {text:?}"));
        }
        text.parse().map_err(|e| format!("{text:?}: {e}"))
    }

    fn value(&mut self, depth: usize) -> Result<Php, String> {
        if depth > 64 {
            return Err("nested too deeply".into());
        }
        let marker = *self.bytes.get(self.pos).ok_or("unexpected end")?;
        match marker {
            b'N' => self.expect(b"N;").map(|()| Php::Null),
            b'b' => {
                self.expect(b"b:")?;
                let v = match self.until(b';')? {
                    b"0" => false,
                    b"1" => true,
                    other => return Err(format!("bad boolean {other:?}")),
                };
                Ok(Php::Bool(v))
            }
            b'i' => {
                self.expect(b"i:")?;
                self.integer(b';').map(Php::Int)
            }
            b'd' => {
                self.expect(b"d:")?;
                let text = String::from_utf8(self.until(b';')?.to_vec()).unwrap();
                let v = match text.as_str() {
                    "INF" => f64::INFINITY,
                    "-INF" => f64::NEG_INFINITY,
                    "NAN" => f64::NAN,
                    t => t.parse().map_err(|e| format!("float {t:?}: {e}"))?,
                };
                Ok(Php::Float(v))
            }
            b's' => self.string().map(Php::Str),
            b'a' => {
                self.expect(b"a:")?;
                let count = self.integer(b':')?;
                if count < 0 {
                    return Err("negative count".into());
                }
                self.expect(b"{")?;
                let mut entries: Vec<(Key, Php)> = Vec::new();
                for _ in 0..count {
                    let key = match self.bytes.get(self.pos) {
                        Some(b'i') => {
                            self.expect(b"i:")?;
                            Key::Int(self.integer(b';')?)
                        }
                        Some(b's') => Key::from_string(&self.string()?),
                        _ => return Err(format!("bad key at byte {}", self.pos)),
                    };
                    let value = self.value(depth + 1)?;
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(format!("duplicate key {key:?}"));
                    }
                    entries.push((key, value));
                }
                self.expect(b"}")?;
                Ok(Php::Array(entries))
            }
            other => Err(format!(
                "marker {:?} at byte {} is not allowed",
                other as char, self.pos
            )),
        }
    }

    fn string(&mut self) -> Result<Vec<u8>, String> {
        self.expect(b"s:")?;
        let len = usize::try_from(self.integer(b':')?).map_err(|e| e.to_string())?;
        self.expect(b"\"")?;
        let end = self
            .pos
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len())
            .ok_or("string runs past the end")?;
        let text = self.bytes[self.pos..end].to_vec();
        self.pos = end;
        self.expect(b"\";")?;
        Ok(text)
    }
}

/// What `json_decode($json, true)` makes of JSON text: objects keep their members' order.
pub fn from_json(json: &str) -> Php {
    serde_json::from_str::<Php>(json).expect("JSON text")
}

impl<'de> serde::Deserialize<'de> for Php {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Php, D::Error> {
        use serde::de::{MapAccess, SeqAccess, Visitor};
        struct Json;
        impl<'de> Visitor<'de> for Json {
            type Value = Php;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Php, E> {
                Ok(Php::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Php, E> {
                Ok(Php::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Php, E> {
                Ok(Php::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Php, E> {
                Ok(i64::try_from(v).map_or(Php::Float(v as f64), Php::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Php, E> {
                Ok(Php::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Php, E> {
                Ok(Php::Str(v.as_bytes().to_vec()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Php, A::Error> {
                let mut items = Vec::new();
                while let Some(v) = seq.next_element::<Php>()? {
                    items.push((Key::Int(items.len() as i64), v));
                }
                Ok(Php::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Php, A::Error> {
                let mut entries: Vec<(Key, Php)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Php>()? {
                    let key = Key::from_string(k.as_bytes());
                    // As in PHP, a repeated key keeps its first place and takes the last value.
                    match entries.iter_mut().find(|(existing, _)| *existing == key) {
                        Some(entry) => entry.1 = v,
                        None => entries.push((key, v)),
                    }
                }
                Ok(Php::Array(entries))
            }
        }
        deserializer.deserialize_any(Json)
    }
}
