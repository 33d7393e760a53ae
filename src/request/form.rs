//! The form body InPost expects: `email=…&password=…&content=…`, each value percent-encoded.
//!
//! The body is written in one pass: [`FormBody::new`] writes the login, then the XML document is
//! written straight into `content` in its encoded form (`xml_write` calls [`FormBody::encode`]),
//! with no intermediate XML string.

/// A form body being written. It only ever holds ASCII.
pub(crate) struct FormBody {
    out: String,
}

impl FormBody {
    /// `email=…&password=…&content=`, ready for the content.
    pub fn new(email: &str, password: &str) -> Self {
        let mut out = String::with_capacity(1024);
        out.push_str("email=");
        encode_into(&mut out, email, verbatim);
        out.push_str("&password=");
        encode_into(&mut out, password, verbatim);
        out.push_str("&content=");
        FormBody { out }
    }

    /// Appends `value` form-encoded, each byte for which `escape` gives a replacement replaced
    /// first (XML's escapes, for text inside the content document).
    #[inline]
    pub fn encode(&mut self, value: &str, escape: impl Fn(u8) -> Option<&'static str>) {
        encode_into(&mut self.out, value, escape);
    }

    /// Appends text that is already form-encoded, or needs no encoding (XML element names, which
    /// are ASCII letters and digits).
    #[inline]
    pub fn encoded(&mut self, ascii: &str) {
        debug_assert!(
            ascii.bytes().all(|b| SAFE[b as usize] || b == b'%'),
            "{ascii}"
        );
        self.out.push_str(ascii);
    }

    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn truncate(&mut self, len: usize) {
        self.out.truncate(len);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// The bytes `application/x-www-form-urlencoded` keeps as they are, as browsers write it:
/// alphanumerics and `*-._`.
const SAFE: [bool; 256] = {
    let mut safe = [false; 256];
    let mut b = 0;
    while b < 256 {
        safe[b] =
            matches!(b as u8, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_');
        b += 1;
    }
    safe
};

/// No replacement: every byte is form-encoded as it is.
fn verbatim(_: u8) -> Option<&'static str> {
    None
}

/// Form-encodes `value` onto `out`: runs of safe bytes are copied at once, space becomes `+`,
/// every other byte `%XX`, unless `escape` replaces it (the replacement is encoded the same way).
fn encode_into(out: &mut String, value: &str, escape: impl Fn(u8) -> Option<&'static str>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = value.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if SAFE[b as usize] {
            continue;
        }
        // A run of safe bytes is ASCII, so it starts and ends on character boundaries.
        if start < i {
            out.push_str(&value[start..i]);
        }
        start = i + 1;
        if b == b' ' {
            out.push('+');
        } else if let Some(replacement) = escape(b) {
            encode_into(out, replacement, verbatim);
        } else {
            out.push('%');
            out.push(char::from(HEX[(b >> 4) as usize]));
            out.push(char::from(HEX[(b & 15) as usize]));
        }
    }
    if start < bytes.len() {
        out.push_str(&value[start..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: &str) -> String {
        let mut out = String::new();
        encode_into(&mut out, value, verbatim);
        out
    }

    #[test]
    fn form_encoding_escapes_everything_but_the_safe_set() {
        assert_eq!(
            encode("a b&c=d+e%f/ó*-._"),
            "a+b%26c%3Dd%2Be%25f%2F%C3%B3*-._"
        );
        assert_eq!(encode(""), "");
        assert_eq!(encode("  "), "++");
    }

    #[test]
    fn replacements_are_encoded_too() {
        let mut out = String::new();
        encode_into(&mut out, "a&b c", |b| (b == b'&').then_some("&amp;"));
        assert_eq!(out, "a%26amp%3Bb+c");
    }

    #[test]
    fn the_body_starts_with_the_login() {
        let mut body = FormBody::new("a@b.pl", "p&ss word");
        body.encoded("%3Cx%3E");
        assert_eq!(
            body.finish(),
            "email=a%40b.pl&password=p%26ss+word&content=%3Cx%3E"
        );
    }
}
