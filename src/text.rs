//! Small text helpers shared by the modules: safe excerpts of untrusted bytes.

/// A short, printable excerpt of untrusted bytes for an error message: at most `max_chars`
/// characters, invalid UTF-8 replaced, control characters and runs of white space folded into one
/// space, `…` appended when cut, and form-encoded credentials blanked (a proxy's error page may
/// echo the request body, which holds them).
pub(crate) fn excerpt(bytes: &[u8], max_chars: usize) -> String {
    redact_credentials(&fold(bytes, max_chars))
}

/// Replaces the value of each `password=` and `email=` (up to `&`, a space, a quote, `<` or the
/// first non-ASCII character) with `[redacted]`.
fn redact_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(eq) = rest.find('=') {
        let (head, tail) = rest.split_at(eq + 1);
        out.push_str(head);
        rest = tail;
        if head.ends_with("password=") || head.ends_with("email=") {
            let end = rest
                .bytes()
                .position(|b| matches!(b, b'&' | b'"' | b'\'' | b'<' | b' ') || !b.is_ascii())
                .unwrap_or(rest.len());
            out.push_str("[redacted]");
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

fn fold(bytes: &[u8], max_chars: usize) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(max_chars * 4)]);
    let mut out = String::new();
    let mut count = 0;
    let mut last_space = true;
    for c in text.chars() {
        let c = if c.is_whitespace() || c.is_control() {
            ' '
        } else {
            c
        };
        if c == ' ' && last_space {
            continue;
        }
        if count == max_chars {
            out.push('…');
            return out;
        }
        last_space = c == ' ';
        out.push(c);
        count += 1;
    }
    if bytes.len() > max_chars * 4 {
        out.push('…');
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn folds_white_space_and_control_characters() {
        assert_eq!(excerpt(b"  <html>\r\n\t<body>\x00x", 80), "<html> <body> x");
    }

    #[test]
    fn cuts_long_text_with_an_ellipsis() {
        assert_eq!(excerpt("ąęółżźćń".as_bytes(), 3), "ąęó…");
        assert_eq!(excerpt(&[b'a'; 500], 5), "aaaaa…");
    }

    #[test]
    fn form_encoded_credentials_are_blanked() {
        let page = b"<pre>POST /?do=x email=shop%40example.pl&password=p%26ss+w&content=%3Cpaczkomaty%3E</pre>";
        let text = excerpt(page, 200);
        assert_eq!(
            text,
            "<pre>POST /?do=x email=[redacted]&password=[redacted]&content=%3Cpaczkomaty%3E</pre>"
        );
        assert_eq!(excerpt(b"password=secret", 12), "password=[redacted]…");
    }

    #[test]
    fn replaces_invalid_utf8() {
        assert_eq!(excerpt(b"ab\xffcd", 10), "ab\u{fffd}cd");
    }
}
