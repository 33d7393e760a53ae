//! Reading and validating the request XML (`content` form field), independently of the library.
//!
//! The library under test writes this XML with quick-xml; the sandbox reads it with roxmltree, a
//! strict, DTD-refusing parser, and checks every value against the spec's rules itself. Sharing
//! neither code nor parser with the library is the point: a mistake there cannot be mirrored here.
//!
//! Strictness choices (documented in the README):
//! - the root must be `<paczkomaty>`; an element a function does not know is `UnknownField` and
//!   a repeated one is `DuplicateField` (InPost may silently ignore both; a test double should not);
//! - values are used exactly as sent (no trimming), but a whitespace-only value counts as empty;
//! - an optional element sent empty (`<rma></rma>`) counts as absent;
//! - text directly inside `<paczkomaty>` or a section, or child elements inside a value, are
//!   `InvalidXml`.

use roxmltree::{Document, Node, ParsingOptions};

use crate::error::ApiError;
use crate::time;

/// The most codes one `revloggenerateinactivecodes` call may ask for. InPost documents no limit;
/// this cap is the sandbox's own, to keep its memory bounded.
pub const MAX_CODES_PER_REQUEST: u64 = 1000;

/// The largest (and default) `paging/limit` of a report, as InPost documents it.
pub const MAX_REPORT_LIMIT: usize = 1000;

/// The five quick-returns functions, selected by `?do=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// `revloggenerateactivecode`
    GenerateActiveCode,
    /// `revloggenerateinactivecodes`
    GenerateInactiveCodes,
    /// `revlogactivatecode`
    ActivateCode,
    /// `revloginvalidatecode`
    InvalidateCode,
    /// `revloggetreport`
    GetReport,
}

impl Function {
    /// Looks up a `?do=` value. Names are matched exactly (lower case, as documented), so a client
    /// that sends `revlogGetReport` learns it here rather than in production.
    pub fn from_do(name: &str) -> Option<Self> {
        Some(match name {
            "revloggenerateactivecode" => Function::GenerateActiveCode,
            "revloggenerateinactivecodes" => Function::GenerateInactiveCodes,
            "revlogactivatecode" => Function::ActivateCode,
            "revloginvalidatecode" => Function::InvalidateCode,
            "revloggetreport" => Function::GetReport,
            _ => return None,
        })
    }

    /// The `?do=` name.
    pub fn as_str(self) -> &'static str {
        match self {
            Function::GenerateActiveCode => "revloggenerateactivecode",
            Function::GenerateInactiveCodes => "revloggenerateinactivecodes",
            Function::ActivateCode => "revlogactivatecode",
            Function::InvalidateCode => "revloginvalidatecode",
            Function::GetReport => "revloggetreport",
        }
    }
}

/// The optional address section (element names provisional, as in the spec, section 2.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// `companyName` (optional).
    pub company_name: Option<String>,
    /// `name`.
    pub name: String,
    /// `surname`.
    pub surname: String,
    /// `email` (optional).
    pub email: Option<String>,
    /// `phone` (optional).
    pub phone: Option<String>,
    /// `street`.
    pub street: String,
    /// `buildingNumber`.
    pub building_number: String,
    /// `flatNumber` (required, as documented).
    pub flat_number: String,
    /// `postCode`, `NN-NNN`.
    pub post_code: String,
    /// `city`.
    pub city: String,
    /// `province` (optional).
    pub province: Option<String>,
}

/// What a code is given when it is generated active or activated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeDetails {
    /// `rma` (required when generating, optional when activating).
    pub rma: Option<String>,
    /// `packType`: `A`, `B` or `C`.
    pub pack_type: String,
    /// `expirationDate`, `yyyy-mm-ddThh:mm:ss`, kept exactly as sent.
    pub expiration_date: String,
    /// `senderPhone`, 9 digits.
    pub sender_phone: String,
    /// `senderEmail`.
    pub sender_email: String,
    /// `returnDescription1` (optional).
    pub return_description1: Option<String>,
    /// The address section, if sent.
    pub address: Option<Address>,
}

