//! The conformance table (`tests/conformance/*.json`) through the real `inpost-returns` binary:
//! config and input from files, the body from standard input, one envelope line per call, and
//! the exit status the envelope implies (0 ok, 1 an error, 2 usage).

#[path = "../../tests/common/conformance.rs"]
mod conformance;

use std::io::Write;
use std::process::{Command, Stdio};

use conformance::{run, Call};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_inpost-returns");

#[test]
fn every_case_agrees_through_the_command_line() {
    let dir =
        std::env::temp_dir().join(format!("inpost-returns-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config_file = dir.join("config.json");
    let input_file = dir.join("input.json");
    run("command line", |case| {
        let (args, stdin): (Vec<String>, Vec<u8>) = match &case.call {
            Call::Build {
                operation,
                config,
                input,
            } => {
                std::fs::write(&config_file, config.to_string()).unwrap();
                std::fs::write(&input_file, input.to_string()).unwrap();
                let args = [
                    "build",
                    operation,
                    "--config",
                    &config_file.to_string_lossy(),
                    "--input",
                    &input_file.to_string_lossy(),
                ];
                (args.map(str::to_owned).to_vec(), Vec::new())
            }
            Call::Parse {
                operation,
                status,
                body,
            } => {
                let args = ["parse", operation, "--status", &status.to_string()];
                (args.map(str::to_owned).to_vec(), body.clone())
            }
        };
        let mut child = Command::new(BIN)
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&stdin).unwrap();
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
        assert_eq!(stdout.lines().count(), 1, "{}: one line: {stdout}", case.id);
        let envelope: Value = serde_json::from_str(&stdout).expect("an envelope");
        let expected_status = match (&envelope["ok"], &envelope["error"]["kind"]) {
            (Value::Bool(true), _) => 0,
            (_, kind) if kind == "usage" => 2,
            _ => 1,
        };
        assert_eq!(
            output.status.code(),
            Some(expected_status),
            "{}: exit status",
            case.id
        );
        envelope
    });
    std::fs::remove_dir_all(&dir).ok();
}
