//! The JSON face shared by the C ABI, the wasm module and the command line: operation names and
//! JSON text in, the contract's envelope out — `{"ok":true,"value":…}` or
//! `{"ok":false,"error":{…}}`. Serde's errors become `invalid_input` naming the field here.
//! These functions never panic on any input. The shapes and kinds are the contract's
//! (`docs/contract.md`, "Shapes" and "Envelope and error kinds").
//!
//! [`parse_response_php`] writes the same envelope in PHP's `serialize()` format for the PHP
//! package, which reads it with `unserialize()` several times faster than with `json_decode()`.

use serde::{Deserialize, Serialize};

use crate::{Config, Error, Operation, Request};

/// Builds the request of `operation` from config and input JSON; returns the envelope.
pub fn build_request(operation: &str, config_json: &str, input_json: &str) -> String {
    match build_request_json(operation, config_json, input_json) {
        Ok(request) => ok(&request),
        Err(err) => error(&err),
    }
}

/// Parses InPost's answer to `operation`; returns the envelope.
pub fn parse_response(operation: &str, status: u16, body: &[u8]) -> String {
    let parsed = operation
        .parse::<Operation>()
        .and_then(|op| crate::parse_response(op, status, body));
    match parsed {
        Ok(value) => ok(&value),
        Err(err) => error(&err),
    }
}

/// [`parse_response`] with the envelope in PHP's `serialize()` format, appended to `out`: the
/// same value, as arrays, strings, integers, booleans and null only (never an object or a
/// reference), for `unserialize($s, ['allowed_classes' => false])`. Text is copied verbatim, so
/// strings hold NUL bytes where the answer's text did: use the written length, not a C string's.
/// A `getReport` answer's envelope is written while the answer is read, record by record, with
/// no typed report in between: beyond `out`, the parse holds one record's memory.
pub fn parse_response_php(out: &mut Vec<u8>, operation: &str, status: u16, body: &[u8]) {
    // The envelope is about as long as the body: one allocation in the common case.
    out.reserve(body.len() + body.len() / 8 + 256);
    let operation = operation.parse::<Operation>();
    if operation == Ok(Operation::GetReport) && (200..300).contains(&status) {
        let start = out.len();
        match write_report_php(out, status, body) {
            Ok(true) => return,
            // Records to reorder (or one that could not be written): the general way below.
            Ok(false) => out.truncate(start),
            Err(err) => {
                out.truncate(start);
                write_php(out, &failure(&err, &err.to_string()));
                return;
            }
        }
    }
    write_parsed_php(out, operation, status, body);
}

/// [`parse_response_php`] through the typed value, for every operation.
fn write_parsed_php(
    out: &mut Vec<u8>,
    operation: Result<Operation, Error>,
    status: u16,
    body: &[u8],
) {
    let parsed = operation.and_then(|op| crate::parse_response(op, status, body));
    match &parsed {
        Ok(value) => write_php(out, &Success { ok: true, value }),
        Err(err) => write_php(out, &failure(err, &err.to_string())),
    }
}

/// The success envelope of `getReport` up to its list of records.
const REPORT_PHP_START: &[u8] = b"a:2:{s:2:\"ok\";b:1;s:5:\"value\";a:1:{s:7:\"records\";";
/// The longest start of an array: `a:`, 20 digits, `:{`.
const ARRAY_START_MAX: usize = 24;

/// Writes a `getReport` success envelope while the answer is read, each record as soon as it is
/// complete: no typed report is built, and memory beyond `out` is one record's. Gives way
/// (returns `Ok(false)`, `out` to be cut back) when the answer also has fields directly under
/// `<return>`, whose record would have to come first.
fn write_report_php(out: &mut Vec<u8>, status: u16, body: &[u8]) -> Result<bool, Error> {
    use crate::php_serialize::{to_writer, write_array_start, write_int};
    out.extend_from_slice(REPORT_PHP_START);
    // The number of records is only known at the end: the records go after room for the
    // array's start, and move back once it is written.
    let head = out.len();
    out.resize(head + ARRAY_START_MAX, 0);
    let first = out.len();
    let mut count = 0;
    let mut written = true;
    let single = crate::response::stream_report(status, body, &mut |record| {
        write_int(out, count);
        count += 1;
        written &= to_writer(out, record).is_ok();
    })?;
    if single.is_some() || !written {
        return Ok(false);
    }
    let mut array_start = Vec::with_capacity(ARRAY_START_MAX);
    write_array_start(&mut array_start, count as usize);
    let records = head + array_start.len();
    out[head..records].copy_from_slice(&array_start);
    out.copy_within(first.., records);
    out.truncate(out.len() - (first - records));
    // The list of records, the value, the envelope.
    out.extend_from_slice(b"}}}");
    Ok(true)
}

