//! The JSON face shared by the C ABI, the wasm module and the command line: operation names and
//! JSON text in, the contract's envelope out — `{"ok":true,"value":…}` or
//! `{"ok":false,"error":{…}}`. Serde's errors become `invalid_input` naming the field here.
//! These functions never panic on any input. The shapes and kinds are the contract's
//! (`docs/contract.md`, "Shapes" and "Envelope and error kinds").

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
