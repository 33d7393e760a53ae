//! A tolerant reader for InPost's answers. It accepts what InPost really sends (list items named
//! `<0>`, `<1>`…, which strict parsers reject), flattens each record into `(name, text)` pairs and
//! borrows text from the body wherever no unescaping is needed.
//!
//! Safety against hostile bodies: no DTD is processed and no entity but XML's five predefined
//! ones and character references is expanded (so nothing can reach a file or the network or
//! multiply the input), nesting is limited, and all work is linear in the body's size.

use std::borrow::Cow;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use crate::model::Text;
use crate::text::excerpt;
use crate::Error;

/// Deeper nesting than this is refused; InPost's answers are four levels deep.
const MAX_DEPTH: usize = 32;
/// Larger bodies are refused: a full report page (1000 records) is well under 1 MiB.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
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
    /// Whether a `<return>` element was present.
    pub has_return: bool,
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
    let mut parser = Parser::new(text, status);
    parser.document().map_err(|e| parser.describe(e))
}

/// Why reading stopped, turned into an [`Error`] by [`Parser::describe`].
enum Stop {
    /// InPost's own `<error>`.
    Api {
        key: Option<String>,
        message: String,
    },
    /// Anything else, with a description.
    Malformed(String),
}

struct Parser<'a> {
    input: &'a str,
    reader: Reader<&'a [u8]>,
    status: u16,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str, status: u16) -> Self {
        let mut reader = Reader::from_str(input);
        let config = reader.config_mut();
        // A stray `&` in a Polish message should not lose the whole answer.
        config.allow_dangling_amp = true;
        config.check_end_names = true;
        Parser {
            input,
            reader,
            status,
            depth: 0,
        }
    }

    fn describe(&self, stop: Stop) -> Error {
        match stop {
            Stop::Api { key, message } => Error::Api {
                key,
                message,
                status: self.status,
            },
            Stop::Malformed(why) => Error::unexpected(
                self.status,
                format!(
                    "{why}; the body starts: {}",
                    excerpt(self.input.as_bytes(), EXCERPT_CHARS)
                ),
            ),
        }
    }

    fn next(&mut self) -> Result<Event<'a>, Stop> {
        self.reader.read_event().map_err(|e| {
            Stop::Malformed(format!(
                "malformed XML near byte {}: {e}",
                self.reader.error_position()
            ))
        })
    }

    /// The element name, borrowed from the input where possible.
    fn name(&self, start: &BytesStart<'_>) -> Result<Text<'a>, Stop> {
        let raw = start.name();
        let raw: &str = raw.as_ref();
        Ok(match borrowed_from(self.input, raw) {
            Some(borrowed) => Cow::Borrowed(borrowed),
            None => Cow::Owned(raw.to_owned()),
        })
    }

    fn document(&mut self) -> Result<Document<'a>, Stop> {
        let root = loop {
            match self.next()? {
                Event::Start(e) => break (self.name(&e)?, false),
                Event::Empty(e) => break (self.name(&e)?, true),
                Event::Text(t) if t.xml10_content().trim().is_empty() => {}
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => return Err(Stop::Malformed("the body holds no XML element".into())),
                _ => return Err(Stop::Malformed("the body is not XML".into())),
            }
        };
        let mut doc = Document::default();
        match (root.0.as_ref(), root.1) {
            ("paczkomaty", true) => Ok(doc),
            ("paczkomaty", false) => {
                self.depth = 1;
                self.root_children(&mut doc)?;
                Ok(doc)
            }
            ("error", true) => Err(Stop::Api {
                key: None,
                message: String::new(),
            }),
            ("error", false) => Err(self.api_error(None)),
            (other, _) => Err(Stop::Malformed(format!(
                "expected a <paczkomaty> document, got <{}>",
                excerpt(other.as_bytes(), 40)
            ))),
        }
    }

    fn root_children(&mut self, doc: &mut Document<'a>) -> Result<(), Stop> {
        loop {
            match self.next()? {
                Event::Start(e) => {
                    let name = self.name(&e)?;
                    match name.as_ref() {
                        "error" => {
                            let key = attribute(&e, "key");
                            return Err(self.api_error(key));
                        }
                        "return" => {
                            doc.has_return = true;
                            self.return_children(doc)?;
                        }
                        _ => self.element(name, &mut doc.top)?,
                    }
                }
                Event::Empty(e) => {
                    let name = self.name(&e)?;
                    match name.as_ref() {
                        "error" => {
                            let key = attribute(&e, "key");
                            return Err(Stop::Api {
                                key,
                                message: String::new(),
                            });
                        }
                        "return" => doc.has_return = true,
                        _ => doc.top.push(Field { name, value: None }),
                    }
                }
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(truncated()),
                _ => {}
            }
        }
    }

    fn return_children(&mut self, doc: &mut Document<'a>) -> Result<(), Stop> {
        self.enter()?;
        loop {
            match self.next()? {
                Event::Start(e) => {
                    let name = self.name(&e)?;
                    let mut fields = Vec::with_capacity(16);
                    let (text, has_children) = self.children(None, &mut fields)?;
                    if has_children {
                        doc.items.push(fields);
                    } else {
                        doc.return_fields.push(Field { name, value: text });
                    }
                }
                Event::Empty(e) => {
                    let name = self.name(&e)?;
                    doc.return_fields.push(Field { name, value: None });
                }
                Event::End(_) => break,
                Event::Eof => return Err(truncated()),
                _ => {}
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads the element just opened as `name`: a leaf becomes one field, a container adds its
    /// leaves under `name.child`.
    fn element(&mut self, name: Text<'a>, out: &mut Vec<Field<'a>>) -> Result<(), Stop> {
        let (text, has_children) = self.children(Some(&name), out)?;
        if !has_children {
            out.push(Field { name, value: text });
        }
        Ok(())
    }

    /// Reads up to the end of the current element. Returns its trimmed text (for a leaf) and
    /// whether it had child elements, whose leaves went to `out`.
    fn children(
        &mut self,
        prefix: Option<&Text<'a>>,
        out: &mut Vec<Field<'a>>,
    ) -> Result<(Option<Text<'a>>, bool), Stop> {
        self.enter()?;
        let mut text = TextBuffer::default();
        let mut has_children = false;
        loop {
            match self.next()? {
                Event::Start(e) => {
                    has_children = true;
                    let name = self.child_name(prefix, &e)?;
                    self.element(name, out)?;
                }
                Event::Empty(e) => {
                    has_children = true;
                    let name = self.child_name(prefix, &e)?;
                    out.push(Field { name, value: None });
                }
                Event::Text(t) => text.push(t.xml10_content()),
                Event::CData(c) => text.push(c.xml10_content()),
                Event::GeneralRef(r) => text.push(Cow::Owned(resolve_reference(&r)?.to_string())),
                Event::End(_) => break,
                Event::Eof => return Err(truncated()),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
        }
        self.depth -= 1;
        Ok((
            if has_children { None } else { text.finish() },
            has_children,
        ))
    }

    fn child_name(
        &self,
        prefix: Option<&Text<'a>>,
        start: &BytesStart<'_>,
    ) -> Result<Text<'a>, Stop> {
        let name = self.name(start)?;
        Ok(match prefix {
            None => name,
            Some(prefix) => Cow::Owned(format!("{prefix}.{name}")),
        })
    }

    /// Reads the text of an `<error>` element just opened.
    fn api_error(&mut self, key: Option<String>) -> Stop {
        let mut ignored = Vec::new();
        match self.children(None, &mut ignored) {
            Ok((text, _)) => Stop::Api {
                key,
                message: text.map(Cow::into_owned).unwrap_or_default(),
            },
            Err(stop) => stop,
        }
    }

    fn enter(&mut self) -> Result<(), Stop> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Stop::Malformed(format!(
                "elements are nested more than {MAX_DEPTH} levels deep"
            )));
        }
        Ok(())
    }
}

