//! The envelope's other formats agree with the JSON envelope, for every fixture, every parse case
//! of the conformance table and arbitrary answers:
//! - PHP's `serialize()` format (`envelope::parse_response_php`, what the PHP package reads): read
//!   back by an independent strict reader, it is the same PHP array `json_decode(…, true)` makes
//!   of the JSON envelope, and it never holds anything but arrays, strings, integers, floats,
//!   booleans and null (the reader refuses objects and references), whatever the answer holds;
//! - and the JSON envelope itself, written by the crate's own writer, is byte for byte what
//!   serde_json writes for the same value.

mod common;

use common::conformance::{self, Call};
use common::php_format::{from_json, unserialize, Php};
use inpost_quick_returns::{envelope, parse_response, Operation};
use proptest::prelude::*;

/// The envelope as serde_json writes it: the reference for the crate's own JSON writer.
fn serde_json_envelope(operation: &str, status: u16, body: &[u8]) -> String {
    #[derive(serde::Serialize)]
    struct Success<'a, T> {
        ok: bool,
        value: &'a T,
    }
    #[derive(serde::Serialize)]
    struct Failure<'a> {
        ok: bool,
        error: ErrorBody<'a>,
    }
    #[derive(serde::Serialize)]
    struct ErrorBody<'a> {
        kind: &'a str,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        field: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        key: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
    }
    match operation
        .parse::<Operation>()
        .and_then(|op| parse_response(op, status, body))
    {
        Ok(value) => serde_json::to_string(&Success {
            ok: true,
            value: &value,
        }),
        Err(err) => serde_json::to_string(&Failure {
            ok: false,
            error: ErrorBody {
                kind: err.kind().as_str(),
                message: err.to_string(),
                field: err.field(),
                key: err.key(),
                status: err.status(),
            },
        }),
    }
    .unwrap()
}

/// Both envelopes of one parse, compared as PHP sees them; returns the PHP value.
fn agree(operation: &str, status: u16, body: &[u8]) -> Result<Php, TestCaseError> {
    let json = envelope::parse_response(operation, status, body);
    prop_assert_eq!(&json, &serde_json_envelope(operation, status, body));
    let mut php = Vec::new();
    envelope::parse_response_php(&mut php, operation, status, body);
    let read = unserialize(&php)
        .map_err(|e| TestCaseError::fail(format!("{e} in {}", String::from_utf8_lossy(&php))))?;
    prop_assert_eq!(
        &read,
        &from_json(&json),
        "{} vs {}",
        String::from_utf8_lossy(&php),
        json
    );
    // Linear: at most a few bytes of markup per JSON token (`""` becomes `s:0:"";`).
    prop_assert!(
        php.len() <= 4 * json.len(),
        "{} vs {}",
        php.len(),
        json.len()
    );

    Ok(read)
}

fn ok_flag(value: &Php) -> Option<bool> {
    match value {
        Php::Array(entries) => entries.iter().find_map(|(k, v)| match (k, v) {
            (common::php_format::Key::Str(k), Php::Bool(b)) if k == b"ok" => Some(*b),
            _ => None,
        }),
        _ => None,
    }
}

