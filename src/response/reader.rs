//! The structure reader of InPost's answers. It accepts what InPost really sends (list items named
//! `<0>`, `<1>`…, which strict parsers reject), flattens each record into `(name, text)` pairs and
//! borrows text from the body wherever nothing needs decoding.
//!
//! Tokens come from [`super::tokenizer`]. Safety against hostile bodies: the body's size is capped,
//! nesting is limited, element names are bounded, and the dotted names built for nested elements
//! may add up to at most a few times the body's size, so memory stays linear in the body. Nothing
//! is built for what the operation discards (the text of `<error>`'s children, list items past
//! those used). Error messages quote the body only through [`Redactions`].

use std::borrow::Cow;
use std::sync::Arc;

use crate::model::Text;
use crate::text::{redact, Redactions};
use crate::Error;

pub(crate) use super::span::Field;
use super::span::{Span, Texts};
use super::tokenizer::{
    decode, decode_into, error_key, is_blank, normalize_line_ends, trimmed_range, Malformed, Token,
    Tokenizer,
};
pub(crate) use super::tokenizer::{same, same_bytes};

/// Deeper nesting than this is refused; InPost's answers are four levels deep.
const MAX_DEPTH: usize = 32;
/// Larger bodies are refused: a full report page (1000 records) is well under 1 MiB.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// How much of a body an error message may quote.
const EXCERPT_CHARS: usize = 120;
/// The dotted names of nested elements (`label.format`) may add up to this many bytes per byte of
/// body, plus [`NAMES_ALLOWANCE`]. A sane answer's stay far below; long names with many children
/// would otherwise multiply the body, in memory and in the JSON written from it.
const NAMES_PER_BODY_BYTE: usize = 4;
const NAMES_ALLOWANCE: usize = 64 * 1024;

fn field(name: Span, value: Span) -> Field {
    Field {
        name,
        value,
        occurrence: 0,
    }
}

/// What an answer holds, before the operation decides what it needs from it.
#[derive(Default)]
pub(crate) struct Document<'a> {
    /// Leaves directly under `<paczkomaty>` (other than `return` and `error`).
    pub top: Vec<Field>,
    /// Leaves directly under `<return>` (a single record).
    pub return_fields: Vec<Field>,
    /// The leaves of each element with children under `<return>`: the list items, whatever
    /// their names (at most the number asked for).
    pub items: Vec<Vec<Field>>,
    /// What the fields' spans point into.
    pub texts: Texts<'a>,
}

/// Reads a body into a [`Document`], or the error it carries. Only the first `items_wanted` list
/// items are kept; the rest are checked but not collected.
pub(crate) fn read(status: u16, body: &[u8], items_wanted: usize) -> Result<Document<'_>, Error> {
    read_into(status, body, items_wanted, None::<NoSink>)
}

/// The sink of [`read`], which keeps items in the document: a plain function type, so that the
/// streaming code is compiled only where [`read_streaming`] is used.
type NoSink = for<'f, 't, 'a> fn(&'f mut Vec<Field>, &'t Texts<'a>);

/// [`read`] with every list item handed to `sink` as soon as it is read instead of kept in the
/// [`Document`] (whose `items` stay empty): memory for one item, whatever their number.
///
/// The sink gets the item's fields, in a buffer the reader clears and reuses for the next item,
/// and what their spans point into (valid for this call only).
pub(crate) fn read_streaming<'a>(
    status: u16,
    body: &'a [u8],
    sink: impl FnMut(&mut Vec<Field>, &Texts<'a>),
) -> Result<Document<'a>, Error> {
    read_into(status, body, usize::MAX, Some(sink))
}

