//! The JSON face shared by the C ABI and the command line: operation names and JSON text in,
//! the contract's envelope out — `{"ok":true,"value":…}` or `{"ok":false,"error":{…}}`.
//! These functions never panic on any input.

use serde::Serialize;

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
    let config = Config::from_deserializer(&mut serde_json::Deserializer::from_str(config_json))?;
    let input = Request::from_deserializer(
        operation,
        &mut serde_json::Deserializer::from_str(input_json),
    )?;
    crate::build_request(&config, &input)
}

/// Text that is not JSON at all is a `usage` error; JSON that is not an object, or has the wrong
/// shape, is `invalid_input` naming the field.
fn check_syntax(what: &str, json: &str) -> Result<(), Error> {
    serde_json::from_str::<serde::de::IgnoredAny>(json)
        .map_err(|e| Error::usage(format!("the {what} is not valid JSON ({e})")))?;
    // Serde would also take an array for a struct; only an object is meant.
    if !json.trim_start().starts_with('{') {
        return Err(Error::invalid(what, "must be a JSON object"));
    }
    Ok(())
}

/// `{"ok":true,"value":…}`.
pub fn ok<T: Serialize>(value: &T) -> String {
    #[derive(Serialize)]
    struct Success<'a, T> {
        ok: bool,
        value: &'a T,
    }
    // The values of this crate serialize to JSON without fail (string keys only).
    serde_json::to_string(&Success { ok: true, value }).unwrap_or_else(|_| FALLBACK.to_owned())
}

/// `{"ok":false,"error":{"kind","message","field"?,"key"?,"status"?}}`.
pub fn error(err: &Error) -> String {
    #[derive(Serialize)]
    struct Failure<'a> {
        ok: bool,
        error: ErrorBody<'a>,
    }
    #[derive(Serialize)]
    struct ErrorBody<'a> {
        kind: &'static str,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        field: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        key: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
    }
    let failure = Failure {
        ok: false,
        error: ErrorBody {
            kind: err.kind().as_str(),
            message: err.to_string(),
            field: err.field(),
            key: err.key(),
            status: err.status(),
        },
    };
    // Strings and numbers serialize without fail.
    serde_json::to_string(&failure).unwrap_or_else(|_| FALLBACK.to_owned())
}

/// Written should serializing ever fail, so that every call still returns a valid envelope.
const FALLBACK: &str =
    r#"{"ok":false,"error":{"kind":"usage","message":"the result could not be written as JSON"}}"#;
