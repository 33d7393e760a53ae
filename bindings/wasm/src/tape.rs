//! Every result leaves the module as a tape the package's JavaScript rebuilds the contract's value
//! from (`pkg/src/tape.js`): 32-bit numbers and two texts, read straight from wasm memory. All text
//! is written once, ASCII in one text (which JavaScript decodes several times faster than UTF-8
//! with other characters) and the rest in UTF-16 in the other; each string is a slice of one of
//! them. Faster than the JSON envelope with `JSON.parse` (3 to 4 times for a 1000-record report)
//! and smaller in the `.wasm`: no JSON writer is in it (`pkg/README.md`, "Performance").
//!
//! Numbers: a text is `end << 1 | wide`, the end of the string in its text (it starts where the
//! one before it in the same text ended); a boolean is 0 or 1; null is -1. What the numbers hold
//! for each [`Kind`] is said at each `write_*`; `extra` is its number of entries, then per entry
//! a key and a text. A key is the index of a key seen before in this result, or [`NEW_KEY`]
//! followed by its text (JavaScript remembers it under the next index), or [`ONCE_KEY`] followed
//! by its text (not remembered: the table is full).

use std::borrow::Cow;

use inpost_quick_returns::{
    Error, Extra, HttpRequest, InactiveCodes, Invalidation, Report, ReturnCode,
};

/// What a tape holds (the first number of the header `lib.rs` gives JavaScript).
#[derive(Clone, Copy)]
#[repr(u32)]
pub(crate) enum Kind {
    Error = 0,
    Report = 1,
    ReturnCode = 2,
    InactiveCodes = 3,
    Invalidation = 4,
    Request = 5,
}

const NULL: i32 = -1;
/// A key not seen before, remembered on both sides under the next index.
const NEW_KEY: i32 = -2;
/// A key written out and not remembered.
const ONCE_KEY: i32 = -3;
/// At most this many distinct keys are remembered: the table is searched linearly.
const MAX_KEYS: usize = 64;

/// Where a result is written; kept between calls so that its room is reused.
#[derive(Default)]
pub(crate) struct Tape {
    pub numbers: Vec<i32>,
    pub ascii: Vec<u8>,
    pub wide: Vec<u16>,
}

/// The keys of `extra` seen so far in one result, and where the next one probably is.
#[derive(Default)]
struct Keys<'r> {
    seen: Vec<Cow<'r, str>>,
    next: usize,
}

impl Tape {
    fn clear(&mut self) {
        self.numbers.clear();
        self.ascii.clear();
        self.wide.clear();
    }

    /// Error: kind, message, field or null, key or null, status or -1.
    pub fn write_error(&mut self, err: &Error) -> Kind {
        self.clear();
        self.text(Some(err.kind().as_str()));
        self.text(Some(&err.to_string()));
        self.text(err.field());
        self.text(err.key());
        self.numbers.push(err.status().map_or(NULL, i32::from));
        Kind::Error
    }

    /// Request: method, url, the number of headers and each one's name and value, body.
    pub fn write_request(&mut self, request: &HttpRequest) -> Kind {
        self.clear();
        self.text(Some(request.method));
        self.text(Some(&request.url));
        let headers = request.headers();
        self.numbers.push(len(headers.len()));
        for (name, value) in headers {
            self.text(Some(name));
            self.text(Some(value));
        }
        self.text(Some(&request.body));
        Kind::Request
    }

    /// Report: the number of records, then each record's ten typed fields in the contract's
    /// order and its `extra`.
    pub fn write_report(&mut self, report: &Report<'_>) -> Kind {
        self.clear();
        // About what a record of the benchmark's report needs; grows for more.
        self.numbers.reserve(2 + report.records.len() * 20);
        self.ascii.reserve(report.records.len() * 128);
        self.numbers.push(len(report.records.len()));
        let mut keys = Keys::default();
        for r in &report.records {
            self.text(r.operator_email.as_deref());
            self.text(r.reverse_return_pack_code.as_deref());
            self.text(r.reverse_return_pack_status.as_deref());
            self.text(r.code.as_deref());
            self.text(r.rma.as_deref());
            self.flag(r.active);
            self.flag(r.used);
            self.text(r.sender_phone.as_deref());
            self.text(r.sender_email.as_deref());
            self.text(r.return_description1.as_deref());
            self.extra(&r.extra, &mut keys);
        }
        Kind::Report
    }