/// The report filters; absent ones are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFilter {
    /// `used`.
    pub used: Option<bool>,
    /// `active`.
    pub active: Option<bool>,
    /// `packCode` (the 24-digit shipment number).
    pub pack_code: Option<String>,
    /// `code`.
    pub code: Option<String>,
    /// `rma`.
    pub rma: Option<String>,
    /// `dateRange/startDate` as a day number since 1970-01-01 (inclusive).
    pub start_day: Option<i64>,
    /// `dateRange/endDate` as a day number since 1970-01-01 (inclusive).
    pub end_day: Option<i64>,
    /// `paging/limit`, 1–1000, default 1000.
    pub limit: usize,
    /// `paging/offset`, 0-based, default 0.
    pub offset: usize,
}

/// A validated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `revloggenerateactivecode`.
    GenerateActiveCode(CodeDetails),
    /// `revloggenerateinactivecodes` with `numberOfCodes`.
    GenerateInactiveCodes(u64),
    /// `revlogactivatecode`.
    ActivateCode {
        /// The inactive code to activate.
        code: String,
        /// Its new details.
        details: CodeDetails,
    },
    /// `revloginvalidatecode` with `code`.
    InvalidateCode(String),
    /// `revloggetreport`.
    GetReport(ReportFilter),
}

/// Parses and validates `content` for `function`.
pub fn read(function: Function, content: &str) -> Result<Request, ApiError> {
    let options = ParsingOptions {
        // DTDs (and so entity expansion) stay refused, as roxmltree does by default.
        allow_dtd: false,
        // A 1 MiB body cannot need more; the cap bounds memory on pathological input.
        nodes_limit: 200_000,
    };
    let doc = Document::parse_with_options(content, options)
        .map_err(|e| ApiError::invalid_xml(&e.to_string()))?;
    let root = doc.root_element();
    if root.tag_name().name() != "paczkomaty" || root.tag_name().namespace().is_some() {
        return Err(ApiError::invalid_xml(
            "elementem głównym musi być <paczkomaty>",
        ));
    }
    match function {
        Function::GenerateActiveCode => {
            let fields = Section::read(root, "", DETAILS_FIELDS)?;
            Ok(Request::GenerateActiveCode(details(&fields, true)?))
        }
        Function::ActivateCode => {
            let mut allowed = DETAILS_FIELDS.to_vec();
            allowed.push("code");
            let fields = Section::read(root, "", &allowed)?;
            let code = fields.required("code")?;
            Ok(Request::ActivateCode {
                code,
                details: details(&fields, false)?,
            })
        }
        Function::GenerateInactiveCodes => {
            let fields = Section::read(root, "", &["numberOfCodes"])?;
            number_of_codes(&fields.required("numberOfCodes")?).map(Request::GenerateInactiveCodes)
        }
        Function::InvalidateCode => {
            let fields = Section::read(root, "", &["code"])?;
            Ok(Request::InvalidateCode(fields.required("code")?))
        }
        Function::GetReport => report(root).map(Request::GetReport),
    }
}

const DETAILS_FIELDS: &[&str] = &[
    "rma",
    "packType",
    "expirationDate",
    "senderPhone",
    "senderEmail",
    "returnDescription1",
    "address",
];

const ADDRESS_FIELDS: &[&str] = &[
    "companyName",
    "name",
    "surname",
    "email",
    "phone",
    "street",
    "buildingNumber",
    "flatNumber",
    "postCode",
    "city",
    "province",
];

