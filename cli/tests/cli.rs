//! The real `inpost-returns` binary: envelopes on one line and the contract's exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_inpost-returns");

fn fixture(name: &str) -> String {
    format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    run_with(args, stdin, false)
}

/// Runs the binary on `stdin`; with `close_output`, its output is closed by the reader before
/// the input is written, as `… | head -c 10` does once it has enough.
fn run_with(args: &[&str], stdin: &[u8], close_output: bool) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if close_output {
        drop(child.stdout.take());
    }
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn envelope(output: &Output) -> serde_json::Value {
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one line: {stdout}");
    serde_json::from_str(&stdout).unwrap()
}

fn temp_file(name: &str, contents: &str) -> String {
    let dir = std::env::temp_dir().join(format!("inpost-returns-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn parse_prints_both_documented_inactive_codes() {
    let output = run(
        &[
            "parse",
            "generateInactiveCodes",
            &fixture("inactive_codes_documented.xml"),
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0));
    let value = envelope(&output);
    assert_eq!(value["value"]["codes"][0]["code"], "1414764219");
    assert_eq!(value["value"]["codes"][1]["code"], "2687720481");
}

#[test]
fn parse_reads_standard_input_and_reports_api_errors_with_exit_1() {
    let body = std::fs::read(fixture("error_documented.xml")).unwrap();
    let output = run(&["parse", "getReport", "--status", "400"], &body);
    assert_eq!(output.status.code(), Some(1));
    let error = &envelope(&output)["error"];
    assert_eq!(error["kind"], "api");
    assert_eq!(error["key"], "NoPackageFound");
    assert_eq!(error["status"], 400);
}

#[test]
fn parse_of_an_html_page_is_unexpected_with_exit_1() {
    let output = run(
        &[
            "parse",
            "generateActiveCode",
            "--status=502",
            &fixture("bad_gateway.html"),
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(envelope(&output)["error"]["kind"], "unexpected_response");
}

#[test]
fn build_from_files_and_from_standard_input() {
    let config = temp_file(
        "config.json",
        r#"{"baseUrl": "http://127.0.0.1:8787/", "email": "demo@example.com", "password": "demo-password"}"#,
    );
    let input = temp_file("input.json", r#"{"numberOfCodes": 2}"#);
    let output = run(
        &[
            "build",
            "generateInactiveCodes",
            "--config",
            &config,
            "--input",
            &input,
        ],
        b"",
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value = envelope(&output);
    assert_eq!(
        value["value"]["url"],
        "http://127.0.0.1:8787/?do=revloggenerateinactivecodes"
    );
    assert!(value["value"]["body"].as_str().unwrap().ends_with(
        "content=%3Cpaczkomaty%3E%3CnumberOfCodes%3E2%3C%2FnumberOfCodes%3E%3C%2Fpaczkomaty%3E"
    ));

    let output = run(
        &["build", "invalidateCode", "--config", &config],
        br#"{"code": ""}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    let error = &envelope(&output)["error"];
    assert_eq!(error["kind"], "invalid_input");
    assert_eq!(error["field"], "code");
    assert!(!error.to_string().contains("demo-password"));
}

#[test]
fn usage_errors_exit_2_with_a_usage_envelope() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["parse"],
        &["parse", "noSuchOperation"],
        &["parse", "getReport", "--status", "abc"],
        &["parse", "getReport", "--verbose", "x"],
        &["build", "getReport"],
        &["build", "getReport", "--config", "/nonexistent/config.json"],
    ] {
        let output = run(args, b"");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(envelope(&output)["error"]["kind"], "usage", "{args:?}");
    }
}

#[test]
fn help_and_version() {
    let output = run(&["--help"], b"");
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).unwrap();
    for word in [
        "build",
        "parse",
        "generateActiveCode",
        "getReport",
        "--status",
        "Exit status",
    ] {
        assert!(help.contains(word), "{word}");
    }
    let output = run(&["--version"], b"");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim(),
        format!("inpost-returns {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_closed_output_ends_quietly_with_the_results_status() {
    let report = std::fs::read(fixture("report.xml")).unwrap();
    let error = std::fs::read(fixture("error_documented.xml")).unwrap();
    for (args, stdin, status) in [
        (&["parse", "getReport"][..], &report[..], 0),
        (&["parse", "getReport"], &error, 1),
        (&["parse", "noSuchOperation"], b"", 2),
        (&["--help"], b"", 0),
    ] {
        let output = run_with(args, stdin, true);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(status), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        if status != 2 {
            assert!(stderr.is_empty(), "{args:?}: {stderr}");
        }
    }
}