    /// Return code: its six typed fields in the contract's order, then `extra`.
    pub fn write_return_code(&mut self, c: &ReturnCode<'_>) -> Kind {
        self.clear();
        self.text(c.code.as_deref());
        self.flag(c.active);
        self.text(c.expiration_date.as_deref());
        self.text(c.pack_type.as_deref());
        self.text(c.uuid.as_deref());
        self.flag(c.label_attached);
        self.extra(&c.extra, &mut Keys::default());
        Kind::ReturnCode
    }

    /// Inactive codes: their number, then each one's four typed fields and `extra`.
    pub fn write_inactive_codes(&mut self, list: &InactiveCodes<'_>) -> Kind {
        self.clear();
        self.numbers.push(len(list.codes.len()));
        let mut keys = Keys::default();
        for c in &list.codes {
            self.text(c.code.as_deref());
            self.flag(c.active);
            self.text(c.uuid.as_deref());
            self.flag(c.label_attached);
            self.extra(&c.extra, &mut keys);
        }
        Kind::InactiveCodes
    }

    /// Invalidation: `valid`, then `extra`.
    pub fn write_invalidation(&mut self, i: &Invalidation<'_>) -> Kind {
        self.clear();
        self.flag(i.valid);
        self.extra(&i.extra, &mut Keys::default());
        Kind::Invalidation
    }

    fn extra<'r>(&mut self, extra: &'r Extra<'_>, keys: &mut Keys<'r>) {
        self.numbers.push(len(extra.len()));
        for (name, value) in extra.iter() {
            // Records repeat their keys in the same order: try the one after the last first.
            let found = if keys.seen.get(keys.next).is_some_and(|k| *k == name) {
                Some(keys.next)
            } else {
                keys.seen.iter().position(|k| *k == name)
            };
            match found {
                Some(i) => {
                    self.numbers.push(len(i));
                    keys.next = i + 1;
                }
                None if keys.seen.len() < MAX_KEYS => {
                    self.numbers.push(NEW_KEY);
                    self.text(Some(&name));
                    keys.next = keys.seen.len() + 1;
                    keys.seen.push(name);
                }
                None => {
                    self.numbers.push(ONCE_KEY);
                    self.text(Some(&name));
                }
            }
            self.text(value);
        }
    }

    fn flag(&mut self, value: Option<bool>) {
        self.numbers.push(value.map_or(NULL, i32::from));
    }

    fn text(&mut self, value: Option<&str>) {
        let Some(text) = value else {
            self.numbers.push(NULL);
            return;
        };
        if self.ascii_text(text.as_bytes()) {
            self.numbers.push(len(self.ascii.len()) << 1);
        } else {
            self.wide_text(text);
            self.numbers.push(len(self.wide.len()) << 1 | 1);
        }
    }

    /// Appends `bytes` to the ASCII text if they are all ASCII (else leaves it as it was), eight
    /// at a time: checking and copying in one pass, with no call per string (wasm's
    /// `memory.copy`, which a slice copy becomes, costs more than these short strings).
    fn ascii_text(&mut self, bytes: &[u8]) -> bool {
        let start = self.ascii.len();
        self.ascii.reserve(bytes.len());
        let mut chunks = bytes.chunks_exact(8);
        let mut seen = 0u64;
        for chunk in &mut chunks {
            let word: [u8; 8] = chunk.try_into().unwrap_or_default();
            seen |= u64::from_le_bytes(word);
            self.ascii.extend_from_slice(&word);
        }
        for &b in chunks.remainder() {
            seen |= u64::from(b);
            self.ascii.push(b);
        }
        if seen & 0x8080_8080_8080_8080 != 0 {
            self.ascii.truncate(start);
            return false;
        }
        true
    }

    /// `text` in UTF-16, its ASCII runs (most of a Polish text) widened eight bytes at a time.
    fn wide_text(&mut self, text: &str) {
        let bytes = text.as_bytes();
        // At most one UTF-16 unit per UTF-8 byte.
        self.wide.reserve(bytes.len());
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if let Some(chunk) = bytes.get(i..i + 8) {
                let word: [u8; 8] = chunk.try_into().unwrap_or_default();
                if u64::from_le_bytes(word) & 0x8080_8080_8080_8080 == 0 {
                    self.wide.extend_from_slice(&word.map(u16::from));
                    i += 8;
                    continue;
                }
            }
            if b < 0x80 {
                self.wide.push(u16::from(b));
                i += 1;
                continue;
            }
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            self.wide.extend_from_slice(c.encode_utf16(&mut [0; 2]));
            i += c.len_utf8();
        }
    }
}

