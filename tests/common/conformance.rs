//! Reads the conformance table (`tests/conformance/*.json`, format in
//! `tests/conformance/README.md`) and checks a face's envelopes against it. Shared by the Rust
//! runners: the core's JSON face (`tests/conformance.rs`), the command line
//! (`cli/tests/conformance.rs`) and the C ABI (`bindings/c/src/lib.rs`, unit tests). PHPUnit
//! (`bindings/php/tests/ConformanceTest.php`) and node:test (`pkg/test/conformance.test.mjs`)
//! implement the same rules.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// One call of a case.
#[derive(Debug, Clone)]
pub enum Call {
    /// `buildRequest(operation, config, input)`.
    Build {
        operation: String,
        config: Value,
        input: Value,
    },
    /// `parseResponse(operation, status, body)`.
    Parse {
        operation: String,
        status: u16,
        body: Vec<u8>,
    },
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Case {
    /// `file.json: name`, for messages.
    pub id: String,
    pub call: Call,
    pub expect: Value,
}

/// The repository's `tests/` folder, found from the crate that includes this module.
pub fn tests_dir() -> PathBuf {
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    loop {
        if dir.join("tests/conformance").is_dir() {
            return dir.join("tests");
        }
        assert!(dir.pop(), "no tests/conformance above the crate");
    }
}

/// Every case of every table file, files in name order, cases in file order.
pub fn cases() -> Vec<Case> {
    let tests = tests_dir();
    let mut files: Vec<PathBuf> = fs::read_dir(tests.join("conformance"))
        .expect("tests/conformance")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).expect("readable table file");
        let file: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{file_name} is not valid JSON: {e}"));
        let file = object(&file, &file_name, &["about", "config", "cases"], &["cases"]);
        let default_config = file.get("config");
        let rows = file["cases"].as_array().expect("`cases` is an array");
        assert!(!rows.is_empty(), "{file_name} has no cases");
        for row in rows {
            cases.push(case(&tests, &file_name, default_config, row));
        }
    }
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|pair| pair[0] == pair[1]) {
        panic!("two cases are named {}", pair[0]);
    }
    cases
}

fn case(tests: &Path, file: &str, default_config: Option<&Value>, row: &Value) -> Case {
    let name = row["name"].as_str().unwrap_or("(no name)");
    let id = format!("{file}: {name}");
    let row = object(
        row,
        &id,
        &["name", "note", "build", "parse", "expect"],
        &["name", "expect"],
    );
    let call = match (row.get("build"), row.get("parse")) {
        (Some(build), None) => {
            let build = object(
                build,
                &id,
                &["operation", "config", "input"],
                &["operation", "input"],
            );
            Call::Build {
                operation: text(&build["operation"], &id),
                config: build
                    .get("config")
                    .or(default_config)
                    .unwrap_or_else(|| panic!("{id}: no config, and the file gives none"))
                    .clone(),
                input: build["input"].clone(),
            }
        }
        (None, Some(parse)) => {
            let parse = object(
                parse,
                &id,
                &["operation", "status", "body", "bodyFile", "bodyHex"],
                &["operation", "status"],
            );
            let body = match (
                parse.get("body"),
                parse.get("bodyFile"),
                parse.get("bodyHex"),
            ) {
                (Some(body), None, None) => text(body, &id).into_bytes(),
                (None, Some(file), None) => fs::read(tests.join("fixtures").join(text(file, &id)))
                    .unwrap_or_else(|e| panic!("{id}: bodyFile: {e}")),
                (None, None, Some(hex)) => hex_decode(&text(hex, &id), &id),
                _ => panic!("{id}: give exactly one of body, bodyFile, bodyHex"),
            };
            let status = parse["status"]
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or_else(|| panic!("{id}: status must be 0-65535"));
            Call::Parse {
                operation: text(&parse["operation"], &id),
                status,
                body,
            }
        }
        _ => panic!("{id}: give exactly one of build, parse"),
    };
    let expect = row["expect"].clone();
    check_expectation(&expect, &call, &id);
    Case { id, call, expect }
}

