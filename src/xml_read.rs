//! A tolerant reader for InPost's answers. It accepts what InPost really sends (list items named
//! `<0>`, `<1>`…, which strict parsers reject), flattens each record into `(name, text)` pairs and
//! borrows text from the body wherever nothing needs unescaping.
//!
//! Tags are delimited by quick-xml's low-level [`ElementParser`] over the already validated UTF-8
//! body; this avoids re-validating every event and keeps parsing above 400 MB/s (see README).
//!
//! Safety against hostile bodies: a DTD is skipped, never processed, and no entity but XML's five
//! predefined ones and character references is expanded (nothing can reach a file or the network
//! or multiply the input); nesting is limited; all work is linear in the body's size.

use std::borrow::Cow;

use memchr::memmem;
use quick_xml::events::BytesStart;
use quick_xml::parser::{ElementParser, Parser as _};

use crate::model::Text;
use crate::text::excerpt;
use crate::Error;

/// Deeper nesting than this is refused; InPost's answers are four levels deep.
const MAX_DEPTH: usize = 32;
/// Larger bodies are refused: a full report page (1000 records) is well under 1 MiB.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// How much of a body an error message may quote.
const EXCERPT_CHARS: usize = 120;

/// One leaf element: its name (a dotted path below the record for nested elements) and its text,
/// `None` when empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field<'a> {
    pub name: Text<'a>,
    pub value: Option<Text<'a>>,
}

/// What an answer holds, before the operation decides what it needs from it.
#[derive(Debug, Default)]
pub(crate) struct Document<'a> {
    /// Leaves directly under `<paczkomaty>` (other than `return` and `error`).
    pub top: Vec<Field<'a>>,
    /// Leaves directly under `<return>` (a single record).
    pub return_fields: Vec<Field<'a>>,
    /// Elements with children under `<return>`: the list items, whatever their names.
    pub items: Vec<Vec<Field<'a>>>,
}

/// Reads a body into a [`Document`], or the error it carries.
pub(crate) fn read(status: u16, body: &[u8]) -> Result<Document<'_>, Error> {
    if body.len() > MAX_BODY_BYTES {
        return Err(Error::unexpected(
            status,
            format!(
                "the body is {} bytes, more than the {} accepted",
                body.len(),
                MAX_BODY_BYTES
            ),
        ));
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        Error::unexpected(
            status,
            format!(
                "the body is not UTF-8 (bad byte at {}): {}",
                e.valid_up_to(),
                excerpt(body, EXCERPT_CHARS)
            ),
        )
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::unexpected(status, "the body is empty"));
    }
    Reader {
        tokens: Tokenizer {
            input: text,
            pos: 0,
        },
        depth: 0,
        has_carriage_returns: memchr::memchr(b'\r', text.as_bytes()).is_some(),
    }
    .document()
    .map_err(|stop| match stop {
        Stop::Api { key, message } => Error::Api {
            key,
            message,
            status,
        },
        Stop::Malformed(why) => Error::unexpected(
            status,
            format!(
                "{why}; the body starts: {}",
                excerpt(text.as_bytes(), EXCERPT_CHARS)
            ),
        ),
    })
}

/// Why reading stopped.
enum Stop {
    /// InPost's own `<error>`.
    Api {
        key: Option<String>,
        message: String,
    },
    /// Anything else, with a description.
    Malformed(String),
}

fn malformed<T>(why: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Malformed(why.into()))
}

// ---- tokens -------------------------------------------------------------------------------------

