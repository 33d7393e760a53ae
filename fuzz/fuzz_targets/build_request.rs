//! Any config and input text, every operation: building returns a request or an error envelope,
//! never panics.
#![no_main]

use inpost_quick_returns::{envelope, Operation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (config, input) = text.split_once('\u{0}').unwrap_or((text, "{}"));
    let operation = Operation::ALL[usize::from(selector) % Operation::ALL.len()];
    let json = envelope::build_request(operation.name(), config, input);
    assert!(json.starts_with("{\"ok\":"));
});
