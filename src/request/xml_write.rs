//! Writes the `content` document of each request: `<paczkomaty>` with the fields as children,
//! every value escaped so that any text survives the trip to InPost exactly.

use super::form::FormBody;
use super::validate::{Checked, ReturnDetails};
use crate::address::{ADDRESS, ADDRESS_FIELDS};
use crate::model::ReportQuery;

/// Builds a document by appending elements, written straight into the form body's `content` in
/// its form-encoded form; `finish` closes the root.
pub(crate) struct XmlDocument {
    body: FormBody,
}

impl XmlDocument {
    pub fn new(mut body: FormBody) -> Self {
        body.encoded("%3Cpaczkomaty%3E");
        XmlDocument { body }
    }

    pub fn finish(mut self) -> FormBody {
        self.body.encoded("%3C%2Fpaczkomaty%3E");
        self.body
    }

    /// `<name>escaped value</name>`.
    pub fn element(&mut self, name: &str, value: &str) -> &mut Self {
        self.open(name);
        self.body.encode(value, xml_escape);
        self.close(name);
        self
    }

    /// Writes the element only when there is a value.
    pub fn optional(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.element(name, value);
        }
        self
    }

    /// `<name>`: element names are ASCII letters and digits, which need no encoding.
    fn open(&mut self, name: &str) {
        self.body.encoded("%3C");
        self.body.encoded(name);
        self.body.encoded("%3E");
    }

    fn close(&mut self, name: &str) {
        self.body.encoded("%3C%2F");
        self.body.encoded(name);
        self.body.encoded("%3E");
    }

    /// A section such as `<dateRange>…</dateRange>`, written only when `write` adds something.
    fn section(&mut self, name: &str, write: impl FnOnce(&mut Self)) {
        let start = self.body.len();
        self.open(name);
        let inner = self.body.len();
        write(self);
        if self.body.len() == inner {
            self.body.truncate(start);
        } else {
            self.close(name);
        }
    }
}

/// XML's escapes for text content. `\r` becomes `&#13;` because XML parsers turn a literal one
/// into `\n`.
fn xml_escape(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'\r' => Some("&#13;"),
        _ => None,
    }
}

/// `generateActiveCode` / `activateCode`, in the documentation's element order.
pub(crate) fn return_details(doc: &mut XmlDocument, details: &ReturnDetails<'_>) {
    doc.optional("code", details.code)
        .optional("rma", details.rma)
        .element("packType", details.pack_type)
        .element("expirationDate", details.expiration_date)
        .element("senderPhone", details.sender_phone.as_str())
        .element("senderEmail", details.sender_email)
        .optional("returnDescription1", details.return_description1);
    if let Some(address) = &details.address {
        doc.section(ADDRESS, |doc| {
            for (field, value) in ADDRESS_FIELDS.iter().zip(&address.values) {
                doc.optional(field.xml, value.as_ref().map(Checked::as_str));
            }
        });
    }
}

pub(crate) fn number_of_codes(doc: &mut XmlDocument, n: u32) {
    doc.element("numberOfCodes", &n.to_string());
}

pub(crate) fn code(doc: &mut XmlDocument, code: &str) {
    doc.element("code", code);
}

pub(crate) fn report_query(doc: &mut XmlDocument, query: &ReportQuery) {
    let bool_text = |b: Option<bool>| b.map(|b| if b { "true" } else { "false" });
    doc.optional("used", bool_text(query.used))
        .optional("active", bool_text(query.active))
        .optional(
            "packCode",
            query.pack_code.as_deref().filter(|s| !s.is_empty()),
        )
        .optional("code", query.code.as_deref().filter(|s| !s.is_empty()))
        .optional("rma", query.rma.as_deref().filter(|s| !s.is_empty()));
    if let Some(range) = &query.date_range {
        doc.section("dateRange", |doc| {
            doc.optional("startDate", range.start_date.as_deref())
                .optional("endDate", range.end_date.as_deref());
        });
    }
    if let Some(paging) = &query.paging {
        doc.section("paging", |doc| {
            doc.optional("limit", paging.limit.map(|n| n.to_string()).as_deref())
                .optional("offset", paging.offset.map(|n| n.to_string()).as_deref());
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The XML document `write` produces, decoded from the form body's `content`.
    fn content(write: impl FnOnce(&mut XmlDocument)) -> String {
        let mut doc = XmlDocument::new(FormBody::new("a@b.pl", "x"));
        write(&mut doc);
        let body = doc.finish().finish();
        let encoded = body.split_once("&content=").unwrap().1.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < encoded.len() {
            match encoded[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = std::str::from_utf8(&encoded[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_markup_and_carriage_returns() {
        assert_eq!(
            content(|doc| {
                doc.element("x", "a&b<c>d]]>e\r\nf \"'+%ó");
            }),
            "<paczkomaty><x>a&amp;b&lt;c&gt;d]]&gt;e&#13;\nf \"'+%ó</x></paczkomaty>"
        );
    }

    #[test]
    fn empty_sections_are_left_out() {
        let query = ReportQuery {
            date_range: Some(Default::default()),
            paging: Some(crate::model::Paging {
                limit: Some(10),
                offset: None,
            }),
            ..Default::default()
        };
        assert_eq!(
            content(|doc| report_query(doc, &query)),
            "<paczkomaty><paging><limit>10</limit></paging></paczkomaty>"
        );
    }
}