/// One piece of markup or text, borrowed from the body.
enum Token<'a> {
    /// `<name attributes>` or, when `empty`, `<name attributes/>`; `tag` is everything between
    /// `<` and `>` (without a closing `/`).
    Start {
        name: &'a str,
        tag: &'a str,
        empty: bool,
    },
    End {
        name: &'a str,
    },
    /// Character data, still escaped.
    Text(&'a str),
    /// The inside of `<![CDATA[…]]>`, taken literally.
    CData(&'a str),
    /// A comment, processing instruction, XML declaration or DOCTYPE: skipped.
    Skipped,
    Eof,
}

struct Tokenizer<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Tokenizer<'a> {
    fn next(&mut self) -> Result<Token<'a>, Stop> {
        let bytes = self.input.as_bytes();
        let start = self.pos;
        if start >= bytes.len() {
            return Ok(Token::Eof);
        }
        if bytes[start] != b'<' {
            // Text runs are short: a plain loop beats a vectorised search's set-up here.
            let end = bytes[start..]
                .iter()
                .position(|&b| b == b'<')
                .map_or(bytes.len(), |i| start + i);
            self.pos = end;
            return Ok(Token::Text(&self.input[start..end]));
        }
        let rest = &self.input[start..];
        match bytes.get(start + 1) {
            Some(b'!') => {
                if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
                    let end = self.find(cdata, "]]>", "a CDATA section")?;
                    return Ok(Token::CData(&cdata[..end]));
                }
                match rest.strip_prefix("<!--") {
                    Some(comment) => self.find(comment, "-->", "a comment").map(drop)?,
                    None => self.skip_declaration(start)?,
                }
                return Ok(Token::Skipped);
            }
            Some(b'?') => {
                self.find(&rest[2..], "?>", "a processing instruction")?;
                return Ok(Token::Skipped);
            }
            _ => {}
        }
        // Most tags have no attributes: find `>` directly and let quick-xml's parser, which knows
        // that `>` may stand inside a quoted value, take over at the first quote.
        let after = &bytes[start + 1..];
        let len = match after.iter().position(|&b| matches!(b, b'>' | b'"' | b'\'')) {
            Some(i) if after[i] == b'>' => Some(i),
            _ => ElementParser::default().feed(after),
        };
        let Some(len) = len else {
            return malformed(format!("an unclosed tag at byte {start} (truncated?)"));
        };
        self.pos = start + 1 + len + 1;
        let tag = &self.input[start + 1..start + 1 + len];
        if let Some(name) = tag.strip_prefix('/') {
            return Ok(Token::End {
                name: &name[..trimmed_range(name.as_bytes()).map_or(0, |(_, end)| end)],
            });
        }
        let (tag, empty) = match tag.strip_suffix('/') {
            Some(tag) => (tag, true),
            None => (tag, false),
        };
        let mut name_len = tag.len();
        for (i, &b) in tag.as_bytes().iter().enumerate() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => {
                    name_len = i;
                    break;
                }
                b'<' | b'&' | b'"' | b'\'' | b'=' => {
                    return malformed(format!("a malformed tag at byte {start}"))
                }
                _ => {}
            }
        }
        if name_len == 0 {
            return malformed(format!("a tag without a name at byte {start}"));
        }
        Ok(Token::Start {
            name: &tag[..name_len],
            tag,
            empty,
        })
    }

    /// When the input continues with plain text and then `</name>`, moves past both and returns
    /// the text (still escaped). Anything else — a child, a comment, CDATA, another end tag —
    /// leaves the position as it was, for [`Tokenizer::next`] to read piece by piece.
    /// Also tells whether the text holds a `&`, so that text without one skips unescaping.
    fn leaf(&mut self, name: &str) -> Option<(&'a str, bool)> {
        let bytes = self.input.as_bytes();
        let start = self.pos;
        let rest = bytes.get(start..)?;
        let mut lt = rest.iter().position(|&b| b == b'<' || b == b'&')?;
        let has_reference = rest[lt] == b'&';
        if has_reference {
            lt += rest[lt..].iter().position(|&b| b == b'<')?;
        }
        let lt = start + lt;
        let close = bytes.get(lt + 1..lt + 3 + name.len())?;
        if close[0] != b'/'
            || &close[1..=name.len()] != name.as_bytes()
            || close[name.len() + 1] != b'>'
        {
            return None;
        }
        self.pos = lt + 3 + name.len();
        Some((self.input.get(start..lt)?, has_reference))
    }

    /// Moves past `end` found in `haystack` (the text after the opening delimiter) and returns
    /// its offset there.
    fn find(&mut self, haystack: &'a str, end: &str, what: &str) -> Result<usize, Stop> {
        match memmem::find(haystack.as_bytes(), end.as_bytes()) {
            Some(i) => {
                self.pos = self.input.len() - haystack.len() + i + end.len();
                Ok(i)
            }
            None => malformed(format!("{what} that never ends (truncated?)")),
        }
    }

    /// Skips `<!DOCTYPE …>` including an internal subset in brackets, without interpreting it.
    fn skip_declaration(&mut self, start: usize) -> Result<(), Stop> {
        let mut depth = 0usize;
        let mut quote = None;
        for (i, &b) in self.input.as_bytes()[start + 2..].iter().enumerate() {
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'[') => depth += 1,
                (None, b']') => depth = depth.saturating_sub(1),
                (None, b'>') if depth == 0 => {
                    self.pos = start + 2 + i + 1;
                    return Ok(());
                }
                _ => {}
            }
        }
        malformed("a <!DOCTYPE …> declaration that never ends (truncated?)")
    }
}

