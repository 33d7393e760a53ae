//! The typed inputs and outputs of the five operations, in the contract's JSON shapes: field
//! names are InPost's XML element names.

use std::borrow::Cow;
use std::fmt;

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

pub use crate::address::Address;
use crate::response::span::{Field, Span, Texts};
use crate::Operation;

// ---- inputs -------------------------------------------------------------------------------------
//
// Required text fields are plain `String`s that default to empty, so that a missing value and an
// empty one get the same clear "is required" error from validation, naming the field.

/// Input of `generateActiveCode` (scenario 1): an active code for an accepted return.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ActiveCodeInput {
    /// The merchant's unique reference, e.g. the order number.
    pub rma: String,
    /// Locker size `A`, `B` or `C` (any case).
    pub pack_type: String,
    /// Last moment the code can be used, `yyyy-mm-ddThh:mm:ss`.
    pub expiration_date: String,
    /// The customer's phone; obvious Polish forms are normalised to 9 digits.
    pub sender_phone: String,
    /// The customer's e-mail.
    pub sender_email: String,
    /// Extra text printed on the label, e.g. `Zamówienie:312`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_description1: Option<String>,
    /// Where the parcel goes; when absent, the account's stored address is used.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "object_only"
    )]
    pub address: Option<Address>,
}

/// Input of `activateCode` (scenario 2): activate an inactive code shipped with a product.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ActivateCodeInput {
    /// The inactive code, e.g. `2991513940`.
    pub code: String,
    /// The merchant's reference (optional here, unlike `generateActiveCode`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rma: Option<String>,
    /// Locker size `A`, `B` or `C` (any case).
    pub pack_type: String,
    /// Last moment the code can be used, `yyyy-mm-ddThh:mm:ss`.
    pub expiration_date: String,
    /// The customer's phone; obvious Polish forms are normalised to 9 digits.
    pub sender_phone: String,
    /// The customer's e-mail.
    pub sender_email: String,
    /// Extra text printed on the label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_description1: Option<String>,
    /// Where the parcel goes; when absent, the account's stored address is used.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "object_only"
    )]
    pub address: Option<Address>,
}

/// Input of `generateInactiveCodes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct InactiveCodesInput {
    /// How many codes, at least 1 (InPost documents no maximum).
    pub number_of_codes: u32,
}

/// Input of `invalidateCode`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct InvalidateCodeInput {
    /// The inactive, unused code to disable.
    pub code: String,
}

/// Input of `getReport`: every filter is optional. Records are selected by creation date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ReportQuery {
    /// Only codes that have (not) been used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used: Option<bool>,
    /// Only codes that are (not) active.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// A 24-character shipment number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pack_code: Option<String>,
    /// A return code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A merchant reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rma: Option<String>,
    /// Creation-date range.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "object_only"
    )]
    pub date_range: Option<DateRange>,
    /// Page size and offset.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "object_only"
    )]
    pub paging: Option<Paging>,
}

/// A creation-date range, `yyyy-mm-dd`, both ends optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct DateRange {
    /// First creation day, `yyyy-mm-dd`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Last creation day, `yyyy-mm-dd`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
}

/// A page of the report: `limit` 1–1000 records, skipping `offset` (0-based).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Paging {
    /// Page size, 1 to 1000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Records to skip: 0 for the first page, then `limit`, `2 × limit`…
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u32>,
}

/// Reads an optional section (`address`, `dateRange`, `paging`) only from a JSON object or
/// `null`. Serde's derive would also take an array and fill the fields by position
/// (`"address": ["Firma"]` as a company name); every face refuses it as `invalid_input` naming
/// the section instead.
fn object_only<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    use serde::de::{value::MapAccessDeserializer, MapAccess, Visitor};
    use std::fmt;
    use std::marker::PhantomData;

    struct Section<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Section<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map)).map(Some)
        }
    }
    deserializer.deserialize_option(Section(PhantomData))
}

/// The input of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// See [`ActiveCodeInput`].
    GenerateActiveCode(ActiveCodeInput),
    /// See [`InactiveCodesInput`].
    GenerateInactiveCodes(InactiveCodesInput),
    /// See [`ActivateCodeInput`].
    ActivateCode(ActivateCodeInput),
    /// See [`InvalidateCodeInput`].
    InvalidateCode(InvalidateCodeInput),
    /// See [`ReportQuery`].
    GetReport(ReportQuery),
}

