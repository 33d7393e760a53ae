//! Writes the `content` document of each request: `<paczkomaty>` with the fields as children,
//! every value escaped so that any text survives the trip to InPost exactly.

use super::validate::{Checked, ReturnDetails};
use crate::address::{ADDRESS, ADDRESS_FIELDS};
use crate::model::ReportQuery;

/// Builds a document by appending elements; `finish` closes the root.
pub(crate) struct XmlDocument {
    out: String,
}

impl XmlDocument {
    pub fn new() -> Self {
        let mut out = String::with_capacity(512);
        out.push_str("<paczkomaty>");
        XmlDocument { out }
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("</paczkomaty>");
        self.out
    }

    /// `<name>escaped value</name>`.
    pub fn element(&mut self, name: &str, value: &str) -> &mut Self {
        self.open(name);
        escape_into(&mut self.out, value);
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

    fn open(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// A section such as `<dateRange>…</dateRange>`, written only when `write` adds something.
    fn section(&mut self, name: &str, write: impl FnOnce(&mut Self)) {
        let start = self.out.len();
        self.open(name);
        let inner = self.out.len();
        write(self);
        if self.out.len() == inner {
            self.out.truncate(start);
        } else {
            self.close(name);
        }
    }
}

/// Escapes text content. `\r` becomes `&#13;` because XML parsers turn a literal one into `\n`.
fn escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find(['&', '<', '>', '\r']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&#13;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// `generateActiveCode` / `activateCode`, in the documentation's element order.
pub(crate) fn return_details(details: &ReturnDetails<'_>) -> String {
    let mut doc = XmlDocument::new();
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
    doc.finish()
}

pub(crate) fn number_of_codes(n: u32) -> String {
    let mut doc = XmlDocument::new();
    doc.element("numberOfCodes", &n.to_string());
    doc.finish()
}

pub(crate) fn code(code: &str) -> String {
    let mut doc = XmlDocument::new();
    doc.element("code", code);
    doc.finish()
}

pub(crate) fn report_query(query: &ReportQuery) -> String {
    let bool_text = |b: Option<bool>| b.map(|b| if b { "true" } else { "false" });
    let mut doc = XmlDocument::new();
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
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_carriage_returns() {
        let mut out = String::new();
        escape_into(&mut out, "a&b<c>d]]>e\r\nf \"'");
        assert_eq!(out, "a&amp;b&lt;c&gt;d]]&gt;e&#13;\nf \"'");
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
            report_query(&query),
            "<paczkomaty><paging><limit>10</limit></paging></paczkomaty>"
        );
    }
}
