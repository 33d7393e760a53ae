//! The structure reader of InPost's answers. It accepts what InPost really sends (list items named
//! `<0>`, `<1>`…, which strict parsers reject), flattens each record into `(name, text)` pairs and
//! borrows text from the body wherever nothing needs unescaping.
//!
//! Tokens come from [`super::tokenizer`]. Safety against hostile bodies: nesting is limited and
//! the body's size is capped; the tokenizer expands no entity beyond XML's own.

use std::borrow::Cow;

use crate::model::Text;
use crate::text::excerpt;
use crate::Error;

use super::tokenizer::{
    error_key, is_blank, normalize_line_ends, trimmed_range, unescape, Malformed, Token, Tokenizer,
};

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

impl From<Malformed> for Stop {
    fn from(Malformed(why): Malformed) -> Self {
        Stop::Malformed(why)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
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
}