/// The child elements of one element (the root or a section), checked against a list of allowed
/// names, with duplicates and stray text refused.
struct Section<'a, 'input> {
    prefix: &'static str,
    children: Vec<(&'a str, Node<'a, 'input>)>,
}

impl<'a, 'input> Section<'a, 'input> {
    /// Collects `node`'s children. `prefix` is the section's path for messages (`""` for the
    /// root, `"address/"` …).
    fn read(
        node: Node<'a, 'input>,
        prefix: &'static str,
        allowed: &[&str],
    ) -> Result<Self, ApiError> {
        let mut children: Vec<(&'a str, Node<'a, 'input>)> = Vec::new();
        for child in node.children() {
            if child.is_element() {
                let name = child.tag_name().name();
                let path = format!("{prefix}{name}");
                if child.tag_name().namespace().is_some() || !allowed.contains(&name) {
                    return Err(ApiError::unknown_field(&path));
                }
                if children.iter().any(|(n, _)| *n == name) {
                    return Err(ApiError::duplicate_field(&path));
                }
                children.push((name, child));
            } else if child.is_text() && !child.text().unwrap_or("").trim().is_empty() {
                let at = if prefix.is_empty() {
                    "paczkomaty"
                } else {
                    prefix.trim_end_matches('/')
                };
                return Err(ApiError::invalid_xml(&format!(
                    "tekst poza elementem wewnątrz <{at}>"
                )));
            }
            // Comments and processing instructions are ignored, as any XML reader would.
        }
        Ok(Section { prefix, children })
    }

    fn node(&self, name: &str) -> Option<Node<'a, 'input>> {
        self.children
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, node)| *node)
    }

    /// The text of a value element; `None` when absent or empty/whitespace-only.
    fn text(&self, name: &str) -> Result<Option<String>, ApiError> {
        let Some(node) = self.node(name) else {
            return Ok(None);
        };
        if node.children().any(|c| c.is_element()) {
            return Err(ApiError::invalid_xml(&format!(
                "pole {}{name} nie może zawierać elementów",
                self.prefix
            )));
        }
        // Concatenate all text children: `a<!--x-->b` and CDATA pieces are one value.
        let text: String = node
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect();
        Ok(if text.trim().is_empty() {
            None
        } else {
            Some(text)
        })
    }

    /// The text of a required value element.
    fn required(&self, name: &str) -> Result<String, ApiError> {
        self.text(name)?
            .ok_or_else(|| ApiError::missing_field(&format!("{}{name}", self.prefix)))
    }

    /// A nested section, if present.
    fn section(
        &self,
        name: &str,
        prefix: &'static str,
        allowed: &[&str],
    ) -> Result<Option<Section<'a, 'input>>, ApiError> {
        self.node(name)
            .map(|node| Section::read(node, prefix, allowed))
            .transpose()
    }
}

/// Reads the fields shared by generateActiveCode and activateCode.
fn details(fields: &Section<'_, '_>, rma_required: bool) -> Result<CodeDetails, ApiError> {
    let rma = if rma_required {
        Some(fields.required("rma")?)
    } else {
        fields.text("rma")?
    };
    let pack_type = fields.required("packType")?;
    if !matches!(pack_type.as_str(), "A" | "B" | "C") {
        return Err(ApiError::invalid_pack_type());
    }
    let expiration_date = fields.required("expirationDate")?;
    if !time::is_valid_datetime(&expiration_date) {
        return Err(ApiError::invalid_date(
            "expirationDate",
            "yyyy-mm-ddThh:mm:ss",
        ));
    }
    let sender_phone = fields.required("senderPhone")?;
    if !is_phone(&sender_phone) {
        return Err(ApiError::invalid_phone("senderPhone"));
    }
    let sender_email = fields.required("senderEmail")?;
    if !is_email(&sender_email) {
        return Err(ApiError::invalid_email("senderEmail"));
    }
    let return_description1 = fields.text("returnDescription1")?;
    let address = match fields.section("address", "address/", ADDRESS_FIELDS)? {
        Some(section) => Some(address(&section)?),
        None => None,
    };
    Ok(CodeDetails {
        rma,
        pack_type,
        expiration_date,
        sender_phone,
        sender_email,
        return_description1,
        address,
    })
}