#[test]
fn every_fixture_reads_the_same_through_both_formats() {
    let dir = conformance::tests_dir().join("fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    let mut successes = 0;
    for path in files {
        let body = std::fs::read(&path).unwrap();
        for operation in Operation::ALL {
            for status in [200, 500] {
                let value = agree(operation.name(), status, &body)
                    .unwrap_or_else(|e| panic!("{}: {operation}: {e}", path.display()));
                successes += usize::from(ok_flag(&value) == Some(true));
            }
        }
    }
    assert!(successes > 10, "only {successes} fixtures parsed");
}

#[test]
fn every_parse_case_of_the_conformance_table_reads_the_same() {
    let mut count = 0;
    for case in conformance::cases() {
        if let Call::Parse {
            operation,
            status,
            body,
        } = &case.call
        {
            agree(operation, *status, body).unwrap_or_else(|e| panic!("{}: {e}", case.id));
            count += 1;
        }
    }
    assert!(count > 20, "{count} parse cases");
}

#[test]
fn usage_errors_read_the_same() {
    for operation in ["", "getreport", "\u{0}x", "Łódź\";O:8:\"stdClass\":0:{}"] {
        let value = agree(operation, 200, b"<paczkomaty/>").unwrap();
        assert_eq!(ok_flag(&value), Some(false));
    }
    let mut out = Vec::new();
    envelope::usage_error_php(&mut out, "body is a null pointer but body_len is not 0");
    assert_eq!(
        unserialize(&out).unwrap(),
        from_json(&envelope::usage_error(
            "body is a null pointer but body_len is not 0"
        ))
    );
}

/// Text that tries every trick on a PHP-serialized reader: quotes, semicolons, braces, object and
/// reference markers, NUL, multi-byte characters, entities.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\";",
        "O:8:\"stdClass\":0:{}",
        "C:3:\"Foo\":0:{}",
        "r:1;",
        "R:2;",
        "E:7:\"Foo:Bar\";",
        "a:1:{i:0;N;}",
        "s:5:\"",
        "}",
        "\0",
        "Łódź",
        "😀",
        "&amp;",
        "&#0;",
        "&lt;",
        "123",
        " ",
        "true",
        "",
    ]);
    prop::collection::vec(pieces, 0..6).prop_map(|p| p.concat())
}

/// An XML-ish element name: known fields, digits (PHP turns "5" into an integer key), repeats.
fn name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "code",
        "active",
        "rma",
        "used",
        "5",
        "0",
        "05",
        "x",
        "x#2",
        "uuid",
        "labelAttached",
        "valid",
        "senderEmail",
    ])
    .prop_map(str::to_owned)
}

fn element() -> impl Strategy<Value = String> {
    (name(), hostile_text()).prop_map(|(n, t)| format!("<{n}>{t}</{n}>"))
}

/// An answer of one of the shapes the parser knows, with hostile names and text inside.
fn answer() -> impl Strategy<Value = Vec<u8>> {
    let record = prop::collection::vec(element(), 0..6)
        .prop_map(|e| format!("<0>{}</0>", e.concat()))
        .boxed();
    prop_oneof![
        prop::collection::vec(record.clone(), 0..4)
            .prop_map(|r| format!("<paczkomaty><return>{}</return></paczkomaty>", r.concat())),
        // List items and fields side by side under <return>.
        prop::collection::vec(prop_oneof![record, element()], 0..5)
            .prop_map(|r| format!("<paczkomaty><return>{}</return></paczkomaty>", r.concat())),
        prop::collection::vec(element(), 0..6)
            .prop_map(|e| format!("<paczkomaty><return>{}</return></paczkomaty>", e.concat())),
        (hostile_text(), hostile_text()).prop_map(|(k, m)| format!(
            "<paczkomaty><error key=\"{}\">{m}</error></paczkomaty>",
            k.replace(['"', '<', '&'], "")
        )),
    ]
    .prop_map(String::into_bytes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn structured_answers_read_the_same(body in answer(), status in prop::sample::select(vec![200u16, 400, 502])) {
        for operation in Operation::ALL {
            agree(operation.name(), status, &body)?;
        }
    }

    #[test]
    fn arbitrary_bytes_read_the_same(body in prop::collection::vec(any::<u8>(), 0..200)) {
        for operation in Operation::ALL {
            agree(operation.name(), 200, &body)?;
        }
    }
}

#[test]
fn built_requests_are_written_as_serde_json_writes_them() {
    #[derive(serde::Serialize)]
    struct Success<'a, T> {
        ok: bool,
        value: &'a T,
    }
    let mut count = 0;
    for case in conformance::cases() {
        if let Call::Build {
            operation,
            config,
            input,
        } = &case.call
        {
            let (config, input) = (config.to_string(), input.to_string());
            if let Ok(request) = envelope::build_request_json(operation, &config, &input) {
                let reference = serde_json::to_string(&Success {
                    ok: true,
                    value: &request,
                })
                .unwrap();
                assert_eq!(
                    envelope::build_request(operation, &config, &input),
                    reference,
                    "{}",
                    case.id
                );
                count += 1;
            }
        }
    }
    assert!(count > 10, "{count} built");
}
