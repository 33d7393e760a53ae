//! Writing answers the way InPost writes them.
//!
//! Every answer starts with `<?xml version="1.0" encoding="UTF-8"?>` and has the root
//! `<paczkomaty>`. Lists are written exactly like InPost's documented
//! `revloggenerateinactivecodes` answer: items named `<0>`, `<1>`, … inside `<return>`, one per
//! line with a leading space. That is not well-formed XML (element names cannot start with a
//! digit), and that is the point: clients must cope with what InPost really sends, so the sandbox
//! must not be kinder than InPost. Text is escaped by [`escape`], written here rather than taken
//! from an XML library so that the non-well-formed list shape stays under our control.

use crate::error::ApiError;

/// The `Content-Type` of every XML answer.
pub const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// Escapes text for element content or attribute values: `& < > " '`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Appends `<name>escaped value</name>`; an empty value gives `<name></name>`.
fn element(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(value));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn boolean(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// Wraps a body in the declaration and `<paczkomaty>` root.
fn document(inner: &str) -> String {
    format!("{DECLARATION}<paczkomaty>{inner}</paczkomaty>")
}

/// Writes `<return>` with items `<0>`, `<1>`, … (InPost's list shape), each item's children
/// written by `write_item`.
fn numbered_list<T>(items: &[T], mut write_item: impl FnMut(&mut String, &T)) -> String {
    let mut out = String::from("<return>");
    for (i, item) in items.iter().enumerate() {
        out.push_str(&format!("\n <{i}>"));
        write_item(&mut out, item);
        out.push_str(&format!("</{i}>"));
    }
    out.push_str("\n</return>");
    out
}

/// One active code, as answered by `revloggenerateactivecode` (and, by the sandbox's guess,
/// `revlogactivatecode`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveCode {
    /// The 10-digit return code.
    pub code: String,
    /// `expirationDate` exactly as the client sent it.
    pub expiration_date: String,
    /// `A`, `B` or `C`.
    pub pack_type: String,
    /// The code's UUID.
    pub uuid: String,
}

/// `<paczkomaty><return><code>…</code><active>true</active><expirationDate>…</expirationDate>
/// <packType>…</packType><uuid>…</uuid><labelAttached>false</labelAttached></return></paczkomaty>`
pub fn active_code(c: &ActiveCode) -> String {
    let mut out = String::from("<return>");
    element(&mut out, "code", &c.code);
    element(&mut out, "active", "true");
    element(&mut out, "expirationDate", &c.expiration_date);
    element(&mut out, "packType", &c.pack_type);
    element(&mut out, "uuid", &c.uuid);
    element(&mut out, "labelAttached", "false");
    out.push_str("</return>");
    document(&out)
}

/// One newly generated inactive code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InactiveCode {
    /// The 10-digit return code.
    pub code: String,
    /// The code's UUID.
    pub uuid: String,
}

/// The documented `revloggenerateinactivecodes` answer, `<0>`/`<1>` items and all.
pub fn inactive_codes(codes: &[InactiveCode]) -> String {
    document(&numbered_list(codes, |out, c| {
        element(out, "code", &c.code);
        element(out, "active", "false");
        element(out, "uuid", &c.uuid);
        element(out, "labelAttached", "false");
    }))
}

/// The documented `revloginvalidatecode` answer: `<valid>` directly under the root.
pub fn invalidated() -> String {
    document("<valid>false</valid>")
}

/// One report record. Empty strings are written as empty elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportRecord {
    /// The account's e-mail.
    pub operator_email: String,
    /// The 24-digit shipment number once dropped at a locker, else empty.
    pub reverse_return_pack_code: String,
    /// The return code.
    pub code: String,
    /// The merchant reference.
    pub rma: String,
    /// Whether the code is active.
    pub active: bool,
    /// When the parcel was dropped (`yyyy-mm-ddThh:mm:ss`), else empty.
    pub used_date: String,
    /// When the code was generated (`yyyy-mm-ddThh:mm:ss`).
    pub create_date: String,
    /// The customer's phone.
    pub sender_phone: String,
    /// The customer's e-mail.
    pub sender_email: String,
    /// The last shipment status, else empty.
    pub reverse_return_pack_status: String,
    /// When that status was set, else empty.
    pub status_date: String,
    /// The label text.
    pub return_description1: String,
    /// Whether the code was used (dropped at a locker).
    pub used: bool,
}

