//! The form body InPost expects: `email=…&password=…&content=…`, each value percent-encoded.

/// `email=…&password=…&content=…`, every value form-encoded (a password with `&` or `+` survives).
pub(super) fn body(email: &str, password: &str, content: &str) -> String {
    let mut body = String::with_capacity(content.len() * 3 / 2 + email.len() + password.len() + 32);
    for (i, (name, value)) in [
        ("email", email),
        ("password", password),
        ("content", content),
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            body.push('&');
        }
        body.push_str(name);
        body.push('=');
        form_encode_into(&mut body, value);
    }
    body
}

/// `application/x-www-form-urlencoded` as browsers write it: alphanumerics and `*-._` stay,
/// space becomes `+`, every other byte is `%XX`.
fn form_encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_escapes_everything_but_the_safe_set() {
        let mut out = String::new();
        form_encode_into(&mut out, "a b&c=d+e%f/ó*-._");
        assert_eq!(out, "a+b%26c%3Dd%2Be%25f%2F%C3%B3*-._");
    }
}