// ---- structure ----------------------------------------------------------------------------------

struct Reader<'a> {
    tokens: Tokenizer<'a>,
    depth: usize,
    /// Whether the body holds a `\r` at all: most do not, and their text needs no line-end pass.
    has_carriage_returns: bool,
}

impl<'a> Reader<'a> {
    fn document(&mut self) -> Result<Document<'a>, Stop> {
        let (root, tag, empty) = loop {
            match self.tokens.next()? {
                Token::Start { name, tag, empty } => break (name, tag, empty),
                Token::Skipped => {}
                Token::Text(t) if is_blank(t) => {}
                Token::Eof => return malformed("the body holds no XML element"),
                _ => return malformed("the body is not XML"),
            }
        };
        let mut doc = Document::default();
        match (root, empty) {
            ("paczkomaty", true) => {}
            ("paczkomaty", false) => self.root_children(root, &mut doc)?,
            ("error", true) => {
                return Err(Stop::Api {
                    key: error_key(tag),
                    message: String::new(),
                })
            }
            ("error", false) => return Err(self.api_error(root, tag)),
            (other, _) => {
                return malformed(format!(
                    "expected a <paczkomaty> document, got <{}>",
                    excerpt(other.as_bytes(), 40)
                ))
            }
        }
        Ok(doc)
    }

    fn root_children(&mut self, root: &'a str, doc: &mut Document<'a>) -> Result<(), Stop> {
        self.enter()?;
        loop {
            match self.tokens.next()? {
                Token::Start {
                    name: "error",
                    tag,
                    empty: true,
                } => {
                    return Err(Stop::Api {
                        key: error_key(tag),
                        message: String::new(),
                    })
                }
                Token::Start {
                    name: "error",
                    tag,
                    empty: false,
                } => return Err(self.api_error("error", tag)),
                Token::Start {
                    name: "return",
                    empty: true,
                    ..
                } => {}
                Token::Start {
                    name: "return",
                    empty: false,
                    ..
                } => self.return_children(doc)?,
                Token::Start {
                    name, empty: true, ..
                } => doc.top.push(Field {
                    name: Cow::Borrowed(name),
                    value: None,
                }),
                Token::Start {
                    name, empty: false, ..
                } => self.element(Cow::Borrowed(name), name, &mut doc.top)?,
                Token::End { name } => return self.close(root, name),
                Token::Eof => return Err(truncated()),
                Token::Text(_) | Token::CData(_) | Token::Skipped => {}
            }
        }
    }

    fn return_children(&mut self, doc: &mut Document<'a>) -> Result<(), Stop> {
        self.enter()?;
        loop {
            match self.tokens.next()? {
                Token::Start {
                    name, empty: true, ..
                } => doc.return_fields.push(Field {
                    name: Cow::Borrowed(name),
                    value: None,
                }),
                Token::Start {
                    name, empty: false, ..
                } => {
                    let mut fields = Vec::with_capacity(16);
                    let (text, has_children) = self.children(None, name, &mut fields)?;
                    if has_children {
                        doc.items.push(fields);
                    } else {
                        doc.return_fields.push(Field {
                            name: Cow::Borrowed(name),
                            value: text,
                        });
                    }
                }
                Token::End { name } => return self.close("return", name),
                Token::Eof => return Err(truncated()),
                Token::Text(_) | Token::CData(_) | Token::Skipped => {}
            }
        }
    }

    /// Reads the element just opened as `tag_name`: a leaf becomes one field named `path`, a
    /// container adds its leaves under `path.child`.
    fn element(
        &mut self,
        path: Text<'a>,
        tag_name: &'a str,
        out: &mut Vec<Field<'a>>,
    ) -> Result<(), Stop> {
        let (text, has_children) = self.children(Some(&path), tag_name, out)?;
        if !has_children {
            out.push(Field {
                name: path,
                value: text,
            });
        }
        Ok(())
    }

    /// Reads up to the end of the element `tag_name`. Returns its trimmed text (for a leaf) and
    /// whether it had child elements, whose leaves went to `out`.
    fn children(
        &mut self,
        prefix: Option<&Text<'a>>,
        tag_name: &'a str,
        out: &mut Vec<Field<'a>>,
    ) -> Result<(Option<Text<'a>>, bool), Stop> {
        self.enter()?;
        let mut text = TextBuffer::default();
        if let Some((raw, has_reference)) = self.tokens.leaf(tag_name) {
            // The common `<name>text</name>`, read in one step.
            self.depth -= 1;
            let raw = if has_reference {
                unescape(raw)?
            } else {
                Cow::Borrowed(raw)
            };
            text.push(self.line_ends(raw));
            return Ok((text.finish(), false));
        }
        let mut has_children = false;
        loop {
            match self.tokens.next()? {
                Token::Start { name, empty, .. } => {
                    has_children = true;
                    let path = match prefix {
                        None => Cow::Borrowed(name),
                        Some(prefix) => Cow::Owned(format!("{prefix}.{name}")),
                    };
                    if empty {
                        out.push(Field {
                            name: path,
                            value: None,
                        });
                    } else {
                        self.element(path, name, out)?;
                    }
                }
                Token::Text(raw) => {
                    if !has_children {
                        text.push(self.line_ends(unescape(raw)?));
                    }
                }
                Token::CData(raw) => text.push(self.line_ends(Cow::Borrowed(raw))),
                Token::End { name } => {
                    self.close(tag_name, name)?;
                    return Ok((
                        if has_children { None } else { text.finish() },
                        has_children,
                    ));
                }
                Token::Eof => return Err(truncated()),
                Token::Skipped => {}
            }
        }
    }

    /// Reads the text of an `<error>` element just opened.
    fn api_error(&mut self, tag_name: &'a str, tag: &'a str) -> Stop {
        let mut ignored = Vec::new();
        match self.children(None, tag_name, &mut ignored) {
            Ok((text, _)) => Stop::Api {
                key: error_key(tag),
                message: text.map(Cow::into_owned).unwrap_or_default(),
            },
            Err(stop) => stop,
        }
    }

    fn line_ends(&self, text: Text<'a>) -> Text<'a> {
        if self.has_carriage_returns {
            normalize_line_ends(text)
        } else {
            text
        }
    }

    fn enter(&mut self) -> Result<(), Stop> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return malformed(format!(
                "elements are nested more than {MAX_DEPTH} levels deep"
            ));
        }
        Ok(())
    }

    /// Checks an end tag against the element it closes.
    fn close(&mut self, open: &str, end: &str) -> Result<(), Stop> {
        self.depth -= 1;
        if open != end {
            return malformed(format!(
                "<{}> is closed by </{}>",
                excerpt(open.as_bytes(), 40),
                excerpt(end.as_bytes(), 40)
            ));
        }
        Ok(())
    }
}

