//! Turns a read [`Document`] into the typed answer of each operation, deciding what each one
//! needs and keeping everything unknown in `extra`.

use super::naming::{ExtraBuilder, HashKey};
use super::reader::{self, Document, Field};
use crate::model::{
    InactiveCode, InactiveCodes, Invalidation, Report, ReportRecord, Response, ReturnCode, Text,
};
use crate::names::report as names;
use crate::{Error, Operation};

/// Parses the HTTP status and raw body InPost answered with. An `<error>` element is an
/// [`Error::Api`] whatever the status; a non-2xx answer without one is unexpected.
pub fn parse_response(
    operation: Operation,
    status: u16,
    body: &[u8],
) -> Result<Response<'_>, Error> {
    let doc = reader::read(status, body, items_wanted(operation))?;
    if !(200..300).contains(&status) {
        return Err(Error::unexpected(
            status,
            format!("HTTP {status} without an <error> element in the answer"),
        ));
    }
    let key = HashKey::new(body);
    Ok(match operation {
        Operation::GenerateActiveCode => {
            let code = return_code(doc, &key);
            if code.code.is_none() {
                return Err(Error::unexpected(
                    status,
                    "the answer carries no <return><code>",
                ));
            }
            Response::ReturnCode(code)
        }
        Operation::ActivateCode => Response::ReturnCode(return_code(doc, &key)),
        Operation::GenerateInactiveCodes => {
            let codes: Vec<InactiveCode<'_>> =
                records(doc).map(|r| inactive_code(r, &key)).collect();
            // At least one code was asked for: an answer without any is not a success.
            if codes.is_empty() {
                return Err(Error::unexpected(
                    status,
                    "the answer carries no code, though at least one was asked for",
                ));
            }
            if let Some(i) = codes.iter().position(|c| c.code.is_none()) {
                return Err(Error::unexpected(
                    status,
                    format!("item {i} of the answer carries no <code>"),
                ));
            }
            Response::InactiveCodes(InactiveCodes { codes })
        }
        Operation::InvalidateCode => {
            let invalidation = invalidation(doc, &key);
            if invalidation.valid.is_none() {
                return Err(Error::unexpected(
                    status,
                    "the answer carries no <valid> true/false",
                ));
            }
            Response::Invalidation(invalidation)
        }
        Operation::GetReport => Response::Report(Report {
            records: records(doc).map(|r| report_record(r, &key)).collect(),
        }),
    })
}

/// How many list items the operation uses; the reader skips the fields of the rest.
fn items_wanted(operation: Operation) -> usize {
    match operation {
        Operation::GenerateActiveCode | Operation::ActivateCode => 1,
        Operation::InvalidateCode => 0,
        Operation::GenerateInactiveCodes | Operation::GetReport => usize::MAX,
    }
}

/// The records of a list answer: the items under `<return>`, or the fields directly under it
/// taken as one record.
fn records(doc: Document<'_>) -> impl Iterator<Item = Vec<Field<'_>>> {
    let single = (!doc.return_fields.is_empty()).then_some(doc.return_fields);
    single.into_iter().chain(doc.items)
}

/// `true`/`false` (any case), `1`/`0`; anything else is kept as text in `extra`.
fn boolean(value: &Option<Text<'_>>) -> Option<Option<bool>> {
    match value.as_deref() {
        None => Some(None),
        Some(v) if v.eq_ignore_ascii_case("true") || v == "1" => Some(Some(true)),
        Some(v) if v.eq_ignore_ascii_case("false") || v == "0" => Some(Some(false)),
        Some(_) => None,
    }
}

/// Sets a typed field the first time its element is seen; a repeat, or a boolean that is not
/// one, goes to `extra`.
macro_rules! assign {
    ($extra:expr, $field:expr, text $slot:expr) => {{
        if $slot.is_none() {
            $slot = $field.value;
        } else {
            $extra.push($field.name, $field.value);
        }
    }};
    ($extra:expr, $field:expr, bool $slot:expr) => {{
        match boolean(&$field.value) {
            Some(value) if $slot.is_none() => $slot = value,
            _ => $extra.push($field.name, $field.value),
        }
    }};
}

fn return_code<'a>(doc: Document<'a>, key: &HashKey<'a>) -> ReturnCode<'a> {
    let mut code = ReturnCode::default();
    let mut extra = ExtraBuilder::new(key);
    let fields = if doc.return_fields.is_empty() {
        doc.items.into_iter().next().unwrap_or_default()
    } else {
        doc.return_fields
    };
    for field in fields.into_iter().chain(doc.top) {
        match field.name.as_ref() {
            "code" => assign!(extra, field, text code.code),
            "active" => assign!(extra, field, bool code.active),
            "expirationDate" => assign!(extra, field, text code.expiration_date),
            "packType" => assign!(extra, field, text code.pack_type),
            "uuid" => assign!(extra, field, text code.uuid),
            "labelAttached" => assign!(extra, field, bool code.label_attached),
            _ => extra.push(field.name, field.value),
        }
    }
    code.extra = extra.finish();
    code
}

fn inactive_code<'a>(fields: Vec<Field<'a>>, key: &HashKey<'a>) -> InactiveCode<'a> {
    let mut code = InactiveCode::default();
    let mut extra = ExtraBuilder::new(key);
    for field in fields {
        match field.name.as_ref() {
            "code" => assign!(extra, field, text code.code),
            "active" => assign!(extra, field, bool code.active),
            "uuid" => assign!(extra, field, text code.uuid),
            "labelAttached" => assign!(extra, field, bool code.label_attached),
            _ => extra.push(field.name, field.value),
        }
    }
    code.extra = extra.finish();
    code
}

fn invalidation<'a>(doc: Document<'a>, key: &HashKey<'a>) -> Invalidation<'a> {
    let mut result = Invalidation::default();
    let mut extra = ExtraBuilder::new(key);
    for field in doc.top.into_iter().chain(doc.return_fields) {
        match field.name.as_ref() {
            "valid" => assign!(extra, field, bool result.valid),
            _ => extra.push(field.name, field.value),
        }
    }
    result.extra = extra.finish();
    result
}

fn report_record<'a>(fields: Vec<Field<'a>>, key: &HashKey<'a>) -> ReportRecord<'a> {
    let mut r = ReportRecord::default();
    let mut extra = ExtraBuilder::new(key);
    for field in fields {
        match field.name.as_ref() {
            names::OPERATOR_EMAIL => assign!(extra, field, text r.operator_email),
            names::REVERSE_RETURN_PACK_CODE => {
                assign!(extra, field, text r.reverse_return_pack_code)
            }
            names::REVERSE_RETURN_PACK_STATUS => {
                assign!(extra, field, text r.reverse_return_pack_status)
            }
            names::CODE => assign!(extra, field, text r.code),
            names::RMA => assign!(extra, field, text r.rma),
            names::ACTIVE => assign!(extra, field, bool r.active),
            names::USED => assign!(extra, field, bool r.used),
            names::SENDER_PHONE => assign!(extra, field, text r.sender_phone),
            names::SENDER_EMAIL => assign!(extra, field, text r.sender_email),
            names::RETURN_DESCRIPTION_1 => assign!(extra, field, text r.return_description1),
            _ => extra.push(field.name, field.value),
        }
    }
    r.extra = extra.finish();
    r
}