fn read_into<'a, S: FnMut(&mut Vec<Field>, &Texts<'a>)>(
    status: u16,
    body: &'a [u8],
    items_wanted: usize,
    sink: Option<S>,
) -> Result<Document<'a>, Error> {
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
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) => {
            let excerpt = Redactions::find(body).excerpt(body, EXCERPT_CHARS, false);
            return Err(Error::unexpected(
                status,
                format!(
                    "the body is not UTF-8 (bad byte at {}): {excerpt}",
                    e.valid_up_to()
                ),
            ));
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::unexpected(status, "the body is empty"));
    }
    let mut reader = Reader {
        tokens: Tokenizer {
            input: text,
            pos: 0,
        },
        depth: 0,
        has_carriage_returns: memchr::memchr(b'\r', text.as_bytes()).is_some(),
        path: String::new(),
        names_left: NAMES_PER_BODY_BYTE
            .saturating_mul(body.len())
            .saturating_add(NAMES_ALLOWANCE),
        item_fields: Vec::new(),
        store: String::new(),
        open: Vec::new(),
        items_wanted,
        sink,
    };
    let read = reader.document().map(|mut doc| {
        doc.texts = Texts::new(text, std::mem::take(&mut reader.store));
        doc
    });
    read.map_err(|stop| match stop {
        Stop::Api { key, message } => Error::Api {
            key: key.map(|key| redact(&key).into_owned()),
            message: match redact(&message) {
                Cow::Borrowed(_) => message,
                Cow::Owned(redacted) => redacted,
            },
            status,
        },
        Stop::Malformed(why) => {
            let redactions = Redactions::find(text.as_bytes());
            Error::unexpected(
                status,
                format!(
                    "{}; the body starts: {}",
                    why.render(text, &redactions),
                    redactions.excerpt(text.as_bytes(), EXCERPT_CHARS, false)
                ),
            )
        }
    })
}

/// Why reading stopped.
enum Stop<'a> {
    /// InPost's own `<error>` (redacted when it becomes an [`Error`]).
    Api {
        key: Option<String>,
        message: String,
    },
    /// Anything else, with a description.
    Malformed(Malformed<'a>),
}

fn malformed<'a, T>(why: impl Into<Cow<'static, str>>) -> Result<T, Stop<'a>> {
    Err(Stop::Malformed(Malformed::new(why)))
}

impl<'a> From<Malformed<'a>> for Stop<'a> {
    fn from(why: Malformed<'a>) -> Self {
        Stop::Malformed(why)
    }
}

struct Reader<'a, S> {
    tokens: Tokenizer<'a>,
    depth: usize,
    /// Whether the body holds a `\r` at all: most do not, and their text needs no line-end pass.
    has_carriage_returns: bool,
    /// The dotted path of the element being read, below its record; empty at the record level.
    /// One buffer for the whole body: entering an element appends its name, leaving cuts it.
    path: String,
    /// How many more bytes of dotted names may be built.
    names_left: usize,
    /// The fields of the list item being read; each item then keeps an exactly sized copy, so
    /// that many tiny items neither allocate room they do not use nor reallocate to give it back.
    item_fields: Vec<Field>,
    /// Text that is not a span of the body as it stands: decoded text and dotted names.
    store: String,
    /// The stack of [`Reader::children`], kept for the next call.
    open: Vec<Open<'a>>,
    items_wanted: usize,
    /// Where list items go instead of the document, if anywhere.
    sink: Option<S>,
}

