//! The tokenizer of InPost's answers: splits the once-validated UTF-8 body into tags, text, CDATA
//! and skipped markup, borrowing everything from the body. It also holds the lexical helpers:
//! entity and character references, line ends, XML white space, the `<error key>` attribute.
//!
//! A tag ends at the first `>` outside quoted attribute values; the only attribute ever read is
//! `<error key="…">`'s. A DTD is skipped, never processed, and no entity but XML's five predefined
//! ones and character references is expanded: nothing can reach a file or the network or multiply
//! the input.

use std::borrow::Cow;
use std::ops::Range;

use memchr::memchr2;

use crate::model::Text;
use crate::text::{find_bytes, Redactions};

/// Longer element names are refused: InPost's are under 40 bytes, and a bound on names bounds
/// the dotted paths built from them.
pub(super) const MAX_NAME_BYTES: usize = 1024;
/// The bytes [`Tokenizer::plain_tag`] takes as part of a name: all but XML white space, the
/// bytes that end a tag or start an attribute value or reference, and `#` (refused in names).
const NAME_BYTE: [bool; 256] = {
    let mut table = [true; 256];
    let mut i = 0;
    let stops = b" \t\n\r>/<&\"'=#";
    while i < stops.len() {
        table[stops[i] as usize] = false;
        i += 1;
    }
    table
};
/// How far after `&` a reference's `;` is looked for.
const MAX_REFERENCE_BYTES: usize = 32;
/// How much of a fragment of the body an error message may quote.
const QUOTE_CHARS: usize = 40;

/// Why the body is not a document we can read: words, and fragments of the body quoted in them.
/// Fragments are rendered only once the credentials in the whole body are known, so that a
/// quoted name or entity can never reveal part of one.
pub(super) struct Malformed<'a>(Vec<Piece<'a>>);

enum Piece<'a> {
    Say(Cow<'static, str>),
    /// A fragment of the body (a subslice of it).
    Quote(&'a str),
}

impl<'a> Malformed<'a> {
    pub fn new(words: impl Into<Cow<'static, str>>) -> Self {
        Malformed(vec![Piece::Say(words.into())])
    }

    /// Adds a fragment of the body.
    pub fn quote(mut self, fragment: &'a str) -> Self {
        self.0.push(Piece::Quote(fragment));
        self
    }

    pub fn say(mut self, words: impl Into<Cow<'static, str>>) -> Self {
        self.0.push(Piece::Say(words.into()));
        self
    }

    /// The message, with each quoted fragment of `body` shortened, or hidden when it touches a
    /// credential found in `body`.
    pub fn render(&self, body: &str, redactions: &Redactions) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Say(words) => out.push_str(words),
                Piece::Quote(fragment) => out.push_str(&redactions.quote(
                    body.as_bytes(),
                    range_in(body, fragment),
                    QUOTE_CHARS,
                )),
            }
        }
        out
    }
}

/// Where `fragment`, a subslice of `body`, lies in it (the whole body should it not be one, so
/// that any credential hides it).
fn range_in(body: &str, fragment: &str) -> Range<usize> {
    let start = (fragment.as_ptr() as usize).wrapping_sub(body.as_ptr() as usize);
    match start.checked_add(fragment.len()) {
        Some(end) if end <= body.len() => start..end,
        _ => 0..body.len(),
    }
}

pub(super) fn malformed<'a, T>(why: impl Into<Cow<'static, str>>) -> Result<T, Malformed<'a>> {
    Err(Malformed::new(why))
}

/// One piece of markup or text, borrowed from the body.
pub(super) enum Token<'a> {
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

pub(super) struct Tokenizer<'a> {
    pub input: &'a str,
    pub pos: usize,
}

impl<'a> Tokenizer<'a> {
    pub fn next(&mut self) -> Result<Token<'a>, Malformed<'a>> {
        self.read(true)
    }

    /// [`Tokenizer::next`] without the one-pass reading of plain tags, for the tests.
    #[cfg(test)]
    fn next_in_full(&mut self) -> Result<Token<'a>, Malformed<'a>> {
        self.read(false)
    }

