//! Text for error messages built from untrusted bytes: credentials redacted first, then a short,
//! printable excerpt.
//!
//! An answer can echo the login: a proxy's error page quoting the request body, a debugging
//! server dumping JSON, InPost's own `<error>` text. The core never knows the secret, so it finds
//! credentials by their *key*: the value after any key whose name ends with `password`, `passwd`,
//! `email` or `e-mail` (any letter case) is replaced with [`REDACTED`], in each shape an echo takes:
//!
//! | shape | value redacted up to |
//! |---|---|
//! | `password=…` (form, query string, `key=value` text) | `&`, `"`, `<`, `>` or the line's end |
//! | `password: …` (`key: value` text, quotes or not) | the line's end |
//! | `"password": "…"`, `'password': '…'`, `password="…"` | the closing quote (JSON escapes honoured), or the line's end when what follows that quote cannot follow a value |
//! | `<password>…</password>` | the next `<` (a CDATA section whole) |
//! | `&lt;password&gt;…&lt;/password&gt;` (escaped once or more) | the `&lt;` of the same escaping |
//!
//! Quotes may themselves be escaped (`\"`, `&quot;`, `&#34;`, `&#039;` …). The scan is one pass
//! over the text, linear in its length. Redaction errs on the side of hiding more: an unquoted
//! value runs to the line's end rather than to a space.

use std::borrow::Cow;
use std::ops::Range;

use memchr::{memchr, memchr2};

/// The one placeholder for a hidden value, on every face.
pub(crate) const REDACTED: &str = "[redacted]";

/// Key names (compared case-insensitively with the end of a key) whose values are credentials.
const CREDENTIAL_KEYS: [&[u8]; 4] = [b"password", b"passwd", b"email", b"e-mail"];

/// How many times an echo may have been XML/HTML-escaped over itself (`&amp;amp;lt;` …).
const MAX_ESCAPE_LEVELS: usize = 4;

/// A short, printable excerpt of untrusted bytes for an error message: credentials redacted, then
/// at most `max_chars` characters, invalid UTF-8 replaced, control characters and runs of white
/// space folded into one space, `…` appended when cut.
pub(crate) fn excerpt(bytes: &[u8], max_chars: usize) -> String {
    let window = &bytes[..bytes.len().min(max_chars * 4)];
    Redactions::find(window).excerpt(window, max_chars, bytes.len() > window.len())
}

/// `text` with every credential value replaced by [`REDACTED`]; borrowed when there is none.
pub(crate) fn redact(text: &str) -> Cow<'_, str> {
    let redactions = Redactions::find(text.as_bytes());
    if redactions.spans.is_empty() {
        return Cow::Borrowed(text);
    }
    // Spans start and end next to ASCII delimiters or at the text's ends: character boundaries.
    Cow::Owned(String::from_utf8_lossy(&redactions.apply(text.as_bytes())).into_owned())
}

/// The credential values of one text, as sorted, disjoint byte ranges.
#[derive(Debug, Default)]
pub(crate) struct Redactions {
    spans: Vec<Range<usize>>,
}

