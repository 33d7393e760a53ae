//! The `getReport` value in the form the package's JavaScript rebuilds fastest (`pkg/src/tape.js`):
//! a tape of 32-bit numbers and two texts, read straight from wasm memory. The text of all values
//! is written once, ASCII values in one text (which JavaScript decodes several times faster than
//! UTF-8 with other characters) and the rest in UTF-16 in the other; each value is a slice of one
//! of them. Measured against the JSON envelope in `pkg/README.md`, "Performance".
//!
//! The tape: the number of records, then per record its ten typed fields in the contract's order
//! (text: `end << 1 | wide`, the end of the value in its text; boolean: 0 or 1; null: -1), then
//! the number of `extra` entries and per entry its key and its value (text or null). A key is the
//! index of a key seen before, or [`NEW_KEY`] followed by its text (JavaScript remembers it under
//! the next index), or [`ONCE_KEY`] followed by its text (not remembered: the table is full).

use inpost_quick_returns::{Report, ReportRecord};

/// A key not seen before, remembered on both sides under the next index.
const NEW_KEY: i32 = -2;
/// A key written out and not remembered.
const ONCE_KEY: i32 = -3;
/// At most this many distinct keys are remembered: the table is searched linearly.
const MAX_KEYS: usize = 64;
const NULL: i32 = -1;

/// Where a report is written; kept between calls so that its room is reused.
#[derive(Default)]
pub(crate) struct Tape {
    pub numbers: Vec<i32>,
    pub ascii: Vec<u8>,
    pub wide: Vec<u16>,
}

impl Tape {
    pub fn clear(&mut self) {
        self.numbers.clear();
        self.ascii.clear();
        self.wide.clear();
    }

    /// Writes `report` (after [`Tape::clear`]).
    pub fn write(&mut self, report: &Report<'_>) {
        // About what a record of the benchmark's report needs; grows for more.
        self.numbers.reserve(2 + report.records.len() * 20);
        self.ascii.reserve(report.records.len() * 128);
        self.numbers.push(len(report.records.len()));
        let mut keys: Vec<std::borrow::Cow<'_, str>> = Vec::new();
        let mut next_key = 0;
        for record in &report.records {
            self.record(record, &mut keys, &mut next_key);
        }
    }

    fn record<'r>(
        &mut self,
        r: &'r ReportRecord<'_>,
        keys: &mut Vec<std::borrow::Cow<'r, str>>,
        next_key: &mut usize,
    ) {
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
        self.numbers.push(len(r.extra.len()));
        for (name, value) in r.extra.iter() {
            // Records repeat their keys in the same order: try the one after the last first.
            let found = if keys.get(*next_key).is_some_and(|k| *k == name) {
                Some(*next_key)
            } else {
                keys.iter().position(|k| *k == name)
            };
            match found {
                Some(i) => {
                    self.numbers.push(len(i));
                    *next_key = i + 1;
                }
                None if keys.len() < MAX_KEYS => {
                    self.numbers.push(NEW_KEY);
                    self.text(Some(&name));
                    *next_key = keys.len() + 1;
                    keys.push(name);
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
        if text.is_ascii() {
            self.ascii.extend_from_slice(text.as_bytes());
            self.numbers.push(len(self.ascii.len()) << 1);
        } else {
            self.wide_text(text);
            self.numbers.push(len(self.wide.len()) << 1 | 1);
        }
    }

    /// `text` in UTF-16, its ASCII bytes (most of a Polish text) copied without decoding.
    fn wide_text(&mut self, text: &str) {
        let bytes = text.as_bytes();
        // At most one UTF-16 unit per UTF-8 byte.
        self.wide.reserve(bytes.len());
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
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

    #[test]
    fn a_report_on_the_tape() {
        let body = "<paczkomaty><return><0><code>1</code><active>true</active><rma>Zł</rma>\
                    <x>a</x><x>b</x><y/></0><1><code>2</code><y>c</y><x>d</x></1></return></paczkomaty>";
        let inpost_quick_returns::Response::Report(report) = inpost_quick_returns::parse_response(
            inpost_quick_returns::Operation::GetReport,
            200,
            body.as_bytes(),
        )
        .unwrap() else {
            panic!("not a report")
        };
        let mut tape = Tape::default();
        tape.write(&report);
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
}
