//! The conformance table (`tests/conformance/*.json`) through the core's JSON face, the
//! `envelope` module the C ABI, the command line and the wasm module's envelopes are written by.
//! The other faces run the same table: `cli/tests/conformance.rs`, the C ABI's unit tests,
//! `bindings/php/tests/ConformanceTest.php` and `pkg/test/conformance.test.mjs`.

mod common;

use common::conformance::{run, Call};
use inpost_quick_returns::envelope;
use serde_json::Value;

#[test]
fn every_case_agrees_through_the_json_face() {
    run("Rust (envelope)", |case| {
        let json = match &case.call {
            Call::Build {
                operation,
                config,
                input,
            } => envelope::build_request(operation, &config.to_string(), &input.to_string()),
            Call::Parse {
                operation,
                status,
                body,
            } => envelope::parse_response(operation, *status, body),
        };
        serde_json::from_str::<Value>(&json).expect("an envelope is JSON")
    });
}