fn check_expectation(expect: &Value, call: &Call, id: &str) {
    let expect = object(expect, id, &["ok", "value", "error"], &["ok"]);
    match expect["ok"] {
        Value::Bool(true) => {
            assert!(
                expect.contains_key("value") && !expect.contains_key("error"),
                "{id}: ok true needs value only"
            );
            if let (Call::Build { .. }, Some(value)) = (call, expect["value"].as_object()) {
                assert!(
                    value.contains_key("form") != value.contains_key("body"),
                    "{id}: a built request is expected with either body or form"
                );
            }
        }
        Value::Bool(false) => {
            assert!(
                expect.contains_key("error") && !expect.contains_key("value"),
                "{id}: ok false needs error only"
            );
            object(
                &expect["error"],
                id,
                &["kind", "field", "key", "status", "messageIncludes"],
                &["kind"],
            );
        }
        _ => panic!("{id}: expect.ok must be true or false"),
    }
}

fn object<'a>(
    value: &'a Value,
    id: &str,
    allowed: &[&str],
    required: &[&str],
) -> &'a Map<String, Value> {
    let map = value
        .as_object()
        .unwrap_or_else(|| panic!("{id}: expected an object, got {value}"));
    for key in map.keys() {
        assert!(
            allowed.contains(&key.as_str()),
            "{id}: unknown member `{key}` (allowed: {allowed:?})"
        );
    }
    for key in required {
        assert!(map.contains_key(*key), "{id}: `{key}` is required");
    }
    map
}

fn text(value: &Value, id: &str) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{id}: expected a string, got {value}"))
        .to_owned()
}

fn hex_decode(hex: &str, id: &str) -> Vec<u8> {
    let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(
        digits.len() % 2 == 0,
        "{id}: bodyHex has an odd number of digits"
    );
    digits
        .chunks(2)
        .map(|pair| {
            u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16)
                .unwrap_or_else(|_| panic!("{id}: bodyHex is not hexadecimal"))
        })
        .collect()
}

/// Decodes an `application/x-www-form-urlencoded` body into its fields, in order. Strict: only
/// the bytes the core leaves unencoded may appear as they are.
pub fn form_decode(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').expect("name=value");
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("hex escape"));
                i += 2;
            }
            b => {
                assert!(
                    b.is_ascii_alphanumeric() || b"*-._".contains(&b),
                    "unencoded byte {b}"
                );
                out.push(b);
            }
        }
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8")
}

/// The envelope as the table compares it: for a built request expected with `form`, the body
/// decoded into `form`; for an error, only `kind`, `field`, `key` and `status`.
pub fn comparable(case: &Case, actual: &Value) -> Value {
    let mut actual = actual.clone();
    if actual["ok"] == true {
        let wants_form = case.expect["value"].get("form").is_some();
        if let (true, Some(value)) = (wants_form, actual["value"].as_object_mut()) {
            if let Some(Value::String(body)) = value.remove("body") {
                let form: Map<String, Value> = form_decode(&body)
                    .into_iter()
                    .map(|(name, value)| (name, Value::String(value)))
                    .collect();
                value.insert("form".to_owned(), Value::Object(form));
            }
        }
    } else if let Some(error) = actual["error"].as_object_mut() {
        error.retain(|name, _| matches!(name.as_str(), "kind" | "field" | "key" | "status"));
    }
    actual
}

/// Checks one envelope against its case; `Err` says how it differs.
pub fn check(case: &Case, actual: &Value) -> Result<(), String> {
    let mut expected = case.expect.clone();
    let includes = match expected.get_mut("error").and_then(Value::as_object_mut) {
        Some(error) => match error.remove("messageIncludes") {
            Some(Value::String(one)) => vec![one],
            Some(Value::Array(many)) => many.iter().map(|v| text(v, &case.id)).collect(),
            Some(other) => panic!("{}: messageIncludes must be text, got {other}", case.id),
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    let seen = comparable(case, actual);
    if seen != expected {
        return Err(format!(
            "expected {expected}\n     got {seen}\n     (whole envelope {actual})"
        ));
    }
    let message = actual["error"]["message"].as_str().unwrap_or_default();
    for part in includes {
        if !message.contains(&part) {
            return Err(format!("the message {message:?} lacks {part:?}"));
        }
    }
    if let Call::Build { config, .. } = &case.call {
        if let Some(password) = config["password"].as_str().filter(|p| p.len() >= 4) {
            if actual.to_string().contains(password) && actual["ok"] != true {
                return Err("an error envelope quotes the password".to_owned());
            }
        }
    }
    Ok(())
}

/// Runs every case through `face` and fails with every disagreement at once.
pub fn run(face: &str, mut call: impl FnMut(&Case) -> Value) {
    let cases = cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(case, &call(case))
                .err()
                .map(|e| format!("{}\n     {e}", case.id))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{face}: {} of {} conformance cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!("{face}: {} conformance cases agree", cases.len());
}
