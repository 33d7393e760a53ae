//! Small text helpers shared by the modules: safe excerpts of untrusted bytes.

/// A short, printable excerpt of untrusted bytes for an error message: at most `max_chars`
/// characters, invalid UTF-8 replaced, control characters and runs of white space folded into one
/// space, `…` appended when cut.
pub(crate) fn excerpt(bytes: &[u8], max_chars: usize) -> String {
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
    fn replaces_invalid_utf8() {
        assert_eq!(excerpt(b"ab\xffcd", 10), "ab\u{fffd}cd");
    }
}