fn truncated() -> Stop {
    Stop::Malformed("the body ends before the document does (truncated?)".into())
}

/// XML's white space: space, tab, line feed, carriage return.
fn is_xml_space(b: &u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_blank(text: &str) -> bool {
    text.bytes().all(|b| is_xml_space(&b))
}

/// The `key` attribute of an `<error …>` tag, read with quick-xml's attribute parser.
fn error_key(tag: &str) -> Option<String> {
    let name_len = tag
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(tag.len());
    let start = BytesStart::from_content(tag, name_len);
    let attr = start.try_get_attribute("key").ok()??;
    let value = attr
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()?;
    Some(value.into_owned())
}

/// Resolves XML's five predefined entities and character references.
/// Any other entity is refused rather than expanded; a `&` that starts no reference is kept, so a
/// stray one in a message does not lose the answer.
fn unescape(raw: &str) -> Result<Text<'_>, Stop> {
    let Some(first) = raw.bytes().position(|b| b == b'&') else {
        return Ok(Cow::Borrowed(raw));
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut rest = &raw[first..];
    while let Some(after_amp) = rest.strip_prefix('&') {
        let reference = after_amp
            .find(';')
            .filter(|&end| end <= 32)
            .map(|end| &after_amp[..end]);
        let resolved = match reference {
            Some("amp") => Some('&'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("quot") => Some('"'),
            Some("apos") => Some('\''),
            Some(r) if r.starts_with('#') => Some(char_reference(&r[1..])?),
            Some(r) if !r.is_empty() && !r.contains(|c: char| c.is_whitespace() || c == '&') => {
                return malformed(format!(
                    "the body uses the entity &{};, which is not expanded",
                    excerpt(r.as_bytes(), 40)
                ))
            }
            _ => None,
        };
        match (resolved, reference) {
            (Some(c), Some(r)) => {
                out.push(c);
                rest = &after_amp[r.len() + 1..];
            }
            _ => {
                out.push('&');
                rest = after_amp;
            }
        }
        let next = rest.find('&').unwrap_or(rest.len());
        out.push_str(&rest[..next]);
        rest = &rest[next..];
    }
    Ok(Cow::Owned(out))
}

/// `#123` / `#x7B` without the `#`: a character XML allows.
fn char_reference(digits: &str) -> Result<char, Stop> {
    let code = match digits.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => digits.parse(),
    };
    match code.ok().and_then(char::from_u32) {
        Some(c) if c >= ' ' || matches!(c, '\t' | '\n' | '\r') => Ok(c),
        _ => malformed(format!(
            "the character reference &#{}; is not a character XML allows",
            excerpt(digits.as_bytes(), 12)
        )),
    }
}

/// XML's end-of-line handling: `\r\n` and lone `\r` become `\n`.
fn normalize_line_ends(text: Text<'_>) -> Text<'_> {
    if !text.as_bytes().contains(&b'\r') {
        return text;
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Collects an element's text pieces, borrowing when there is only one.
#[derive(Default)]
struct TextBuffer<'a> {
    text: Option<Text<'a>>,
}

impl<'a> TextBuffer<'a> {
    fn push(&mut self, piece: Text<'a>) {
        self.text = Some(match self.text.take() {
            None => piece,
            Some(mut text) => {
                text.to_mut().push_str(&piece);
                text
            }
        });
    }

    /// The text without surrounding XML white space; `None` when nothing is left.
    fn finish(self) -> Option<Text<'a>> {
        let text = self.text?;
        let (start, end) = trimmed_range(text.as_bytes())?;
        Some(match text {
            Cow::Borrowed(b) => Cow::Borrowed(&b[start..end]),
            Cow::Owned(o) if start == 0 && end == o.len() => Cow::Owned(o),
            Cow::Owned(o) => Cow::Owned(o[start..end].to_owned()),
        })
    }
}

/// The range left after trimming XML white space, `None` when nothing is left. White space is
/// ASCII, so the range always falls on character boundaries.
fn trimmed_range(bytes: &[u8]) -> Option<(usize, usize)> {
    let start = bytes.iter().position(|b| !is_xml_space(b))?;
    let end = bytes.iter().rposition(|b| !is_xml_space(b))? + 1;
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_resolves_predefined_entities_and_character_references() {
        assert_eq!(
            unescape("a &amp; b &lt;c&gt; &quot;&apos; &#261;&#x119;")
                .ok()
                .unwrap(),
            "a & b <c> \"' ąę"
        );
        assert!(matches!(
            unescape("plain").ok().unwrap(),
            Cow::Borrowed("plain")
        ));
    }

    #[test]
    fn unescape_keeps_a_stray_ampersand_and_refuses_other_entities() {
        assert_eq!(unescape("Kowalski & Syn").ok().unwrap(), "Kowalski & Syn");
        assert_eq!(unescape("a &amp b").ok().unwrap(), "a &amp b");
        assert!(unescape("&xxe;").is_err());
        assert!(unescape("&#0;").is_err());
        assert!(unescape("&#x1;").is_err());
        assert!(unescape("&#xD800;").is_err());
    }

    #[test]
    fn line_ends_are_normalised() {
        assert_eq!(normalize_line_ends(Cow::Borrowed("a\r\nb\rc")), "a\nb\nc");
    }

    fn top_fields(body: &str) -> Result<Vec<(String, Option<String>)>, Error> {
        let doc = read(200, body.as_bytes())?;
        Ok(doc
            .top
            .into_iter()
            .map(|f| (f.name.into_owned(), f.value.map(Cow::into_owned)))
            .collect())
    }

    #[test]
    fn leaves_read_in_one_step_and_piece_by_piece_agree() {
        let fields = top_fields(
            "<paczkomaty><a>x &amp; y</a><b>1<!-- c -->2</b><c>t</c ><d>u<e/></d><f></f></paczkomaty>",
        )
        .unwrap();
        let expected = [
            ("a", Some("x & y")),
            ("b", Some("12")),
            ("c", Some("t")),
            ("d.e", None),
            ("f", None),
        ];
        let expected: Vec<(String, Option<String>)> = expected
            .iter()
            .map(|(n, v)| (n.to_string(), v.map(str::to_owned)))
            .collect();
        assert_eq!(fields, expected);
    }

    #[test]
    fn a_leaf_closed_by_another_name_is_refused() {
        for body in [
            "<paczkomaty><a>x</ab></paczkomaty>",
            "<paczkomaty><ab>x</a></paczkomaty>",
        ] {
            let err = top_fields(body).unwrap_err();
            assert!(err.to_string().contains("is closed by"), "{err}");
        }
    }

    #[test]
    fn doctype_with_internal_subset_is_skipped_whole() {
        let mut tokens = Tokenizer {
            input: "<!DOCTYPE x [ <!ENTITY a \"]>\"> ]><r/>",
            pos: 0,
        };
        assert!(matches!(tokens.next(), Ok(Token::Skipped)));
        assert!(matches!(
            tokens.next(),
            Ok(Token::Start {
                name: "r",
                empty: true,
                ..
            })
        ));
    }

    #[test]
    fn attributes_with_angle_brackets_in_quotes_are_one_tag() {
        let mut tokens = Tokenizer {
            input: "<error key=\"a>b\">x</error>",
            pos: 0,
        };
        match tokens.next() {
            Ok(Token::Start {
                name: "error",
                tag,
                empty: false,
            }) => assert_eq!(error_key(tag).as_deref(), Some("a>b")),
            _ => panic!("expected a start tag"),
        }
    }
}
