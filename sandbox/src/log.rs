//! One line on stderr per request.
//!
//! The line names what an operator needs to follow a test run (time, method, path, `do=`
//! function, account e-mail, outcome, duration) and nothing a shop would not want in CI logs: the
//! password and the form body (which holds the password and the customer's data) are never
//! written. Client-chosen text is cut short and control characters are escaped, so a request
//! cannot forge or flood log lines.

use std::io::Write;
use std::time::Duration;

use crate::time;

/// What a handler reports for the log line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// The `?do=` value, if any.
    pub function: Option<String>,
    /// The account e-mail the request claimed, if read.
    pub account: Option<String>,
    /// The outcome: `ok`, `error=Key`, `fault=502`, `dropped` …
    pub outcome: String,
}

/// Makes client text safe for one log line: at most 80 characters, control characters and
/// spaces escaped.
pub fn clean(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 80 {
            out.push('…');
            break;
        }
        if c == ' ' {
            // Fields are space-separated; keep each one a single token.
            out.push_str("\\x20");
        } else if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes a line to stderr, ignoring failures (a closed stderr must not stop the server).
pub fn line(text: &str) {
    let stderr = std::io::stderr();
    let mut lock = stderr.lock();
    let _ = writeln!(lock, "{} {text}", time::format_datetime(time::now()));
}

/// Writes the request line: `POST / do=revloggetreport account=demo@example.com -> 200 ok 3ms`.
pub fn request(method: &str, path: &str, status: Option<u16>, fields: &Fields, took: Duration) {
    let status = status.map_or_else(|| "---".to_string(), |s| s.to_string());
    line(&format!(
        "{} {} do={} account={} -> {} {} {}ms",
        clean(method),
        clean(path),
        fields
            .function
            .as_deref()
            .map_or_else(|| "-".to_string(), clean),
        fields
            .account
            .as_deref()
            .map_or_else(|| "-".to_string(), clean),
        status,
        // The outcome is the server's own words, never client text.
        fields.outcome,
        took.as_millis()
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans() {
        assert_eq!(clean("a b\n\u{1b}"), "a\\x20b\\n\\u{1b}");
        assert_eq!(clean(&"x".repeat(200)).chars().count(), 81);
        assert_eq!(clean("zwrot@sklep.pl"), "zwrot@sklep.pl");
    }
}