fn truncated() -> Stop {
    Stop::Malformed("the body ends before the document does (truncated?)".into())
}

/// `part` re-sliced from `input` when it lies inside it, giving it the input's lifetime.
fn borrowed_from<'a>(input: &'a str, part: &str) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(input.as_ptr() as usize)?;
    input.get(start..start.checked_add(part.len())?)
}

/// An attribute's value with references resolved; `None` when absent or unreadable.
fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    let attr = start.try_get_attribute(name).ok()??;
    attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(Cow::into_owned)
}

/// XML's five predefined entities and character references; anything else is refused rather
/// than expanded.
fn resolve_reference(reference: &BytesRef<'_>) -> Result<char, Stop> {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Ok(c);
    }
    match reference.xml10_content().as_ref() {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(Stop::Malformed(format!(
            "the body uses the entity &{};, which is not expanded",
            excerpt(other.as_bytes(), 40)
        ))),
    }
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
        const WS: [char; 4] = [' ', '\t', '\n', '\r'];
        let text = self.text?;
        let trimmed_len = text.trim_matches(WS).len();
        if trimmed_len == 0 {
            return None;
        }
        Some(match text {
            Cow::Borrowed(b) => Cow::Borrowed(b.trim_matches(WS)),
            Cow::Owned(o) if o.len() == trimmed_len => Cow::Owned(o),
            Cow::Owned(o) => Cow::Owned(o.trim_matches(WS).to_owned()),
        })
    }
}