impl Redactions {
    /// Finds every credential value in `text` (bytes: the text need not be UTF-8).
    pub(crate) fn find(text: &[u8]) -> Self {
        let mut spans = Vec::new();
        let mut i = 0;
        while i < text.len() {
            if !is_key_byte(text[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < text.len() && is_key_byte(text[i]) {
                i += 1;
            }
            // `</password>` closes an element: what follows is not its value.
            if !is_credential_key(&text[start..i]) || text[..start].ends_with(b"/") {
                continue;
            }
            if let Some(value) = value_after_key(text, i) {
                i = value.end;
                if !value.is_empty() {
                    spans.push(value);
                }
            }
        }
        Redactions { spans }
    }

    /// Whether any credential value overlaps `range`.
    pub(crate) fn overlaps(&self, range: &Range<usize>) -> bool {
        let first_ending_after = self.spans.partition_point(|s| s.end <= range.start);
        self.spans
            .get(first_ending_after)
            .is_some_and(|s| s.start < range.end)
    }

    /// `text[..]` with the spans (found in a text starting like it) replaced.
    fn apply(&self, text: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        let mut at = 0;
        for span in &self.spans {
            if span.start >= text.len() {
                break;
            }
            out.extend_from_slice(&text[at..span.start]);
            out.extend_from_slice(REDACTED.as_bytes());
            at = span.end.min(text.len());
        }
        out.extend_from_slice(&text[at..]);
        out
    }

    /// An excerpt of the start of `text`, which these redactions were found in (or in a text that
    /// starts with it); `cut` when `text` is only the start of something longer.
    pub(crate) fn excerpt(&self, text: &[u8], max_chars: usize, cut: bool) -> String {
        let window = &text[..text.len().min(max_chars * 4)];
        fold(
            &self.apply(window),
            max_chars,
            cut || text.len() > window.len(),
        )
    }

    /// A fragment of `text` (at `range`) quoted in a message: [`REDACTED`] when it touches a
    /// credential, else a short excerpt.
    pub(crate) fn quote(&self, text: &[u8], range: Range<usize>, max_chars: usize) -> String {
        if self.overlaps(&range) {
            return REDACTED.to_owned();
        }
        let fragment = &text[range];
        let window = &fragment[..fragment.len().min(max_chars * 4)];
        fold(window, max_chars, fragment.len() > window.len())
    }
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn is_credential_key(run: &[u8]) -> bool {
    CREDENTIAL_KEYS
        .iter()
        .any(|key| run.len() >= key.len() && run[run.len() - key.len()..].eq_ignore_ascii_case(key))
}

/// The value after a credential key ending at `at`, in whichever shape follows.
fn value_after_key(text: &[u8], at: usize) -> Option<Range<usize>> {
    let mut j = at;
    let key_quote = Quote::at(text, j);
    match &key_quote {
        // A quoted key: `"password": …`.
        Some(quote) => j += quote.len,
        None => {
            // An element: `<password>…`, or escaped `&lt;password&gt;…`.
            if text.get(j) == Some(&b'>') {
                let start = j + 1;
                let rest = &text[start..];
                let end = match rest.strip_prefix(b"<![CDATA[") {
                    Some(cdata) => memchr::memmem::find(cdata, b"]]>")
                        .map_or(text.len(), |e| start + 9 + e + 3),
                    None => memchr(b'<', rest).map_or(text.len(), |e| start + e),
                };
                return Some(start..end);
            }
            if let Some(gt) = Entity::at(text, j).filter(|e| e.name == b"gt") {
                let start = j + gt.len;
                return Some(start..find_entity(text, start, gt.level, Closing::LessThan));
            }
        }
    }
    j = skip_space(text, j);
    let separator = *text.get(j).filter(|&&b| b == b'=' || b == b':')?;
    j = skip_space(text, j + 1);
    let line_end =
        |from: usize| memchr2(b'\r', b'\n', &text[from..]).map_or(text.len(), |e| from + e);
    // `password: …` is text, whose quotes prove nothing: the line is redacted to its end.
    if separator == b':' && key_quote.is_none() {
        return Some(j..line_end(j));
    }
    if let Some(quote) = Quote::at(text, j) {
        let start = j + quote.len;
        let end = quote.close(text, start);
        // A quote that closes before the value seems to end (`password: ""secret`) opened no
        // quoted value: the line is redacted to its end.
        return Some(if ends_a_value(text, end + quote.len) {
            start..end
        } else {
            start..line_end(end).max(end)
        });
    }
    let rest = &text[j..];
    Some(if separator == b'=' {
        j..rest
            .iter()
            .position(|b| matches!(b, b'&' | b'"' | b'<' | b'>' | b'\r' | b'\n'))
            .map_or(text.len(), |e| j + e)
    } else {
        // `"password": null` and the like.
        j..line_end(j)
    })
}

/// Whether what follows a closing quote at `at` (after spaces) can follow a quoted value: the
/// end of the line or text, or punctuation of JSON, a query string or markup.
fn ends_a_value(text: &[u8], at: usize) -> bool {
    let mut j = at.min(text.len());
    while text.get(j).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        j += 1;
    }
    text.get(j).map_or(true, |b| {
        matches!(
            b,
            b'\r' | b'\n' | b',' | b'}' | b']' | b')' | b';' | b'&' | b'<' | b'>' | b'/'
        )
    })
}

fn skip_space(text: &[u8], mut j: usize) -> usize {
    while text
        .get(j)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    {
        j += 1;
    }
    j
}

/// An escaped character `&name;`, possibly escaped again (`&amp;name;`, `&amp;amp;name;` …).
struct Entity<'t> {
    /// How many `amp;` precede the name.
    level: usize,
    name: &'t [u8],
    len: usize,
}

impl<'t> Entity<'t> {
    fn at(text: &'t [u8], at: usize) -> Option<Self> {
        if text.get(at) != Some(&b'&') {
            return None;
        }
        let mut j = at + 1;
        let mut level = 0;
        while level < MAX_ESCAPE_LEVELS && text[j..].starts_with(b"amp;") {
            level += 1;
            j += 4;
        }
        let rest = &text[j..text.len().min(j + 8)];
        let end = memchr(b';', rest)?;
        Some(Entity {
            level,
            name: &rest[..end],
            len: j + end + 1 - at,
        })
    }
}

/// What an escaped character closes: an element's text (`<`), or a quoted value.
#[derive(Clone, Copy)]
enum Closing {
    LessThan,
    Quote { double: bool },
}

/// The first `&…name;` escaped `level` times at or after `from` that is `closing`, or the end.
fn find_entity(text: &[u8], from: usize, level: usize, closing: Closing) -> usize {
    let mut j = from;
    while let Some(amp) = memchr(b'&', &text[j..]) {
        j += amp;
        let found = Entity::at(text, j).is_some_and(|e| {
            e.level == level
                && match closing {
                    Closing::LessThan => e.name == b"lt",
                    Closing::Quote { double } => is_double_quote(e.name) == Some(double),
                }
        });
        if found {
            return j;
        }
        j += 1;
    }
    text.len()
}

/// An opening quote: `"` or `'`, raw or escaped as an entity, possibly after a backslash (JSON
/// inside a JSON string).
struct Quote {
    double: bool,
    /// The entity's escaping level; `None` for a raw quote character.
    entity: Option<usize>,
    backslashed: bool,
    len: usize,
}

impl Quote {
    #[inline(never)]
    fn at(text: &[u8], at: usize) -> Option<Self> {
        let backslashed = text.get(at) == Some(&b'\\');
        let j = at + usize::from(backslashed);
        let (double, entity, len) = match text.get(j)? {
            b'"' => (true, None, 1),
            b'\'' => (false, None, 1),
            b'&' => {
                let e = Entity::at(text, j)?;
                (is_double_quote(e.name)?, Some(e.level), e.len)
            }
            _ => return None,
        };
        Some(Quote {
            double,
            entity,
            backslashed,
            len: j - at + len,
        })
    }

