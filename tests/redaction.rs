//! No fragment of the login in any error the core makes: for random credentials, echoed in each
//! shape an answer can take (form, JSON, XML elements raw or escaped, `key: value`, attributes) and
//! in each place one can stand (a proxy's page, a plain-text body, InPost's own `<error>`, broken
//! or truncated XML, a body that is not UTF-8), no 6-character piece of the password or the e-mail
//! appears in the error, typed or through the JSON envelope.

use inpost_quick_returns::{envelope, parse_response, Operation};
use proptest::prelude::*;

/// Percent-encoding as the core writes a form body.
fn form(value: &str) -> String {
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

fn json(value: &str) -> String {
    let quoted = serde_json::to_string(value).unwrap();
    quoted[1..quoted.len() - 1].to_owned()
}

/// XML and HTML escaping alike.
fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#039;")
}

const SHAPES: usize = 5;
const CONTEXTS: usize = 8;

/// The login echoed in one shape, under keys spelt one of four ways.
fn echo(shape: usize, keys: usize, email: &str, password: &str) -> String {
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
fn answer(context: usize, echo: &str) -> (u16, Vec<u8>) {
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

fn windows(secret: &str) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    chars.windows(6).map(|w| w.iter().collect()).collect()
}

/// Every error message the core makes for this answer, for each operation and both faces.
fn messages(status: u16, body: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for operation in Operation::ALL {
        if let Err(err) = parse_response(operation, status, body) {
            out.push(err.to_string());
        }
        let json: serde_json::Value =
            serde_json::from_str(&envelope::parse_response(operation.name(), status, body))
                .unwrap();
        if let Some(message) = json["error"]["message"].as_str() {
            out.push(message.to_owned());
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn no_six_characters_of_the_login_reach_an_error(
        password in "[ -~ąęł€😀]{8,40}",
        email in "[a-z0-9._%+-]{3,16}@[a-z0-9-]{3,12}\\.(pl|com)",
        shape in 0..SHAPES,
        keys in 0..4usize,
        context in 0..CONTEXTS,
    ) {
        let echo = echo(shape, keys, &email, &password);
        let (status, body) = answer(context, &echo);
        // A piece of a secret that the answer's own wording holds proves nothing.
        let (_, scaffold) = answer(context, &self::echo(shape, keys, "", ""));
        let scaffold = String::from_utf8_lossy(&scaffold);
        let messages = messages(status, &body);
        prop_assert!(!messages.is_empty());
        for secret in [&password, &email] {
            for piece in windows(secret) {
                if scaffold.contains(&piece) || piece.trim().len() < 6 {
                    continue;
                }
                for message in &messages {
                    prop_assert!(
                        !message.contains(&piece),
                        "{piece:?} of {secret:?} in {message:?} (shape {shape}, context {context})"
                    );
                }
            }
        }
    }
}

#[test]
fn the_error_keeps_what_is_not_a_credential() {
    let (status, body) = answer(2, &echo(1, 0, "shop@example.pl", "hunter2hunter2"));
    let err = parse_response(Operation::GetReport, status, &body).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"InPost answered with an error (Auth): Złe dane: {"email": "[redacted]", "password":"[redacted]", "x": 1}"#
    );
    let (status, body) = answer(0, &echo(0, 0, "shop@example.pl", "hunter2"));
    let message = parse_response(Operation::GetReport, status, &body)
        .unwrap_err()
        .to_string();
    assert!(
        message
            .contains("email=[redacted]&amp;password=[redacted]&amp;content=%3Cpaczkomaty%2F%3E"),
        "{message}"
    );
}

#[test]
fn parsed_values_are_not_redacted() {
    // Records legitimately carry e-mails: only error text is redacted, never a value.
    let body = b"<paczkomaty><return><0><operatorEmail>shop@example.pl</operatorEmail>\
<senderEmail>jan@example.pl</senderEmail><note>password=abc</note></0></return></paczkomaty>";
    let json = envelope::parse_response("getReport", 200, body);
    assert!(
        json.contains(r#""operatorEmail":"shop@example.pl""#),
        "{json}"
    );
    assert!(json.contains(r#""senderEmail":"jan@example.pl""#), "{json}");
    assert!(json.contains(r#""note":"password=abc""#), "{json}");
}