/// An error envelope of kind `usage` in PHP's `serialize()` format, appended to `out`.
pub fn usage_error_php(out: &mut Vec<u8>, message: &str) {
    let err = Error::usage(message);
    write_php(out, &failure(&err, &err.to_string()));
}

fn write_php<T: Serialize>(out: &mut Vec<u8>, envelope: &T) {
    let start = out.len();
    if crate::php_serialize::to_writer(out, envelope).is_err() {
        // Not reached: the values of this crate are arrays, strings, integers, booleans, null.
        out.truncate(start);
        out.extend_from_slice(FALLBACK_PHP.as_bytes());
    }
}

/// An error envelope of kind `usage` with this message.
pub fn usage_error(message: &str) -> String {
    error(&Error::usage(message))
}

/// [`crate::build_request`] with the operation named and config and input given as JSON text.
pub fn build_request_json(
    operation: &str,
    config_json: &str,
    input_json: &str,
) -> Result<crate::HttpRequest, Error> {
    let operation: Operation = operation.parse()?;
    check_syntax("config", config_json)?;
    check_syntax("input", input_json)?;
    let config: Config = deserialize_named("config", config_json)?;
    let input = match operation {
        Operation::GenerateActiveCode => {
            Request::GenerateActiveCode(deserialize_named("", input_json)?)
        }
        Operation::GenerateInactiveCodes => {
            Request::GenerateInactiveCodes(deserialize_named("", input_json)?)
        }
        Operation::ActivateCode => Request::ActivateCode(deserialize_named("", input_json)?),
        Operation::InvalidateCode => Request::InvalidateCode(deserialize_named("", input_json)?),
        Operation::GetReport => Request::GetReport(deserialize_named("", input_json)?),
    };
    crate::build_request(&config, &input)
}

/// Text that is not JSON at all is a `usage` error; JSON that is not an object, or has the wrong
/// shape, is `invalid_input` naming the field.
fn check_syntax(what: &str, json: &str) -> Result<(), Error> {
    serde_json::from_str::<serde::de::IgnoredAny>(json)
        .map_err(|e| Error::usage(format!("the {what} is not valid JSON ({e})")))?;
    // Serde would also take an array for a struct; only an object is meant.
    if !json.trim_start().starts_with('{') {
        return Err(Error::invalid_input(what, "must be a JSON object"));
    }
    Ok(())
}

#[derive(Serialize)]
struct Success<'a, T> {
    ok: bool,
    value: &'a T,
}

#[derive(Serialize)]
struct Failure<'a> {
    ok: bool,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    kind: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
}

fn failure<'a>(err: &'a Error, message: &'a str) -> Failure<'a> {
    Failure {
        ok: false,
        error: ErrorBody {
            kind: err.kind().as_str(),
            message,
            field: err.field(),
            key: err.key(),
            status: err.status(),
        },
    }
}

/// `{"ok":true,"value":…}`.
pub fn ok<T: Serialize>(value: &T) -> String {
    json(&Success { ok: true, value })
}

/// `{"ok":false,"error":{"kind","message","field"?,"key"?,"status"?}}`.
pub fn error(err: &Error) -> String {
    json(&failure(err, &err.to_string()))
}

/// The envelope as JSON, written by this crate's `json_write` (byte for byte what serde_json
/// writes, faster, and a fraction of its size in the `.wasm`). This crate's values are all
/// written without fail.
fn json<T: Serialize>(envelope: &T) -> String {
    crate::json_write::to_string(envelope).unwrap_or_else(|_| FALLBACK.to_owned())
}

/// Written should serializing ever fail, so that every call still returns a valid envelope.
const FALLBACK: &str =
    r#"{"ok":false,"error":{"kind":"usage","message":"the result could not be written as JSON"}}"#;

