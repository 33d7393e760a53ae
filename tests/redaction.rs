//! No fragment of the login in any error the core makes: for random credentials, echoed in each
//! shape an answer can take (form, JSON, XML elements raw or escaped, `key: value`, attributes) and
//! in each place one can stand (a proxy's page, a plain-text body, InPost's own `<error>`, broken
//! or truncated XML, a body that is not UTF-8), no 6-character piece of the password or the e-mail
//! appears in the error, typed or through the JSON envelope.

mod common;

use common::echoes::{answer, echo, windows, CONTEXTS, SHAPES};
use inpost_quick_returns::{envelope, parse_response, Operation};
use proptest::prelude::*;

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
        let (status, body) = answer(context, &echo(shape, keys, &email, &password));
        // A piece of a secret that the answer's own wording holds proves nothing.
        let (_, scaffold) = answer(context, &echo(shape, keys, "", ""));
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