impl Request {
    /// The operation this input belongs to.
    pub fn operation(&self) -> Operation {
        match self {
            Request::GenerateActiveCode(_) => Operation::GenerateActiveCode,
            Request::GenerateInactiveCodes(_) => Operation::GenerateInactiveCodes,
            Request::ActivateCode(_) => Operation::ActivateCode,
            Request::InvalidateCode(_) => Operation::InvalidateCode,
            Request::GetReport(_) => Operation::GetReport,
        }
    }
}

// ---- outputs ------------------------------------------------------------------------------------

/// Text taken from the answer: borrowed from the body where no unescaping was needed.
pub type Text<'a> = Cow<'a, str>;

/// Elements the library has no typed field for, by name and in document order. A nested
/// element is named by its dotted path below the record (`label.format`); an element whose name
/// repeats in the record gets `#2`, `#3`… after it. Serialized as a JSON object.
#[derive(Clone, Default)]
pub struct Extra<'a> {
    /// Compact fields (spans into `texts`), numbered: a hostile answer of a million tiny
    /// elements must not cost a million owned strings.
    pub(crate) entries: Vec<Field>,
    pub(crate) texts: Texts<'a>,
}

impl<'a> Extra<'a> {
    /// The text of the element `name` (`label.format`, `note#2` …), if it was present.
    pub fn get(&self, name: &str) -> Option<&str> {
        let (base, occurrence) = match name.rsplit_once('#') {
            None => (name, 1),
            Some((base, n)) => (base, n.parse::<u32>().ok().filter(|&n| n >= 2)?),
        };
        self.entries
            .iter()
            .find(|e| e.occurrence == occurrence && self.texts.get(e.name) == base)
            .and_then(|e| self.text(e))
    }

    /// True when nothing unknown was sent.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many unknown elements were sent.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Every unknown element in document order: its name (with `#n` for a repeat) and its text.
    pub fn iter(&self) -> impl Iterator<Item = (Cow<'_, str>, Option<&str>)> + '_ {
        self.entries
            .iter()
            .map(|e| (self.full_name(e), self.text(e)))
    }

    fn text(&self, entry: &Field) -> Option<&str> {
        self.texts.text(entry.value)
    }

    /// `name`, or `name#n` for a repeat (written without the formatting machinery, which the
    /// wasm module would otherwise carry).
    fn full_name(&self, entry: &Field) -> Cow<'_, str> {
        let base = self.texts.get(entry.name);
        if entry.occurrence == 1 {
            return Cow::Borrowed(base);
        }
        let mut digits = [0u8; 10];
        let mut n = entry.occurrence;
        let mut at = digits.len();
        while n > 0 || at == digits.len() {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        let mut name = String::with_capacity(base.len() + 1 + digits.len() - at);
        name.push_str(base);
        name.push('#');
        name.extend(digits[at..].iter().map(|&d| char::from(d)));
        Cow::Owned(name)
    }

    /// The same entries with their text copied into a store of their own.
    fn into_owned(self) -> Extra<'static> {
        let mut store = String::new();
        let mut copy = |span: Span| {
            if span.is_none() {
                return Span::NONE;
            }
            let start = store.len();
            store.push_str(self.texts.get(span));
            Span::in_store(&store, start)
        };
        let entries = self
            .entries
            .iter()
            .map(|e| Field {
                name: copy(e.name),
                value: copy(e.value),
                occurrence: e.occurrence,
            })
            .collect();
        Extra {
            entries,
            texts: Texts::new("", store),
        }
    }
}

impl PartialEq for Extra<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Extra<'_> {}

impl fmt::Debug for Extra<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Extra<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for entry in &self.entries {
            map.serialize_entry(&self.full_name(entry), &self.text(entry))?;
        }
        map.end()
    }
}

fn owned(text: Text<'_>) -> Text<'static> {
    Cow::Owned(text.into_owned())
}

/// A return code as answered by `generateActiveCode` and (as far as known) `activateCode`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReturnCode<'a> {
    /// The code the customer types at the locker.
    pub code: Option<Text<'a>>,
    /// Whether the code can be used now.
    pub active: Option<bool>,
    /// Until when, exactly as InPost sent it.
    pub expiration_date: Option<Text<'a>>,
    /// Locker size.
    pub pack_type: Option<Text<'a>>,
    /// InPost's id of the code.
    pub uuid: Option<Text<'a>>,
    /// Whether a label is attached.
    pub label_attached: Option<bool>,
    /// Everything else InPost sent.
    pub extra: Extra<'a>,
}