impl ReportRecord {
    /// The record's elements in the order they are written. This is the one table of report
    /// element names: the documented ones in the documented order, then `used`.
    pub fn elements(&self) -> [(&'static str, &str); 13] {
        [
            ("operatorEmail", &self.operator_email),
            ("reverseReturnPackCode", &self.reverse_return_pack_code),
            ("code", &self.code),
            ("rma", &self.rma),
            ("active", boolean(self.active)),
            ("usedDate", &self.used_date),
            ("createDate", &self.create_date),
            ("senderPhone", &self.sender_phone),
            ("senderEmail", &self.sender_email),
            ("reverseReturnPackStatus", &self.reverse_return_pack_status),
            ("statusDate", &self.status_date),
            ("returnDescription1", &self.return_description1),
            ("used", boolean(self.used)),
        ]
    }
}

/// The `revloggetreport` answer: records as `<0>`, `<1>`, … inside `<return>`.
pub fn report(records: &[ReportRecord]) -> String {
    document(&numbered_list(records, |out, r| {
        for (name, value) in r.elements() {
            element(out, name, value);
        }
    }))
}

/// `<paczkomaty><error key="…">message</error></paczkomaty>`.
pub fn error(e: &ApiError) -> String {
    document(&format!(
        "<error key=\"{}\">{}</error>",
        escape(e.key.as_str()),
        escape(&e.message)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything() {
        assert_eq!(
            escape("a&b<c>d\"e'f ż"),
            "a&amp;b&lt;c&gt;d&quot;e&apos;f ż"
        );
    }

    #[test]
    fn shapes() {
        let a = active_code(&ActiveCode {
            code: "1234567890".into(),
            expiration_date: "2022-10-10T11:00:00".into(),
            pack_type: "A".into(),
            uuid: "u".into(),
        });
        assert_eq!(a, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<paczkomaty><return><code>1234567890</code><active>true</active><expirationDate>2022-10-10T11:00:00</expirationDate><packType>A</packType><uuid>u</uuid><labelAttached>false</labelAttached></return></paczkomaty>");
        let list = inactive_codes(&[
            InactiveCode {
                code: "1".into(),
                uuid: "a".into(),
            },
            InactiveCode {
                code: "2".into(),
                uuid: "b".into(),
            },
        ]);
        assert!(list.contains("<return>\n <0><code>1</code><active>false</active><uuid>a</uuid><labelAttached>false</labelAttached></0>\n <1><code>2</code>"));
        assert!(list.ends_with("</1>\n</return></paczkomaty>"));
        assert!(invalidated().ends_with("<paczkomaty><valid>false</valid></paczkomaty>"));
    }

    #[test]
    fn report_order_and_empties() {
        let r = report(&[ReportRecord {
            operator_email: "a@b".into(),
            rma: "R&D".into(),
            ..Default::default()
        }]);
        assert!(r.contains("<0><operatorEmail>a@b</operatorEmail><reverseReturnPackCode></reverseReturnPackCode><code></code><rma>R&amp;D</rma><active>false</active><usedDate></usedDate><createDate></createDate><senderPhone></senderPhone><senderEmail></senderEmail><reverseReturnPackStatus></reverseReturnPackStatus><statusDate></statusDate><returnDescription1></returnDescription1><used>false</used></0>"), "{r}");
        assert!(report(&[]).ends_with("<paczkomaty><return>\n</return></paczkomaty>"));
    }

    #[test]
    fn error_shape() {
        let e = error(&ApiError::invalid_phone("senderPhone"));
        assert!(e.contains("<paczkomaty><error key=\"InvalidPhone\">Nieprawidłowy numer telefonu"));
    }
}
