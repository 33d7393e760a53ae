//! Credentials echoed the ways an answer can echo them, for the redaction property test and the
//! hostile fuzz target (shared by path).

#![allow(dead_code)]

/// Percent-encoding as the core writes a form body.
pub fn form(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn json(value: &str) -> String {
    let quoted = serde_json::to_string(value).unwrap();
    quoted[1..quoted.len() - 1].to_owned()
}

/// XML and HTML escaping alike.
pub fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#039;")
}

/// How many shapes [`echo`] writes.
pub const SHAPES: usize = 5;
/// How many places [`answer`] puts an echo in.
pub const CONTEXTS: usize = 8;

/// The login echoed in one shape, under keys spelt one of four ways.
pub fn echo(shape: usize, keys: usize, email: &str, password: &str) -> String {
    let (e, p) = [
        ("email", "password"),
        ("EMAIL", "PASSWORD"),
        ("E-mail", "Password"),
        ("senderEmail", "newPassword"),
    ][keys % 4];
    match shape {
        0 => format!(
            "{e}={}&{p}={}&content=%3Cpaczkomaty%2F%3E",
            form(email),
            form(password)
        ),
        1 => format!(
            r#"{{"{e}": "{}", "{p}":"{}", "x": 1}}"#,
            json(email),
            json(password)
        ),
        2 => format!(
            "<{e}>{}</{e}>\n<{p}>{}</{p}>",
            escape(email),
            escape(password)
        ),
        3 => format!("{e}: {email}\n{p}: {password}\nnext line"),
        _ => format!(
            r#"<input {e}="{}" {p}="{}" />"#,
            escape(email),
            escape(password)
        ),
    }
}

/// The echo in one place an answer can carry it; the HTTP status with it.
pub fn answer(context: usize, echo: &str) -> (u16, Vec<u8>) {
    let text = match context {
        0 => format!(
            "<html><head><title>502</title></head><body><pre>{}</pre></body></html>",
            escape(echo)
        ),
        1 => format!("Bad gateway. Request: {echo}"),
        2 => format!(
            r#"<?xml version="1.0"?><paczkomaty><error key="Auth">Złe dane: {}</error></paczkomaty>"#,
            escape(echo)
        ),
        3 => format!(
            r#"<paczkomaty><error key="Auth">{}</error></paczkomaty>"#,
            escape(&escape(echo))
        ),
        4 => format!("<paczkomaty><a>{echo}</b></paczkomaty>"),
        5 => format!("<paczkomaty><return><note>{}", escape(echo)),
        6 => echo.to_owned(),
        _ => return (502, [b"\xff\xfe ".as_slice(), echo.as_bytes()].concat()),
    };
    (if context == 0 { 502 } else { 200 }, text.into_bytes())
}

/// Every 6-character piece of a secret.
pub fn windows(secret: &str) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    chars.windows(6).map(|w| w.iter().collect()).collect()
}