/// A length or index as a tape number. Both texts stay far below 2^30 units: the body is at most
/// 64 MiB and the names built from it at most four times that.
fn len(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use inpost_quick_returns::{parse_response, Operation, Response};

    #[test]
    fn a_report_on_the_tape() {
        let body = "<paczkomaty><return><0><code>1</code><active>true</active><rma>Zł</rma>\
                    <x>a</x><x>b</x><y/></0><1><code>2</code><y>c</y><x>d</x></1></return></paczkomaty>";
        let Response::Report(report) =
            parse_response(Operation::GetReport, 200, body.as_bytes()).unwrap()
        else {
            panic!("not a report")
        };
        let mut tape = Tape::default();
        tape.write_report(&report);
        assert_eq!(tape.ascii, b"1xax#2by2cd");
        assert_eq!(String::from_utf16(&tape.wide).unwrap(), "Zł");
        #[rustfmt::skip]
        assert_eq!(tape.numbers, [
            2,
            -1, -1, -1, 1 << 1, 2 << 1 | 1, 1, -1, -1, -1, -1,
            3, NEW_KEY, 2 << 1, 3 << 1, NEW_KEY, 6 << 1, 7 << 1, NEW_KEY, 8 << 1, -1,
            -1, -1, -1, 9 << 1, -1, -1, -1, -1, -1, -1,
            2, 2, 10 << 1, 0, 11 << 1,
        ]);
    }

    #[test]
    fn text_goes_to_the_ascii_or_the_utf16_text_whole() {
        let mut tape = Tape::default();
        let texts = [
            "plain ASCII, longer than eight bytes",
            "Zamówienie: zwrot towaru — łódź 😀, rozmiar M & kolor",
            "ó",
            "",
            "\u{7f}1234567",
        ];
        for text in texts {
            tape.text(Some(text));
        }
        assert_eq!(
            String::from_utf8(tape.ascii.clone()).unwrap(),
            [texts[0], texts[3], texts[4]].concat()
        );
        assert_eq!(
            String::from_utf16(&tape.wide).unwrap(),
            [texts[1], texts[2]].concat()
        );
        let wide_1 = texts[1].encode_utf16().count() as i32;
        #[rustfmt::skip]
        assert_eq!(tape.numbers, [
            36 << 1, wide_1 << 1 | 1, (wide_1 + 1) << 1 | 1, 36 << 1, 44 << 1,
        ]);
    }

    #[test]
    fn an_error_on_the_tape() {
        let mut tape = Tape::default();
        tape.write_error(&Error::invalid_input("senderPhone", "zła"));
        assert_eq!(tape.ascii, b"invalid_inputsenderPhone");
        let message = String::from_utf16(&tape.wide).unwrap();
        assert!(message.ends_with("zła"), "{message}");
        let wide_end = (message.encode_utf16().count() as i32) << 1 | 1;
        assert_eq!(tape.numbers, [13 << 1, wide_end, 24 << 1, -1, -1]);
    }
}