/// [`FALLBACK`] in PHP's `serialize()` format.
const FALLBACK_PHP: &str = "a:2:{s:2:\"ok\";b:0;s:5:\"error\";a:2:{s:4:\"kind\";s:5:\"usage\";\
s:7:\"message\";s:57:\"the result could not be written in PHP's serialize format\";}}";

/// Deserializes `T`, turning a failure into `invalid_input` with the path of the offending value
/// under `prefix` (`""` for an operation's input, `"config"` for the config). A value of the wrong
/// type or an unknown field is an `invalid_input` error naming the field.
fn deserialize_named<'de, T: Deserialize<'de>>(prefix: &str, json: &'de str) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let mut message = err.inner().to_string();
        let field = match (prefix, path.as_str()) {
            ("", ".") => "input".to_owned(),
            (prefix, ".") => prefix.to_owned(),
            ("", path) => path.to_owned(),
            (prefix, path) => format!("{prefix}.{path}"),
        };
        if let Some((_, expected)) = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once(", "))
        {
            message = format!("unknown field (check its spelling); {expected}");
        }
        // Serde's messages can quote the offending value: never let them quote a credential.
        if field == "config.email" || field == "config.password" {
            message = "must be a non-empty text string".to_owned();
        }
        Error::invalid_input(field, message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The report written while reading is byte for byte the one written from the typed value,
    /// including the answers it gives way on (fields beside the list) and errors after records.
    #[test]
    fn reports_written_while_reading_are_the_typed_ones() {
        let record = |i: usize| {
            format!(
                "<{i}><code>{i}</code><active>true</active><used>tak</used><x>1</x><x>2</x>\
                 <label><format>PDF</format><size/></label><rma>A&amp;B</rma><code>again</code>\
                 <note><![CDATA[<b>]]></note></{i}>"
            )
        };
        let records = |n: usize| (0..n).map(record).collect::<String>();
        let bodies = [
            format!("<paczkomaty><return>{}</return></paczkomaty>", records(3)),
            format!("<paczkomaty><return>{}</return></paczkomaty>", records(0)),
            "<paczkomaty><return/></paczkomaty>".to_owned(),
            "<paczkomaty/>".to_owned(),
            format!(
                "<paczkomaty><return>{}</return></paczkomaty>",
                records(1200)
            ),
            format!(
                "<paczkomaty><top>t</top><return>{}</return></paczkomaty>",
                records(2)
            ),
            // Fields beside the list: their record comes first.
            format!(
                "<paczkomaty><return>{}<code>9</code></return></paczkomaty>",
                records(2)
            ),
            "<paczkomaty><return><code>9</code><rma>r</rma></return></paczkomaty>".to_owned(),
            // Errors once records were written.
            format!(
                r#"<paczkomaty><return>{}</return><error key="k">no</error></paczkomaty>"#,
                records(2)
            ),
            format!("<paczkomaty><return>{}<1><code>", records(2)),
            format!(
                "<paczkomaty><return>{}</return></paczkomaty><extra/>",
                records(2)
            ),
            format!(
                "<paczkomaty><return>{}</0></return></paczkomaty>",
                records(2)
            ),
            "\u{FEFF}<paczkomaty>\r\n<return><0><code>a\r\nb</code></0></return></paczkomaty>"
                .to_owned(),
            "not xml".to_owned(),
            String::new(),
        ];
        for body in &bodies {
            for status in [200, 204, 299, 300, 400, 502] {
                let mut streamed = b"kept".to_vec();
                parse_response_php(&mut streamed, "getReport", status, body.as_bytes());
                let mut typed = b"kept".to_vec();
                write_parsed_php(
                    &mut typed,
                    Ok(Operation::GetReport),
                    status,
                    body.as_bytes(),
                );
                assert_eq!(
                    String::from_utf8_lossy(&streamed),
                    String::from_utf8_lossy(&typed),
                    "{status} {body}"
                );
            }
        }
    }

    #[test]
    fn the_php_fallback_is_well_formed() {
        let err = Error::usage("the result could not be written in PHP's serialize format");
        let mut out = Vec::new();
        crate::php_serialize::to_writer(&mut out, &failure(&err, &err.to_string())).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), FALLBACK_PHP);
    }
}