/// One code of a `generateInactiveCodes` answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InactiveCode<'a> {
    /// The code, printed or packed with the product.
    pub code: Option<Text<'a>>,
    /// `false` until activated.
    pub active: Option<bool>,
    /// InPost's id of the code.
    pub uuid: Option<Text<'a>>,
    /// Whether a label is attached.
    pub label_attached: Option<bool>,
    /// Everything else InPost sent.
    pub extra: Extra<'a>,
}

/// The answer of `generateInactiveCodes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InactiveCodes<'a> {
    /// The codes, in InPost's order.
    pub codes: Vec<InactiveCode<'a>>,
}

/// The answer of `invalidateCode`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Invalidation<'a> {
    /// `false` once the code is disabled.
    pub valid: Option<bool>,
    /// Everything else InPost sent.
    pub extra: Extra<'a>,
}

/// One record of `getReport`. Fields whose names InPost has not confirmed, such as the dates,
/// are in `extra` under the names InPost sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRecord<'a> {
    /// The account's e-mail.
    pub operator_email: Option<Text<'a>>,
    /// The shipment number once the parcel is in the system.
    pub reverse_return_pack_code: Option<Text<'a>>,
    /// The shipment's status, exactly as sent (the vocabulary is not documented).
    pub reverse_return_pack_status: Option<Text<'a>>,
    /// The return code.
    pub code: Option<Text<'a>>,
    /// The merchant's reference.
    pub rma: Option<Text<'a>>,
    /// Whether the code is active.
    pub active: Option<bool>,
    /// Whether the code has been used.
    pub used: Option<bool>,
    /// The customer's phone.
    pub sender_phone: Option<Text<'a>>,
    /// The customer's e-mail.
    pub sender_email: Option<Text<'a>>,
    /// The label text.
    pub return_description1: Option<Text<'a>>,
    /// Everything else InPost sent (dates among them).
    pub extra: Extra<'a>,
}

/// The answer of `getReport`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report<'a> {
    /// The records of this page.
    pub records: Vec<ReportRecord<'a>>,
}

/// The parsed answer of one operation; serializes as the contract's value (no tag).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Response<'a> {
    /// `generateActiveCode` and `activateCode`.
    ReturnCode(ReturnCode<'a>),
    /// `generateInactiveCodes`.
    InactiveCodes(InactiveCodes<'a>),
    /// `invalidateCode`.
    Invalidation(Invalidation<'a>),
    /// `getReport`.
    Report(Report<'a>),
}

impl Response<'_> {
    /// Detaches the answer from the body it borrows from.
    pub fn into_owned(self) -> Response<'static> {
        match self {
            Response::ReturnCode(c) => Response::ReturnCode(ReturnCode {
                code: c.code.map(owned),
                active: c.active,
                expiration_date: c.expiration_date.map(owned),
                pack_type: c.pack_type.map(owned),
                uuid: c.uuid.map(owned),
                label_attached: c.label_attached,
                extra: c.extra.into_owned(),
            }),
            Response::InactiveCodes(list) => Response::InactiveCodes(InactiveCodes {
                codes: list
                    .codes
                    .into_iter()
                    .map(|c| InactiveCode {
                        code: c.code.map(owned),
                        active: c.active,
                        uuid: c.uuid.map(owned),
                        label_attached: c.label_attached,
                        extra: c.extra.into_owned(),
                    })
                    .collect(),
            }),
            Response::Invalidation(i) => Response::Invalidation(Invalidation {
                valid: i.valid,
                extra: i.extra.into_owned(),
            }),
            Response::Report(report) => Response::Report(Report {
                records: report
                    .records
                    .into_iter()
                    .map(|r| ReportRecord {
                        operator_email: r.operator_email.map(owned),
                        reverse_return_pack_code: r.reverse_return_pack_code.map(owned),
                        reverse_return_pack_status: r.reverse_return_pack_status.map(owned),
                        code: r.code.map(owned),
                        rma: r.rma.map(owned),
                        active: r.active,
                        used: r.used,
                        sender_phone: r.sender_phone.map(owned),
                        sender_email: r.sender_email.map(owned),
                        return_description1: r.return_description1.map(owned),
                        extra: r.extra.into_owned(),
                    })
                    .collect(),
            }),
        }
    }
}
