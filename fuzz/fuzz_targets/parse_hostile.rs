//! Hostile answers built from the fuzzer's bytes: the shapes of tests/common/bodies.rs with
//! fuzzed sizes, names and nesting, and a fuzzed password echoed into the answer the ways
//! tests/common/echoes.rs knows. Parsing never panics, the JSON envelope stays within its size
//! bound, and no 6-character piece of the password reaches an error. Run with a timeout
//! (`make fuzz` passes `-timeout=10`) so that work growing faster than the body shows up as one.
#![no_main]

#[path = "../../tests/common/bodies.rs"]
mod bodies;
#[path = "../../tests/common/echoes.rs"]
mod echoes;

use inpost_quick_returns::{envelope, parse_response, Operation};
use libfuzzer_sys::fuzz_target;

/// Reads numbers from the front of the fuzzer's bytes (zeros once they run out).
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> usize {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                usize::from(b)
            }
            None => 0,
        }
    }

    fn number(&mut self, below: usize) -> usize {
        (self.byte() << 8 | self.byte()) % below
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let shape = input.byte();
    let count = input.number(20_000) + 1;
    let size = input.number(1100) + 1;
    let depth = input.byte() % 34;
    let operation = Operation::ALL[input.byte() % Operation::ALL.len()];
    let echo_shape = input.byte() % echoes::SHAPES;
    let echo_context = input.byte() % echoes::CONTEXTS;
    let keys = input.byte();
    let password: String = String::from_utf8_lossy(input.0)
        .chars()
        .filter(|c| !c.is_control())
        .take(40)
        .collect();

    let body = match shape % 12 {
        0 => bodies::repeated_names(count, size % 50 + 1),
        1 => bodies::deeper_records(count / 50 + 1, depth % 4),
        2 => bodies::long_names(count / 100 + 1, size, count % 200),
        3 => bodies::deep_nesting(count / 30 + 1, depth),
        4 => bodies::many_attributes(count / 20 + 1, size % 64),
        5 => bodies::error_with_many_attributes(count),
        6 => bodies::many_entities(count / 20 + 1, size % 400),
        7 => bodies::stray_ampersands(count * 8),
        8 => bodies::tiny_items(count),
        9 => bodies::report(count / 100),
        // The password echoed in one of the ways an answer can echo it.
        _ => {
            let echo = echoes::echo(echo_shape, keys, "shop@example.pl", &password);
            let (_, body) = echoes::answer(echo_context, &echo);
            String::from_utf8_lossy(&body).into_owned()
        }
    };
    let body = body.as_bytes();
    let status = if shape & 0x80 == 0 { 200 } else { 502 };

    let typed = parse_response(operation, status, body);
    let json = envelope::parse_response(operation.name(), status, body);
    assert!(json.starts_with("{\"ok\":"));
    assert!(
        json.len() <= 32 * body.len() + 4096,
        "{} bytes of JSON",
        json.len()
    );

    if let Err(err) = typed {
        let message = err.to_string();
        let scaffold = echoes::echo(echo_shape, keys, "shop@example.pl", "");
        let (_, scaffold) = echoes::answer(echo_context, &scaffold);
        let scaffold = String::from_utf8_lossy(&scaffold);
        for piece in echoes::windows(&password) {
            if piece.trim().chars().count() == 6 && !scaffold.contains(&piece) {
                assert!(!message.contains(&piece), "{piece:?} in {message:?}");
            }
        }
    }
});