fn address(a: &Section<'_, '_>) -> Result<Address, ApiError> {
    let company_name = a.text("companyName")?;
    let name = a.required("name")?;
    let surname = a.required("surname")?;
    let email = a.text("email")?;
    if email.as_deref().is_some_and(|e| !is_email(e)) {
        return Err(ApiError::invalid_email("address/email"));
    }
    let phone = a.text("phone")?;
    if phone.as_deref().is_some_and(|p| !is_phone(p)) {
        return Err(ApiError::invalid_phone("address/phone"));
    }
    let street = a.required("street")?;
    let building_number = a.required("buildingNumber")?;
    let flat_number = a.required("flatNumber")?;
    let post_code = a.required("postCode")?;
    if !is_post_code(&post_code) {
        return Err(ApiError::invalid_post_code("address/postCode"));
    }
    let city = a.required("city")?;
    let province = a.text("province")?;
    Ok(Address {
        company_name,
        name,
        surname,
        email,
        phone,
        street,
        building_number,
        flat_number,
        post_code,
        city,
        province,
    })
}

fn number_of_codes(text: &str) -> Result<u64, ApiError> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid_number_of_codes());
    }
    let digits = text.trim_start_matches('0');
    if digits.is_empty() {
        return Err(ApiError::invalid_number_of_codes());
    }
    // More than 19 significant digits does not fit u64 but is still "a whole number ≥ 1".
    match digits.parse::<u64>() {
        Ok(n) if n <= MAX_CODES_PER_REQUEST => Ok(n),
        _ => Err(ApiError::too_many_codes_per_request(MAX_CODES_PER_REQUEST)),
    }
}

fn report(root: Node<'_, '_>) -> Result<ReportFilter, ApiError> {
    let fields = Section::read(
        root,
        "",
        &[
            "used",
            "active",
            "packCode",
            "code",
            "rma",
            "dateRange",
            "paging",
        ],
    )?;
    let boolean = |name: &str| -> Result<Option<bool>, ApiError> {
        match fields.text(name)?.as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(ApiError::invalid_boolean(name)),
        }
    };
    let used = boolean("used")?;
    let active = boolean("active")?;
    let pack_code = fields.text("packCode")?;
    let code = fields.text("code")?;
    let rma = fields.text("rma")?;

    let (mut start_day, mut end_day) = (None, None);
    if let Some(range) = fields.section("dateRange", "dateRange/", &["startDate", "endDate"])? {
        let day = |name: &str| -> Result<Option<i64>, ApiError> {
            match range.text(name)? {
                None => Ok(None),
                Some(text) => time::parse_date(&text).map(Some).ok_or_else(|| {
                    ApiError::invalid_date(&format!("dateRange/{name}"), "yyyy-mm-dd")
                }),
            }
        };
        start_day = day("startDate")?;
        end_day = day("endDate")?;
    }

    let (mut limit, mut offset) = (MAX_REPORT_LIMIT, 0usize);
    if let Some(paging) = fields.section("paging", "paging/", &["limit", "offset"])? {
        if let Some(text) = paging.text("limit")? {
            limit = parse_whole(&text)
                .filter(|n| (1..=MAX_REPORT_LIMIT as u64).contains(n))
                .ok_or_else(|| ApiError::invalid_paging("paging/limit"))?
                as usize;
        }
        if let Some(text) = paging.text("offset")? {
            // An offset past any possible record is valid and simply selects nothing.
            offset = parse_whole(&text)
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
                .ok_or_else(|| ApiError::invalid_paging("paging/offset"))?;
        }
    }

    Ok(ReportFilter {
        used,
        active,
        pack_code,
        code,
        rma,
        start_day,
        end_day,
        limit,
        offset,
    })
}