    #[inline(always)]
    fn read(&mut self, plain_tags: bool) -> Result<Token<'a>, Malformed<'a>> {
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
        if plain_tags {
            if let Some(token) = self.plain_tag(start) {
                return Ok(token);
            }
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
        // Most tags have no attributes: find `>` directly, and only from the first quote on skip
        // the `>` that may stand inside a quoted value.
        let after = &bytes[start + 1..];
        let len = match after.iter().position(|&b| matches!(b, b'>' | b'"' | b'\'')) {
            Some(i) if after[i] == b'>' => Some(i),
            Some(i) => tag_end(&after[i..]).map(|end| i + end),
            None => None,
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
                // `#` is no name character; refusing it keeps `name#2` in `extra` unambiguous.
                b'<' | b'&' | b'"' | b'\'' | b'=' | b'#' => {
                    return malformed(format!("a malformed tag at byte {start}"))
                }
                _ if i == MAX_NAME_BYTES => {
                    return malformed(format!(
                        "an element name longer than {MAX_NAME_BYTES} bytes at byte {start}"
                    ))
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

    /// The tags most answers are made of, `<name>`, `<name/>` and `</name>`, read in one pass
    /// over the name; `None` for anything else (attributes, markup declarations, odd names),
    /// which [`Tokenizer::next`] reads in full. Gives exactly what that would.
    #[inline]
    fn plain_tag(&mut self, start: usize) -> Option<Token<'a>> {
        let after = self.input.as_bytes().get(start + 1..)?;
        // `<!…>` and `<?…?>` are markup declarations and processing instructions.
        if matches!(after.first(), Some(b'!' | b'?')) {
            return None;
        }
        let end_tag = after.first() == Some(&b'/');
        let from = usize::from(end_tag);
        let len = from + after[from..].iter().position(|&b| !NAME_BYTE[b as usize])?;
        let name_len = len - from;
        if name_len == 0 || name_len > MAX_NAME_BYTES {
            return None;
        }
        let name = self.input.get(start + 1 + from..start + 1 + len)?;
        match (after[len], after.get(len + 1)) {
            (b'>', _) => {
                self.pos = start + 1 + len + 1;
                Some(if end_tag {
                    Token::End { name }
                } else {
                    Token::Start {
                        name,
                        tag: name,
                        empty: false,
                    }
                })
            }
            (b'/', Some(b'>')) if !end_tag => {
                self.pos = start + 1 + len + 2;
                Some(Token::Start {
                    name,
                    tag: name,
                    empty: true,
                })
            }
            _ => None,
        }
    }

    /// When the input continues with exactly `</name>`, moves past it: the end tag an element
    /// most often ends with, checked without reading a token.
    #[inline(always)]
    pub fn end_tag(&mut self, name: &str) -> bool {
        match end_tag_at(self.input.as_bytes(), self.pos, name) {
            Some(end) => {
                self.pos = end;
                true
            }
            None => false,
        }
    }

    /// When the input continues with plain text and then `</name>`, moves past both and returns
    /// the text (still escaped). Anything else — a child, a comment, CDATA, another end tag —
    /// leaves the position as it was, for [`Tokenizer::next`] to read piece by piece.
    /// Also tells whether the text holds a `&`, so that text without one skips unescaping.
    pub fn leaf(&mut self, name: &str) -> Option<(&'a str, bool)> {
        let bytes = self.input.as_bytes();
        let start = self.pos;
        let rest = bytes.get(start..)?;
        // Straight after the start tag comes a child's `<` or the end tag's, most often in
        // nested answers: no search for that.
        let mut lt = match rest.first() {
            Some(b'<') => 0,
            _ => find_lt_or_amp(rest)?,
        };
        let has_reference = rest[lt] == b'&';
        if has_reference {
            lt += rest[lt..].iter().position(|&b| b == b'<')?;
        }
        let lt = start + lt;
        self.pos = end_tag_at(bytes, lt, name)?;
        Some((self.input.get(start..lt)?, has_reference))
    }

    /// Moves past `end` found in `haystack` (the text after the opening delimiter) and returns
    /// its offset there.
    fn find(&mut self, haystack: &'a str, end: &str, what: &str) -> Result<usize, Malformed<'a>> {
        match find_bytes(haystack.as_bytes(), end.as_bytes()) {
            Some(i) => {
                self.pos = self.input.len() - haystack.len() + i + end.len();
                Ok(i)
            }
            None => malformed(format!("{what} that never ends (truncated?)")),
        }
    }

    /// Skips `<!DOCTYPE …>` including an internal subset in brackets, without interpreting it.
    fn skip_declaration(&mut self, start: usize) -> Result<(), Malformed<'a>> {
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

/// XML's white space: space, tab, line feed, carriage return.
pub(super) fn is_xml_space(b: &u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

pub(super) fn is_blank(text: &str) -> bool {
    text.bytes().all(|b| is_xml_space(&b))
}

/// The first `<` or `&` in `bytes`, looked for eight bytes at a time: text runs are a few dozen
/// bytes, too short for a vectorised search's set-up, too long for one comparison per byte.
#[inline]
fn find_lt_or_amp(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let (lt, amp) = (w ^ (ONES * u64::from(b'<')), w ^ (ONES * u64::from(b'&')));
        // A byte equal to `<` or `&` is a zero byte of `lt` or `amp`; the lowest flagged byte is
        // always a true one (a borrow can only flag bytes above it).
        let found = (lt.wrapping_sub(ONES) & !lt | amp.wrapping_sub(ONES) & !amp) & HIGH;
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|&b| b == b'<' || b == b'&')
        .map(|j| i + j)
}

/// Where `</name>` ends when it stands at `at` in `bytes` (exactly, without white space).
#[inline(always)]
fn end_tag_at(bytes: &[u8], at: usize, name: &str) -> Option<usize> {
    let end = at + 2 + name.len();
    let found = bytes.get(at..at + 2) == Some(b"</")
        && bytes.get(end) == Some(&b'>')
        && same_bytes(&bytes[at + 2..end], name.as_bytes());
    found.then_some(end + 1)
}

/// Name equality, without a library call for the names elements have (up to a few dozen bytes).
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// [`same`] for bytes: eight at a time.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |chunk: &[u8]| chunk.try_into().map_or(0, u64::from_ne_bytes);
    let (mut xs, mut ys) = (a.chunks_exact(8), b.chunks_exact(8));
    (&mut xs).zip(&mut ys).all(|(x, y)| word(x) == word(y))
        && xs
            .remainder()
            .iter()
            .zip(ys.remainder())
            .all(|(x, y)| x == y)
}

/// Where a tag's `>` is, in the bytes after `<` starting at its first quote: the first `>`
/// outside `"…"` and `'…'`.
fn tag_end(after: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in after.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'>' => return Some(i),
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None => {}
        }
    }
    None
}

/// The `key` attribute of an `<error …>` tag. Attributes are `name="value"` or `name='value'`,
/// white space allowed around `=`; up to `key`, anything else means no key. The value is
/// normalised as XML does for attributes: each white-space character becomes a space (`\r\n` one
/// space), then references are resolved as in text ([`decode`]); an entity XML does not define
/// means no key.
pub(super) fn error_key(tag: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    let skip_space = |mut i: usize| {
        while bytes.get(i).is_some_and(is_xml_space) {
            i += 1;
        }
        i
    };
    // After the element's name.
    let mut i = bytes.iter().position(is_xml_space)?;
    loop {
        i = skip_space(i);
        let name_start = i;
        while bytes.get(i).is_some_and(|b| !is_xml_space(b) && *b != b'=') {
            i += 1;
        }
        let name = &bytes[name_start..i];
        i = skip_space(i);
        if name.is_empty() || bytes.get(i) != Some(&b'=') {
            return None;
        }
        i = skip_space(i + 1);
        let quote = *bytes.get(i).filter(|&&q| q == b'"' || q == b'\'')?;
        let value_start = i + 1;
        let value_end = value_start + memchr::memchr(quote, &bytes[value_start..])?;
        if name == b"key" {
            return attribute_value(&tag[value_start..value_end]);
        }
        i = value_end + 1;
    }
}

/// XML's attribute-value normalisation of a raw value (see [`error_key`]).
fn attribute_value(raw: &str) -> Option<String> {
    let spaced = if raw.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
        Cow::Owned(
            replace_line_ends(raw, ' ')
                .chars()
                .map(|c| if c == '\t' || c == '\n' { ' ' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(raw)
    };
    decode(&spaced).ok().map(Cow::into_owned)
}

/// Decodes character data as XML does: line ends first (`\r\n` and a lone `\r` become `\n`),
/// then XML's five predefined entities and character references, so that `&#13;` stays a
/// carriage return. Any other entity is refused rather than expanded; a `&` that starts no
/// reference is kept, so a stray one in a message does not lose the answer. Borrows when nothing
/// changes.
///
/// A reference is `&`, a name of at most 32 bytes without white space or `&`, and `;`. The name
/// is looked for only up to the next `&`, so each byte is looked at about once: linear.
pub(super) fn decode(raw: &str) -> Result<Text<'_>, Malformed<'_>> {
    let mut out = String::new();
    Ok(if decode_into(raw, &mut out)? {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(raw)
    })
}

/// [`decode`], appending the decoded text to `out`; `false` (and nothing appended) when nothing
/// needs decoding.
pub(super) fn decode_into<'a>(raw: &'a str, out: &mut String) -> Result<bool, Malformed<'a>> {
    let bytes = raw.as_bytes();
    let Some(mut at) = memchr2(b'&', b'\r', bytes) else {
        return Ok(false);
    };
    out.reserve(raw.len());
    // `raw[..copied]` is decoded into `out`.
    let mut copied = 0;
    while at < bytes.len() {
        if bytes[at] == b'\r' {
            out.push_str(&raw[copied..at]);
            out.push('\n');
            copied = at + 1 + usize::from(bytes.get(at + 1) == Some(&b'\n'));
            at = copied;
        } else {
            let name_start = at + 1;
            let window = &bytes[name_start..bytes.len().min(name_start + MAX_REFERENCE_BYTES + 1)];
            match window
                .iter()
                .position(|&b| matches!(b, b';' | b'&') || b.is_ascii_whitespace())
            {
                Some(end) if window[end] == b';' && end > 0 => {
                    let name = &raw[name_start..name_start + end];
                    out.push_str(&raw[copied..at]);
                    out.push(resolve(name)?);
                    copied = name_start + end + 1;
                    at = copied;
                }
                // A stray `&`: kept as text; the search goes on from what stopped the name, past
                // a run of `&` at once (only its last one can start a reference).
                Some(end) => {
                    at = name_start + end;
                    at += bytes[at..].iter().take_while(|&&b| b == b'&').count();
                    at = at.saturating_sub(1).max(name_start + end);
                }
                None => at = name_start + window.len(),
            }
        }
        if !matches!(bytes.get(at), Some(b'&' | b'\r')) {
            at += memchr2(b'&', b'\r', &bytes[at..]).unwrap_or(bytes.len() - at);
        }
    }
    out.push_str(&raw[copied..]);
    Ok(true)
}

/// The character a reference's name stands for.
fn resolve(name: &str) -> Result<char, Malformed<'_>> {
    Ok(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => match name.strip_prefix('#') {
            Some(digits) => char_reference(digits)?,
            None => {
                return Err(Malformed::new("the body uses the entity &")
                    .quote(name)
                    .say(";, which is not expanded"))
            }
        },
    })
}