impl<'a, S: FnMut(&mut Vec<Field>, &Texts<'a>)> Reader<'a, S> {
    fn document(&mut self) -> Result<Document<'a>, Stop<'a>> {
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
                return Err(Malformed::new("expected a <paczkomaty> document, got <")
                    .quote(other)
                    .say(">")
                    .into())
            }
        }
        self.epilogue()?;
        Ok(doc)
    }

    /// After the root element only white space, comments and processing instructions may come:
    /// anything else (a second `<error>`, a proxy's appended page) makes the answer unexpected.
    fn epilogue(&mut self) -> Result<(), Stop<'a>> {
        loop {
            let at = self.tokens.pos;
            match self.tokens.next()? {
                Token::Eof => return Ok(()),
                Token::Skipped => {}
                Token::Text(t) if is_blank(t) => {}
                _ => return malformed(format!("content after the root element, at byte {at}")),
            }
        }
    }

    fn root_children(&mut self, root: &'a str, doc: &mut Document<'a>) -> Result<(), Stop<'a>> {
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
                } => doc.top.push(field(self.span(name), Span::NONE)),
                Token::Start {
                    name, empty: false, ..
                } => self.element(name, Some(&mut doc.top))?,
                Token::End { name } => return self.close(root, name),
                Token::Eof => return Err(truncated()),
                Token::Text(_) | Token::CData(_) | Token::Skipped => {}
            }
        }
    }

    fn return_children(&mut self, doc: &mut Document<'a>) -> Result<(), Stop<'a>> {
        self.enter()?;
        loop {
            match self.tokens.next()? {
                Token::Start {
                    name, empty: true, ..
                } => doc.return_fields.push(field(self.span(name), Span::NONE)),
                Token::Start {
                    name, empty: false, ..
                } => {
                    let (text, is_item) = match self.leaf(name)? {
                        Some(text) => (Some(text), false),
                        None if doc.items.len() < self.items_wanted => {
                            let mut fields = std::mem::take(&mut self.item_fields);
                            let store_mark = self.store.len();
                            let read = self.children(name, Some(&mut fields));
                            if matches!(read, Ok((_, true))) {
                                if self.sink.is_some() {
                                    self.hand_over(&mut fields, store_mark);
                                } else {
                                    doc.items.push(fields.to_vec());
                                }
                            }
                            fields.clear();
                            self.item_fields = fields;
                            let (text, is_item) = read?;
                            (text.map(|text| self.value(Some(text))), is_item)
                        }
                        None => {
                            let (text, is_item) = self.children(name, None)?;
                            (text.map(|text| self.value(Some(text))), is_item)
                        }
                    };
                    if !is_item {
                        let value = text.unwrap_or(Span::NONE);
                        doc.return_fields.push(field(self.span(name), value));
                    }
                }
                Token::End { name } => return self.close("return", name),
                Token::Eof => return Err(truncated()),
                Token::Text(_) | Token::CData(_) | Token::Skipped => {}
            }
        }
    }

    /// Hands a list item to the sink, then forgets its text in the store (from `store_mark`):
    /// nothing else refers to it.
    fn hand_over(&mut self, fields: &mut Vec<Field>, store_mark: usize) {
        let Some(sink) = self.sink.as_mut() else {
            return;
        };
        let body = self.tokens.input;
        if self.store.is_empty() {
            sink(fields, &Texts { body, store: None });
            return;
        }
        // The store is lent for the call, not copied; the sink keeps nothing of it.
        let store = Arc::new(std::mem::take(&mut self.store));
        let texts = Texts {
            body,
            store: Some(store),
        };
        sink(fields, &texts);
        if let Some(store) = texts.store {
            self.store = Arc::try_unwrap(store).unwrap_or_else(|shared| String::clone(&shared));
            self.store.truncate(store_mark);
        }
    }

    /// Reads the element `name` just opened below the current path: a leaf becomes one field, a
    /// container adds its leaves. With no `out`, the element is checked and nothing is kept.
    fn element(&mut self, name: &'a str, out: Option<&mut Vec<Field>>) -> Result<(), Stop<'a>> {
        let Some(out) = out else {
            return self.children(name, None).map(drop);
        };
        if let Some(value) = self.leaf(name)? {
            out.push(field(self.leaf_name(name)?, value));
            return Ok(());
        }
        let mark = self.path.len();
        if mark > 0 {
            self.path.push('.');
        }
        self.path.push_str(name);
        let read = self.children(name, Some(&mut *out));
        self.path.truncate(mark);
        let (value, has_children) = read?;
        if !has_children {
            let value = self.value(value);
            out.push(field(self.leaf_name(name)?, value));
        }
        Ok(())
    }

    /// The span of `text`, a subslice of the body.
    #[inline]
    fn span(&self, text: &'a str) -> Span {
        Span::in_body(self.tokens.input, text)
    }

    /// Where a field's text lies: borrowed text is a span of the body, decoded text goes to the
    /// store.
    #[inline]
    fn value(&mut self, text: Option<Text<'a>>) -> Span {
        match text {
            None => Span::NONE,
            Some(Cow::Borrowed(text)) => self.span(text),
            Some(Cow::Owned(text)) => {
                let start = self.store.len();
                self.store.push_str(&text);
                Span::in_store(&self.store, start)
            }
        }
    }

    /// The common `<name>text</name>`, read in one step: the span of its trimmed text (decoded
    /// into the store when it needs decoding), or `None` when the element holds anything else
    /// (children, comments, CDATA) and must be read piece by piece.
    #[inline]
    fn leaf(&mut self, name: &'a str) -> Result<Option<Span>, Stop<'a>> {
        if self.depth >= MAX_DEPTH {
            return Ok(None);
        }
        let Some((raw, has_reference)) = self.tokens.leaf(name) else {
            return Ok(None);
        };
        let start = self.store.len();
        if (has_reference || self.has_carriage_returns) && decode_into(raw, &mut self.store)? {
            return Ok(Some(match trimmed_range(&self.store.as_bytes()[start..]) {
                Some((from, to)) => Span::in_store(&self.store[..start + to], start + from),
                None => {
                    self.store.truncate(start);
                    Span::NONE
                }
            }));
        }
        Ok(Some(match trimmed_range(raw.as_bytes()) {
            Some((from, to)) => self.span(&raw[from..to]),
            None => Span::NONE,
        }))
    }

    /// The name of a leaf `name` under the current path: itself at the record level, else its
    /// dotted path.
    #[inline]
    fn leaf_name(&mut self, name: &'a str) -> Result<Span, Stop<'a>> {
        if self.path.is_empty() {
            Ok(self.span(name))
        } else {
            self.dotted_name(name)
        }
    }

    /// `path.name` in the store, counted against the names budget.
    #[inline(never)]
    fn dotted_name(&mut self, name: &str) -> Result<Span, Stop<'a>> {
        let len = self.path.len() + 1 + name.len();
        if len > self.names_left {
            return malformed(format!(
                "the dotted names of nested elements add up to more than {NAMES_PER_BODY_BYTE} \
                 times the body's size (long element names with many children)"
            ));
        }
        self.names_left -= len;
        let start = self.store.len();
        self.store.push_str(&self.path);
        self.store.push('.');
        self.store.push_str(name);
        Ok(Span::in_store(&self.store, start))
    }

    /// Reads up to the end of the element `tag_name`. Returns its trimmed text (for a leaf) and
    /// whether it had child elements, whose leaves went to `out` (when given).
    ///
    /// Nested elements are read in one loop, with the open ones on a stack, rather than by
    /// recursion: answers nested to the depth limit then cost little more per tag than flat ones.
    fn children(
        &mut self,
        tag_name: &'a str,
        mut out: Option<&mut Vec<Field>>,
    ) -> Result<(Option<Text<'a>>, bool), Stop<'a>> {
        self.enter()?;
        let mut open = std::mem::take(&mut self.open);
        open.clear();
        let read = self.nested(tag_name, &mut out, &mut open);
        self.open = open;
        read
    }

    /// The loop of [`Reader::children`]: `open` holds the elements being read, `tag_name`'s
    /// first and the innermost last.
    fn nested(
        &mut self,
        tag_name: &'a str,
        out: &mut Option<&mut Vec<Field>>,
        open: &mut Vec<Open<'a>>,
    ) -> Result<(Option<Text<'a>>, bool), Stop<'a>> {
        open.push(Open::new(tag_name, self.path.len()));
        loop {
            let Some(current) = open.last_mut() else {
                return Err(truncated());
            };
            let token = if self.tokens.end_tag(current.name) {
                Token::End { name: current.name }
            } else {
                self.tokens.next()?
            };
            match token {
                Token::Start { name, empty, .. } => {
                    current.has_children = true;
                    let Some(out) = out.as_deref_mut() else {
                        if !empty {
                            self.enter()?;
                            open.push(Open::new(name, 0));
                        }
                        continue;
                    };
                    if empty {
                        out.push(field(self.leaf_name(name)?, Span::NONE));
                    } else if let Some(value) = self.leaf(name)? {
                        out.push(field(self.leaf_name(name)?, value));
                    } else {
                        self.enter()?;
                        let mark = self.path.len();
                        if mark > 0 {
                            self.path.push('.');
                        }
                        self.path.push_str(name);
                        open.push(Open::new(name, mark));
                    }
                }
                Token::Text(raw) if !current.has_children => current.text.push(decode(raw)?),
                Token::CData(raw) if !current.has_children => {
                    let text = self.line_ends(raw);
                    current.text.push(text);
                }
                Token::End { name } => {
                    let (open_name, has_children) = (current.name, current.has_children);
                    let text = if has_children {
                        None
                    } else {
                        std::mem::take(&mut current.text).finish()
                    };
                    self.close(open_name, name)?;
                    let mark = current.mark;
                    open.pop();
                    if open.is_empty() {
                        return Ok((text, has_children));
                    }
                    if let Some(out) = out.as_deref_mut() {
                        self.path.truncate(mark);
                        if !has_children {
                            let value = self.value(text);
                            out.push(field(self.leaf_name(open_name)?, value));
                        }
                    }
                }
                Token::Eof => return Err(truncated()),
                Token::Text(_) | Token::CData(_) | Token::Skipped => {}
            }
        }
    }

    /// Reads the text of an `<error>` element just opened (its children are not kept).
    fn api_error(&mut self, tag_name: &'a str, tag: &'a str) -> Stop<'a> {
        let text = match self.leaf(tag_name) {
            Ok(Some(span)) => Ok(self.text_of(span)),
            Ok(None) => self.children(tag_name, None).map(|(text, _)| text),
            Err(stop) => Err(stop),
        };
        match text {
            Ok(text) => Stop::Api {
                key: error_key(tag),
                message: text.map(Cow::into_owned).unwrap_or_default(),
            },
            Err(stop) => stop,
        }
    }

    /// The text of a span read from this body, owned (for the message of an `<error>`).
    fn text_of(&self, span: Span) -> Option<Text<'a>> {
        if span.is_none() {
            return None;
        }
        let body: &'a str = self.tokens.input;
        Some(match span.store_range() {
            Some(range) => Cow::Owned(self.store[range].to_owned()),
            None => Cow::Borrowed(&body[span.body_range()]),
        })
    }

    /// CDATA is taken literally, but its line ends are normalised like all text.
    fn line_ends(&self, raw: &'a str) -> Text<'a> {
        if self.has_carriage_returns {
            normalize_line_ends(Cow::Borrowed(raw))
        } else {
            Cow::Borrowed(raw)
        }
    }

    #[inline]
    fn enter(&mut self) -> Result<(), Stop<'a>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(too_deep());
        }
        Ok(())
    }

    /// Checks an end tag against the element it closes.
    #[inline]
    fn close(&mut self, open: &'a str, end: &'a str) -> Result<(), Stop<'a>> {
        self.depth -= 1;
        if !same(open, end) {
            return Err(mismatch(open, end));
        }
        Ok(())
    }
}