    /// Where the quoted value starting at `from` ends: the same quote, not escaped by a
    /// backslash; the end of the text when it never comes.
    #[inline(never)]
    fn close(&self, text: &[u8], from: usize) -> usize {
        let mut j = from;
        loop {
            let candidate = match self.entity {
                None => {
                    let quote = if self.double { b'"' } else { b'\'' };
                    memchr(quote, &text[j..]).map(|i| j + i)
                }
                Some(level) => {
                    let end = find_entity(
                        text,
                        j,
                        level,
                        Closing::Quote {
                            double: self.double,
                        },
                    );
                    (end < text.len()).then_some(end)
                }
            };
            let Some(at) = candidate else {
                return text.len();
            };
            let backslashes = text[from..at]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            // A JSON string's own quote is `\"`; inside a string in a string it is `\\\"`.
            let closes = if self.backslashed {
                backslashes % 4 == 1
            } else {
                backslashes % 2 == 0
            };
            if closes {
                return at - usize::from(self.backslashed);
            }
            j = at + 1;
        }
    }
}

/// `Some(true)` for the names of `"`, `Some(false)` for those of `'`.
fn is_double_quote(name: &[u8]) -> Option<bool> {
    match name {
        b"quot" | b"#34" | b"#x22" | b"#X22" => Some(true),
        b"apos" | b"#39" | b"#039" | b"#x27" | b"#X27" => Some(false),
        _ => None,
    }
}

/// At most `max_chars` printable characters of `bytes`: invalid UTF-8 replaced, white space and
/// control characters folded into single spaces, `…` when cut.
fn fold(bytes: &[u8], max_chars: usize, cut: bool) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    let mut count = 0;
    let mut last_space = true;
    for c in text.chars() {
        let c = if c.is_whitespace() || c.is_control() {
            ' '
        } else {
            c
        };
        if c == ' ' && last_space {
            continue;
        }
        if count == max_chars {
            out.push('…');
            return out;
        }
        last_space = c == ' ';
        out.push(c);
        count += 1;
    }
    if cut {
        out.push('…');
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_white_space_and_control_characters() {
        assert_eq!(excerpt(b"  <html>\r\n\t<body>\x00x", 80), "<html> <body> x");
    }

    #[test]
    fn cuts_long_text_with_an_ellipsis() {
        assert_eq!(excerpt("ąęółżźćń".as_bytes(), 3), "ąęó…");
        assert_eq!(excerpt(&[b'a'; 500], 5), "aaaaa…");
    }

    #[test]
    fn replaces_invalid_utf8() {
        assert_eq!(excerpt(b"ab\xffcd", 10), "ab\u{fffd}cd");
    }

    #[test]
    fn form_encoded_credentials_are_blanked() {
        let page = b"<pre>POST /?do=x email=shop%40example.pl&password=p%26ss+w&content=%3Cpaczkomaty%3E</pre>";
        assert_eq!(
            excerpt(page, 200),
            "<pre>POST /?do=x email=[redacted]&password=[redacted]&content=%3Cpaczkomaty%3E</pre>"
        );
        assert_eq!(excerpt(b"password=secret", 40), "password=[redacted]");
        assert_eq!(
            redact("a=1&amp;PASSWORD=s3cret&amp;b=2"),
            "a=1&amp;PASSWORD=[redacted]&amp;b=2"
        );
    }

    #[test]
    fn every_echo_shape_is_redacted() {
        for (echo, expected) in [
            (
                r#"{"email":"a@b.pl","password":"p\"w"}"#,
                r#"{"email":"[redacted]","password":"[redacted]"}"#,
            ),
            (r#"{'Password': 'x y'}"#, r#"{'Password': '[redacted]'}"#),
            (
                r#"{\"password\":\"a\\\"b\"}"#,
                r#"{\"password\":\"[redacted]\"}"#,
            ),
            (
                "&quot;password&quot;: &quot;s\\&quot;x&quot;,",
                "&quot;password&quot;: &quot;[redacted]&quot;,",
            ),
            (
                "<email>a@b.pl</email><password>s&lt;x</password>",
                "<email>[redacted]</email><password>[redacted]</password>",
            ),
            (
                "<password><![CDATA[a<b]]></password>",
                "<password>[redacted]</password>",
            ),
            (
                "&lt;password&gt;a&amp;lt;b&lt;/password&gt;",
                "&lt;password&gt;[redacted]&lt;/password&gt;",
            ),
            (
                "&amp;lt;password&amp;gt;a&amp;amp;lt;b&amp;lt;/password&amp;gt;",
                "&amp;lt;password&amp;gt;[redacted]&amp;lt;/password&amp;gt;",
            ),
            (
                "User-Password: correct horse\nnext",
                "User-Password: [redacted]\nnext",
            ),
            ("E-Mail = shop@example.pl\r\n", "E-Mail = [redacted]\r\n"),
            (
                "<input senderEmail=\"x@y.pl\">",
                "<input senderEmail=\"[redacted]\">",
            ),
            ("password=\n", "password=\n"),
            (
                "no credentials here: password",
                "no credentials here: password",
            ),
        ] {
            assert_eq!(redact(echo), expected, "{echo}");
        }
    }

    #[test]
    fn a_value_without_its_end_is_redacted_to_the_end() {
        assert_eq!(redact(r#"{"password":"abc"#), r#"{"password":"[redacted]"#);
        assert_eq!(redact("<password>abc"), "<password>[redacted]");
    }

    #[test]
    fn quoted_fragments_touching_a_credential_are_hidden() {
        let text = b"<a>password: ab<cdefgh>x</b>";
        let redactions = Redactions::find(text);
        assert_eq!(redactions.quote(text, 16..22, 40), REDACTED);
        assert_eq!(redactions.quote(text, 1..2, 40), "a");
    }

    #[test]
    fn redaction_is_linear_on_repetitive_text() {
        // Would take minutes if any step rescanned the rest of the text.
        let text = format!(
            "{}{}",
            "\"password\":\"".repeat(20_000),
            "\\".repeat(200_000)
        );
        assert!(redact(&text).len() < text.len());
        let text = "&amp;".repeat(100_000) + &"password=x&".repeat(100_000);
        assert!(redact(&text).contains(REDACTED));
    }
}
