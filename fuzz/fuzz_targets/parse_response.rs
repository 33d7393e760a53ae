//! Any body, any status, every operation: parsing returns a value or an error, never panics, and
//! the JSON envelope is always valid JSON.
#![no_main]

use inpost_quick_returns::{envelope, Operation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let operation = Operation::ALL[usize::from(selector) % Operation::ALL.len()];
    let status = if selector & 0x80 == 0 { 200 } else { 502 };
    let json = envelope::parse_response(operation.name(), status, body);
    assert!(json.starts_with("{\"ok\":"));
});