/// A whole number written with ASCII digits only (no sign, no spaces); saturates at `u64::MAX`.
fn parse_whole(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.parse::<u64>().unwrap_or(u64::MAX))
}

/// Exactly 9 ASCII digits, as the API wants phone numbers on the wire (no `+48`).
pub fn is_phone(s: &str) -> bool {
    s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `local@domain`: one `@`, both sides non-empty, no whitespace or control characters. Deliberately
/// loose beyond that; the real rules of InPost are unknown.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A Polish post code `NN-NNN`.
pub fn is_post_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 6
        && b[2] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKey;

    const ACTIVE: &str = "<paczkomaty><rma>123</rma><packType>A</packType><expirationDate>2022-10-10T11:00:00</expirationDate><senderPhone>333222111</senderPhone><senderEmail>szybkie.zwroty@inpost.pl</senderEmail><returnDescription1>Zamówienie:312</returnDescription1></paczkomaty>";

    fn key(function: Function, content: &str) -> ErrorKey {
        read(function, content).unwrap_err().key
    }

    #[test]
    fn spec_example_reads() {
        let Request::GenerateActiveCode(d) = read(Function::GenerateActiveCode, ACTIVE).unwrap()
        else {
            panic!("wrong variant")
        };
        assert_eq!(d.rma.as_deref(), Some("123"));
        assert_eq!(d.pack_type, "A");
        assert_eq!(d.return_description1.as_deref(), Some("Zamówienie:312"));
        assert_eq!(d.address, None);
    }

    #[test]
    fn declaration_whitespace_comments_cdata() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<paczkomaty>\n  <!-- c -->\n  <code><![CDATA[12]]>34</code>\n</paczkomaty>\n";
        assert_eq!(
            read(Function::InvalidateCode, xml).unwrap(),
            Request::InvalidateCode("1234".into())
        );
    }

    #[test]
    fn structural_errors() {
        use Function::*;
        assert_eq!(
            key(InvalidateCode, "<paczkomaty><code>1</code>"),
            ErrorKey::InvalidXml
        );
        assert_eq!(key(InvalidateCode, "not xml"), ErrorKey::InvalidXml);
        assert_eq!(
            key(InvalidateCode, "<other><code>1</code></other>"),
            ErrorKey::InvalidXml
        );
        assert_eq!(
            key(InvalidateCode, "<paczkomaty>x<code>1</code></paczkomaty>"),
            ErrorKey::InvalidXml
        );
        assert_eq!(
            key(
                InvalidateCode,
                "<paczkomaty><code><b>1</b></code></paczkomaty>"
            ),
            ErrorKey::InvalidXml
        );
        assert_eq!(
            key(
                InvalidateCode,
                "<!DOCTYPE x [<!ENTITY a \"b\">]><paczkomaty><code>&a;</code></paczkomaty>"
            ),
            ErrorKey::InvalidXml
        );
        assert_eq!(
            key(
                InvalidateCode,
                "<paczkomaty><code>1</code><code>2</code></paczkomaty>"
            ),
            ErrorKey::DuplicateField
        );
        assert_eq!(
            key(
                InvalidateCode,
                "<paczkomaty><code>1</code><rma>2</rma></paczkomaty>"
            ),
            ErrorKey::UnknownField
        );
        assert_eq!(
            key(InvalidateCode, "<paczkomaty><code> </code></paczkomaty>"),
            ErrorKey::MissingField
        );
        assert_eq!(key(InvalidateCode, "<paczkomaty/>"), ErrorKey::MissingField);
    }

    #[test]
    fn field_rules() {
        use Function::GenerateActiveCode as G;
        let with = |from: &str, to: &str| ACTIVE.replace(from, to);
        assert_eq!(key(G, &with("<rma>123</rma>", "")), ErrorKey::MissingField);
        assert_eq!(key(G, &with(">A<", ">a<")), ErrorKey::InvalidPackType);
        assert_eq!(key(G, &with(">A<", ">D<")), ErrorKey::InvalidPackType);
        assert_eq!(
            key(G, &with("333222111", "33322211")),
            ErrorKey::InvalidPhone
        );
        assert_eq!(
            key(G, &with("333222111", "+48333222111")),
            ErrorKey::InvalidPhone
        );
        assert_eq!(
            key(G, &with("szybkie.zwroty@inpost.pl", "no-at")),
            ErrorKey::InvalidEmail
        );
        assert_eq!(
            key(G, &with("2022-10-10T11:00:00", "2022-02-30T11:00:00")),
            ErrorKey::InvalidDate
        );
        assert_eq!(
            key(G, &with("2022-10-10T11:00:00", "2022-10-10")),
            ErrorKey::InvalidDate
        );
        // returnDescription1 is optional
        assert!(read(
            G,
            &with(
                "<returnDescription1>Zamówienie:312</returnDescription1>",
                ""
            )
        )
        .is_ok());
        // activateCode: rma optional, code required
        let act = with("<rma>123</rma>", "<code>1234567890</code>");
        assert!(matches!(
            read(Function::ActivateCode, &act),
            Ok(Request::ActivateCode { .. })
        ));
        assert_eq!(
            key(Function::ActivateCode, &with("<rma>123</rma>", "")),
            ErrorKey::MissingField
        );
    }

    #[test]
    fn address_rules() {
        let full = "<address><companyName>Sklep</companyName><name>Jan</name><surname>Kowalski</surname><email>jan@example.com</email><phone>600100200</phone><street>Długa</street><buildingNumber>1</buildingNumber><flatNumber>2</flatNumber><postCode>00-001</postCode><city>Warszawa</city><province>mazowieckie</province></address>";
        let xml = |addr: &str| ACTIVE.replace("</paczkomaty>", &format!("{addr}</paczkomaty>"));
        let Request::GenerateActiveCode(d) =
            read(Function::GenerateActiveCode, &xml(full)).unwrap()
        else {
            panic!()
        };
        assert_eq!(d.address.unwrap().post_code, "00-001");
        let k = |a: &str| key(Function::GenerateActiveCode, &xml(a));
        assert_eq!(
            k(&full.replace("00-001", "00001")),
            ErrorKey::InvalidPostCode
        );
        assert_eq!(
            k(&full.replace("<flatNumber>2</flatNumber>", "")),
            ErrorKey::MissingField
        );
        assert_eq!(
            k(&full.replace("600100200", "60010020")),
            ErrorKey::InvalidPhone
        );
        assert_eq!(
            k(&full.replace("jan@example.com", "jan")),
            ErrorKey::InvalidEmail
        );
        assert_eq!(
            k(&full
                .replace("<city>", "<town>")
                .replace("</city>", "</town>")),
            ErrorKey::UnknownField
        );
        assert_eq!(k("<address/>"), ErrorKey::MissingField);
        let e = read(
            Function::GenerateActiveCode,
            &xml(&full.replace("<surname>Kowalski</surname>", "")),
        )
        .unwrap_err();
        assert!(e.message.ends_with("address/surname"), "{}", e.message);
    }

    #[test]
    fn number_of_codes_rules() {
        let xml = |n: &str| format!("<paczkomaty><numberOfCodes>{n}</numberOfCodes></paczkomaty>");
        let f = Function::GenerateInactiveCodes;
        assert_eq!(
            read(f, &xml("2")).unwrap(),
            Request::GenerateInactiveCodes(2)
        );
        assert_eq!(
            read(f, &xml("1000")).unwrap(),
            Request::GenerateInactiveCodes(1000)
        );
        assert_eq!(key(f, &xml("1001")), ErrorKey::TooManyCodes);
        assert_eq!(
            key(f, &xml("99999999999999999999999")),
            ErrorKey::TooManyCodes
        );
        for bad in ["0", "-1", "1.5", "abc", " 2"] {
            assert_eq!(key(f, &xml(bad)), ErrorKey::InvalidNumberOfCodes, "{bad}");
        }
    }

    #[test]
    fn report_rules() {
        let f = Function::GetReport;
        let Request::GetReport(r) = read(f, "<paczkomaty/>").unwrap() else {
            panic!()
        };
        assert_eq!(
            (r.limit, r.offset, r.used, r.start_day),
            (1000, 0, None, None)
        );
        let xml = "<paczkomaty><used>true</used><active>false</active><packCode>670781097283000026014876</packCode><code>6397348744</code><rma>123</rma><dateRange><startDate>2022-01-10</startDate><endDate>2022-07-20</endDate></dateRange><paging><limit>10</limit><offset>20</offset></paging></paczkomaty>";
        let Request::GetReport(r) = read(f, xml).unwrap() else {
            panic!()
        };
        assert_eq!((r.used, r.active), (Some(true), Some(false)));
        assert_eq!(r.start_day, time::parse_date("2022-01-10"));
        assert_eq!((r.limit, r.offset), (10, 20));
        let k = |from: &str, to: &str| key(f, &xml.replace(from, to));
        assert_eq!(k("<used>true", "<used>yes"), ErrorKey::InvalidBoolean);
        assert_eq!(k("2022-01-10", "2022-1-10"), ErrorKey::InvalidDate);
        assert_eq!(k("<limit>10", "<limit>0"), ErrorKey::InvalidPaging);
        assert_eq!(k("<limit>10", "<limit>1001"), ErrorKey::InvalidPaging);
        assert_eq!(k("<offset>20", "<offset>-1"), ErrorKey::InvalidPaging);
        assert_eq!(k("<paging>", "<paging>x"), ErrorKey::InvalidXml);
        assert_eq!(
            k(
                "<startDate>2022-01-10</startDate>",
                "<start>2022-01-10</start>"
            ),
            ErrorKey::UnknownField
        );
    }

    /// Random mixes of XML-ish pieces, valid and broken: reading never panics, whatever comes.
    #[test]
    fn random_content_never_panics() {
        const PIECES: &[&str] = &[
            "<paczkomaty>",
            "</paczkomaty>",
            "<code>",
            "</code>",
            "<rma>",
            "</rma>",
            "<address>",
            "</address>",
            "<paging>",
            "<limit>",
            "</limit>",
            "<dateRange>",
            "<startDate>",
            "2022-02-29",
            "<0>",
            "</0>",
            "&amp;",
            "&",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "<?xml version=\"1.0\"?>",
            "<!DOCTYPE x>",
            "ż",
            "\u{0}",
            "\u{FFFF}",
            "123",
            " ",
            "\n",
            "<",
            ">",
            "\"",
            "'",
            "=",
            "<numberOfCodes>",
            "99999999999999999999999",
            "</numberOfCodes>",
            "<packType>A</packType>",
        ];
        let functions = [
            Function::GenerateActiveCode,
            Function::GenerateInactiveCodes,
            Function::ActivateCode,
            Function::InvalidateCode,
            Function::GetReport,
        ];
        let mut rng = crate::rng::XorShift::new(2024);
        for _ in 0..3000 {
            let n = rng.below(24) as usize;
            let content: String = (0..n)
                .map(|_| PIECES[rng.below(PIECES.len() as u64) as usize])
                .collect();
            for f in functions {
                let _ = read(f, &content);
            }
        }
    }

    #[test]
    fn helpers() {
        assert!(is_phone("600100200"));
        assert!(!is_phone("60010020ą"));
        assert!(is_email("a@b"));
        assert!(!is_email("a@b@c"));
        assert!(!is_email("a b@c"));
        assert!(!is_email("@c"));
        assert!(is_post_code("00-950"));
        assert!(!is_post_code("00-95ą"));
        assert!(!is_post_code("0-0950"));
    }
}
