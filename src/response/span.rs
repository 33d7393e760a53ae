//! Where the text of a read element lies: a span of the body, or of the parse's side store (text
//! that had to be decoded, and the dotted names of nested elements). A field is three `u32`s and
//! two spans, 20 bytes with nothing to drop, so that an answer of many tiny elements costs a
//! fraction of the memory (and of the passes over it) that owned strings per field would.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

/// The flag bit of [`Span::start`] for text in the side store. Bodies are capped at 64 MiB and the
/// store at a few times that, so offsets stay far below it.
const IN_STORE: u32 = 1 << 31;

/// A piece of text: `len` bytes from `start` in the body, or in the store when `start` has
/// [`IN_STORE`]. [`Span::NONE`] stands for an empty element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// No text (an empty element).
    pub const NONE: Span = Span {
        start: u32::MAX,
        len: 0,
    };

    pub fn is_none(self) -> bool {
        self == Span::NONE
    }

    /// The span of `text`, a subslice of `body`.
    pub fn in_body(body: &str, text: &str) -> Span {
        let start = (text.as_ptr() as usize).wrapping_sub(body.as_ptr() as usize);
        debug_assert!(start + text.len() <= body.len());
        Span {
            start: start as u32,
            len: text.len() as u32,
        }
    }

    /// Where a span of the store lies in it; `None` for a span of the body or [`Span::NONE`].
    pub fn store_range(self) -> Option<Range<usize>> {
        (self.start & IN_STORE != 0 && !self.is_none()).then(|| {
            let start = (self.start & !IN_STORE) as usize;
            start..start + self.len as usize
        })
    }

    /// Where a span of the body lies in it (meaningless for other spans).
    pub fn body_range(self) -> Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }

    /// The span of `store[start..]`, text just appended to the store.
    pub fn in_store(store: &str, start: usize) -> Span {
        Span {
            start: start as u32 | IN_STORE,
            len: (store.len() - start) as u32,
        }
    }
}

/// One leaf element of a record: its name (a dotted path below the record for nested elements),
/// its text, and, once numbered, which occurrence of its name in the record it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    pub name: Span,
    pub value: Span,
    /// 1 for the first element of this name in the record, 2 for the next one… (0 until
    /// numbered).
    pub occurrence: u32,
}

/// What spans point into: the body, and the store shared by every record of one parse.
/// No `Debug`: it would print the whole body. Its lookups are inlined natively but called in
/// the `.wasm`, where a copy at each of their dozens of call sites costs about a kilobyte gzipped
/// and no measurable speed (`make bench-node`).
#[derive(Clone, Default)]
pub(crate) struct Texts<'a> {
    pub body: &'a str,
    pub store: Option<Arc<String>>,
}

impl<'a> Texts<'a> {
    pub fn new(body: &'a str, store: String) -> Self {
        Texts {
            body,
            store: (!store.is_empty()).then(|| Arc::new(store)),
        }
    }

    /// Where the text of `span` lies, the body or the store, and its range there; `None` for
    /// [`Span::NONE`].
    #[inline(always)]
    fn locate(&self, span: Span) -> Option<(&str, Range<usize>)> {
        if span.start & IN_STORE == 0 {
            return Some((self.body, span.body_range()));
        }
        let store = self.store.as_deref().map_or("", String::as_str);
        span.store_range().map(|range| (store, range))
    }

    /// The text of `span`, `None` for [`Span::NONE`].
    #[cfg_attr(target_family = "wasm", inline(never))]
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    pub fn text(&self, span: Span) -> Option<&str> {
        self.locate(span).map(|(source, range)| &source[range])
    }

    /// The text of `span` (empty for [`Span::NONE`]).
    #[inline]
    pub fn get(&self, span: Span) -> &str {
        self.text(span).unwrap_or_default()
    }

    /// The bytes of `span`, for comparing names (without `get`'s character-boundary checks).
    #[cfg_attr(target_family = "wasm", inline(never))]
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    pub fn bytes(&self, span: Span) -> &[u8] {
        self.locate(span)
            .map_or(&[], |(source, range)| &source.as_bytes()[range])
    }

    /// Whether the text of `span` is `text`, comparing lengths first.
    #[inline]
    pub fn is(&self, span: Span, text: &str) -> bool {
        span.len as usize == text.len() && self.bytes(span) == text.as_bytes()
    }

    /// The text of `span` as a value: borrowed from the body, copied from the store, `None` for
    /// [`Span::NONE`].
    #[cfg_attr(target_family = "wasm", inline(never))]
    #[cfg_attr(not(target_family = "wasm"), inline(always))]
    pub fn value(&self, span: Span) -> Option<Cow<'a, str>> {
        if span.start & IN_STORE == 0 {
            return Some(Cow::Borrowed(&self.body[span.body_range()]));
        }
        self.text(span).map(|text| Cow::Owned(text.to_owned()))
    }
}