#[cold]
fn too_deep<'a>() -> Stop<'a> {
    Stop::Malformed(Malformed::new(format!(
        "elements are nested more than {MAX_DEPTH} levels deep"
    )))
}

#[cold]
fn mismatch<'a>(open: &'a str, end: &'a str) -> Stop<'a> {
    Stop::Malformed(
        Malformed::new("<")
            .quote(open)
            .say("> is closed by </")
            .quote(end)
            .say(">"),
    )
}

#[cold]
fn truncated<'a>() -> Stop<'a> {
    Stop::Malformed(Malformed::new(
        "the body ends before the document does (truncated?)",
    ))
}

/// The text without surrounding XML white space; `None` when nothing is left.
fn trim(text: Text<'_>) -> Option<Text<'_>> {
    let (start, end) = trimmed_range(text.as_bytes())?;
    Some(match text {
        Cow::Borrowed(b) => Cow::Borrowed(&b[start..end]),
        Cow::Owned(o) if start == 0 && end == o.len() => Cow::Owned(o),
        Cow::Owned(o) => Cow::Owned(o[start..end].to_owned()),
    })
}

/// An element being read by [`Reader::children`], inside the one it was called for.
struct Open<'a> {
    name: &'a str,
    /// The length of the dotted path before this element's name was added.
    mark: usize,
    has_children: bool,
    text: TextBuffer<'a>,
}

impl<'a> Open<'a> {
    fn new(name: &'a str, mark: usize) -> Self {
        Open {
            name,
            mark,
            has_children: false,
            text: TextBuffer::default(),
        }
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
        trim(self.text?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn top_fields(body: &str) -> Result<Vec<(String, Option<String>)>, Error> {
        let doc = read(200, body.as_bytes(), usize::MAX)?;
        let texts = &doc.texts;
        Ok(doc
            .top
            .iter()
            .map(|f| {
                let value = texts.value(f.value).map(Cow::into_owned);
                (texts.get(f.name).to_owned(), value)
            })
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
