//! `application/x-www-form-urlencoded` decoding, written here on purpose.
//!
//! InPost's call is three form fields (`email`, `password`, `content`); the `content` field carries
//! the whole request XML percent-encoded. Decoding is where client bugs hide (an unencoded `&` or
//! `+` in a password, double encoding, a stray `%`), so this decoder is strict: a `%` not followed
//! by two hex digits, or bytes that are not UTF-8 after decoding, are errors, not silently kept.
//! `+` means a space, as in HTML forms.

use std::fmt;

/// Why a form body or query string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// A `%` not followed by two hexadecimal digits.
    BadPercentEscape,
    /// The decoded bytes of a name or value are not UTF-8.
    NotUtf8,
    /// The same field name appears twice (ambiguous: PHP keeps the last, others the first).
    Duplicate(String),
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::BadPercentEscape => f.write_str("bad percent escape"),
            FormError::NotUtf8 => f.write_str("decoded bytes are not UTF-8"),
            FormError::Duplicate(name) => write!(f, "duplicate field {name}"),
        }
    }
}

/// Decoded form fields in the order sent. Field names are unique (duplicates are an error).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    fields: Vec<(String, String)>,
}

impl Form {
    /// The value of field `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// Decodes one percent-encoded component (`+` is a space).
pub fn decode_component(raw: &[u8]) -> Result<String, FormError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = raw.get(i + 1).and_then(|b| hex_value(*b));
                let lo = raw.get(i + 2).and_then(|b| hex_value(*b));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => return Err(FormError::BadPercentEscape),
                }
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| FormError::NotUtf8)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes a whole form body or query string: `name=value` pairs joined by `&`. Empty pairs
/// (`a=1&&b=2`, a trailing `&`) are skipped; a pair without `=` is a field with an empty value.
pub fn parse(raw: &[u8]) -> Result<Form, FormError> {
    let mut form = Form::default();
    for pair in raw.split(|b| *b == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(eq) => (&pair[..eq], &pair[eq + 1..]),
            None => (pair, &pair[pair.len()..]),
        };
        let name = decode_component(name)?;
        let value = decode_component(value)?;
        if form.get(&name).is_some() {
            return Err(FormError::Duplicate(name));
        }
        form.fields.push((name, value));
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_fields() {
        let f =
            parse(b"email=a%40b.pl&password=p%26ss+w%2Brd&content=%3Cpaczkomaty%2F%3E").unwrap();
        assert_eq!(f.get("email"), Some("a@b.pl"));
        assert_eq!(f.get("password"), Some("p&ss w+rd"));
        assert_eq!(f.get("content"), Some("<paczkomaty/>"));
        assert_eq!(f.len(), 3);
        assert_eq!(f.get("nope"), None);
    }

    #[test]
    fn utf8_and_edge_cases() {
        let f = parse("x=Zam%C3%B3wienie&&flag&=empty&".as_bytes()).unwrap();
        assert_eq!(f.get("x"), Some("Zamówienie"));
        assert_eq!(f.get("flag"), Some(""));
        assert_eq!(f.get(""), Some("empty"));
        assert!(parse(b"").unwrap().is_empty());
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = crate::rng::XorShift::new(99);
        for _ in 0..5000 {
            let len = rng.below(40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| match rng.below(4) {
                    0 => b'%',
                    1 => b'&',
                    2 => b'=',
                    _ => rng.below(256) as u8,
                })
                .collect();
            let _ = parse(&bytes);
        }
    }

    #[test]
    fn strict_errors() {
        assert_eq!(parse(b"a=%"), Err(FormError::BadPercentEscape));
        assert_eq!(parse(b"a=%4"), Err(FormError::BadPercentEscape));
        assert_eq!(parse(b"a=%zz"), Err(FormError::BadPercentEscape));
        assert_eq!(parse(b"a=%FF%FE"), Err(FormError::NotUtf8));
        assert_eq!(parse(b"a=\xff"), Err(FormError::NotUtf8));
        assert_eq!(
            parse(b"a=1&a=2"),
            Err(FormError::Duplicate("a".to_string()))
        );
    }
}