/// `#123` / `#x7B` without the `#`: a character XML allows.
fn char_reference(digits: &str) -> Result<char, Malformed<'_>> {
    let code = match digits.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => digits.parse(),
    };
    match code.ok().and_then(char::from_u32) {
        Some(c) if c >= ' ' || matches!(c, '\t' | '\n' | '\r') => Ok(c),
        _ => Err(Malformed::new("the character reference &#")
            .quote(digits)
            .say("; is not a character XML allows")),
    }
}

/// XML's end-of-line handling: `\r\n` and lone `\r` become `\n`.
pub(super) fn normalize_line_ends(text: Text<'_>) -> Text<'_> {
    if !text.as_bytes().contains(&b'\r') {
        return text;
    }
    Cow::Owned(replace_line_ends(&text, '\n'))
}

/// `text` with each `\r\n` and lone `\r` replaced by `with`.
fn replace_line_ends(text: &str, with: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(cr) = memchr::memchr(b'\r', rest.as_bytes()) {
        out.push_str(&rest[..cr]);
        out.push(with);
        let after = cr + 1 + usize::from(rest.as_bytes().get(cr + 1) == Some(&b'\n'));
        rest = &rest[after..];
    }
    out.push_str(rest);
    out
}

/// The range left after trimming XML white space, `None` when nothing is left. White space is
/// ASCII, so the range always falls on character boundaries.
pub(super) fn trimmed_range(bytes: &[u8]) -> Option<(usize, usize)> {
    let start = bytes.iter().position(|b| !is_xml_space(b))?;
    let end = bytes.iter().rposition(|b| !is_xml_space(b))? + 1;
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn decode_resolves_predefined_entities_and_character_references() {
        assert_eq!(
            decode("a &amp; b &lt;c&gt; &quot;&apos; &#261;&#x119;")
                .ok()
                .unwrap(),
            "a & b <c> \"' ąę"
        );
        assert!(matches!(
            decode("plain").ok().unwrap(),
            Cow::Borrowed("plain")
        ));
    }

    #[test]
    fn decode_keeps_a_stray_ampersand_and_refuses_other_entities() {
        assert_eq!(decode("Kowalski & Syn").ok().unwrap(), "Kowalski & Syn");
        assert_eq!(decode("a &amp b").ok().unwrap(), "a &amp b");
        assert!(decode("&xxe;").is_err());
        assert!(decode("&#0;").is_err());
        assert!(decode("&#x1;").is_err());
        assert!(decode("&#xD800;").is_err());
    }

    #[test]
    fn line_ends_are_normalised() {
        assert_eq!(normalize_line_ends(Cow::Borrowed("a\r\nb\rc")), "a\nb\nc");
    }

    #[test]
    fn line_ends_are_normalised_before_references_are_resolved() {
        assert_eq!(
            decode("a\r\nb\rc&#13;d&#xD;&#10;").ok().unwrap(),
            "a\nb\nc\rd\r\n"
        );
        assert_eq!(decode("&#13;").ok().unwrap(), "\r");
    }

    #[test]
    fn a_long_run_of_stray_ampersands_is_linear() {
        // Each `&` once looked for its `;` through the rest of the text.
        let text = "&".repeat(1 << 20);
        assert_eq!(decode(&text).ok().unwrap(), text);
    }

    #[test]
    fn long_names_and_names_with_a_hash_are_refused() {
        let ok = format!("<{}>", "n".repeat(MAX_NAME_BYTES));
        let mut tokens = Tokenizer { input: &ok, pos: 0 };
        assert!(matches!(tokens.next(), Ok(Token::Start { .. })));
        for tag in [
            format!("<{}>", "n".repeat(MAX_NAME_BYTES + 1)),
            "<a#2>".into(),
        ] {
            let mut tokens = Tokenizer {
                input: &tag,
                pos: 0,
            };
            assert!(tokens.next().is_err(), "{tag:.20}");
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

    #[test]
    fn find_lt_or_amp_finds_the_first_at_every_position() {
        for len in 0..40 {
            for at in 0..len {
                for (first, second) in [(b'<', b'&'), (b'&', b'<'), (b'<', b'<')] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = first;
                    if at + 1 < len {
                        bytes[at + 1] = second;
                    }
                    // Bytes just around the searched ones flag nothing.
                    if at > 0 {
                        bytes[at - 1] = b'<' ^ 1;
                    }
                    assert_eq!(find_lt_or_amp(&bytes), Some(at), "{len} {at}");
                }
            }
            assert_eq!(find_lt_or_amp(&vec![b'%'; len]), None);
            assert_eq!(find_lt_or_amp(&vec![0x80 | b'<'; len]), None);
        }
    }

    #[test]
    fn the_error_key_is_read_as_xml_reads_an_attribute() {
        for (tag, key) in [
            (r#"error key="NoPackageFound""#, Some("NoPackageFound")),
            (r#"error  id = '1'	key =  'a b' x="y""#, Some("a b")),
            (
                "error key=\"a\r\nb\tc&#10;d &amp; &lt;\"",
                Some("a b c\nd & <"),
            ),
            (r#"error key="a & b""#, Some("a & b")),
            (r#"error keys="1""#, None),
            (r#"error"#, None),
            (r#"error key"#, None),
            (r#"error key=x"#, None),
            (r#"error key="unterminated"#, None),
            (r#"error id key="1""#, None),
            (r#"error key="&nbsp;""#, None),
        ] {
            assert_eq!(error_key(tag).as_deref(), key, "{tag}");
        }
    }

    /// quick-xml, which read tags and the key before, is the reference.
    mod against_quick_xml {
        use super::super::*;
        use proptest::prelude::*;
        use quick_xml::events::BytesStart;
        use quick_xml::parser::{ElementParser, Parser as _};

        fn quick_xml_key(tag: &str) -> Option<String> {
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

        fn attribute() -> impl Strategy<Value = String> {
            let name = prop::sample::select(vec!["key", "id", "k", "keys", "x:key"]);
            let space = prop::sample::select(vec!["", " ", "\t", "\r\n", "  "]);
            let value = "[a-zA-Z0-9 <>&;#x\t\r\n'\"]{0,12}";
            (
                space.clone(),
                name,
                space.clone(),
                space,
                any::<bool>(),
                value,
            )
                .prop_map(|(s1, name, s2, s3, double, value)| {
                    let q = if double { '"' } else { '\'' };
                    let value: String = value.chars().filter(|&c| c != q).collect();
                    format!(" {s1}{name}{s2}={s3}{q}{value}{q}")
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

            #[test]
            fn tags_end_where_quick_xml_ends_them(after in "[a-z =\"'>/]{0,24}") {
                let bytes = after.as_bytes();
                let ours = match bytes.iter().position(|&b| matches!(b, b'>' | b'"' | b'\'')) {
                    Some(i) if bytes[i] == b'>' => Some(i),
                    Some(i) => tag_end(&bytes[i..]).map(|end| i + end),
                    None => None,
                };
                prop_assert_eq!(ours, ElementParser::default().feed(bytes));
            }

            #[test]
            fn a_key_quick_xml_reads_is_read_alike(attributes in prop::collection::vec(attribute(), 0..4)) {
                let tag = format!("error{}", attributes.concat());
                if let Some(key) = quick_xml_key(&tag) {
                    prop_assert_eq!(error_key(&tag), Some(key), "{}", tag);
                }
            }
        }
    }

    /// The one-pass reading of plain tags gives exactly what the full reading gives.
    mod plain_tags {
        use super::super::*;
        use proptest::prelude::*;

        /// Every token of `input` and where it ends, or the error's text.
        fn tokens(input: &str, plain: bool) -> Vec<String> {
            let mut tokenizer = Tokenizer { input, pos: 0 };
            let mut out = Vec::new();
            loop {
                let token = if plain {
                    tokenizer.next()
                } else {
                    tokenizer.next_in_full()
                };
                let text = match token {
                    Ok(Token::Eof) => return out,
                    Ok(Token::Start { name, tag, empty }) => {
                        format!("start {name:?} {tag:?} {empty}")
                    }
                    Ok(Token::End { name }) => format!("end {name:?}"),
                    Ok(Token::Text(t)) => format!("text {t:?}"),
                    Ok(Token::CData(t)) => format!("cdata {t:?}"),
                    Ok(Token::Skipped) => "skipped".to_owned(),
                    Err(e) => {
                        out.push(format!(
                            "error {}",
                            e.render(input, &Redactions::find(input.as_bytes()))
                        ));
                        return out;
                    }
                };
                out.push(format!("{text} at {}", tokenizer.pos));
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

            #[test]
            fn plain_tags_read_as_in_full(input in "(<|</|/>|>|[a-z]{1,3}|[ !?#=&\"'\n]){0,16}") {
                prop_assert_eq!(tokens(&input, true), tokens(&input, false));
            }
        }

        #[test]
        fn names_at_the_length_limit() {
            for len in [MAX_NAME_BYTES, MAX_NAME_BYTES + 1] {
                let name = "n".repeat(len);
                for input in [
                    format!("<{name}>"),
                    format!("<{name}/>"),
                    format!("</{name}>"),
                ] {
                    assert_eq!(tokens(&input, true), tokens(&input, false), "{len}");
                }
            }
        }
    }
}
