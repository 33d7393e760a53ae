//! Turns a read [`Document`] into the typed answer of each operation, deciding what each one
//! needs and keeping everything unknown in `extra`.

use super::naming::{number_repeats, HashKey};
use super::reader::{self, Document, Field};
use crate::model::{
    Extra, InactiveCode, InactiveCodes, Invalidation, Report, ReportRecord, Response, ReturnCode,
    Text,
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
    check_status(status)?;
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
            let codes = records(doc, &key, inactive_code);
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
            records: records(doc, &key, report_record),
        }),
    })
}

/// [`parse_response`] of `getReport`, with each record handed to `each` as soon as it is read
/// instead of collected: the memory held is one record's, whatever the report's size. The same
/// records in the same order, except when the answer also has fields directly under `<return>`:
/// their record comes before the list items, so it is returned rather than handed over, for the
/// caller to place first.
pub(crate) fn stream_report<'a>(
    status: u16,
    body: &'a [u8],
    each: &mut dyn FnMut(&ReportRecord<'a>),
) -> Result<Option<ReportRecord<'a>>, Error> {
    let key = HashKey::new(body);
    let mut sink = |fields: &mut Vec<Field<'a>>| {
        let record = report_record_unshrunk(std::mem::take(fields), &key);
        each(&record);
        // The buffer goes back to the reader for the next item.
        *fields = record.extra.entries;
    };
    let doc = reader::read_streaming(status, body, &mut sink)?;
    check_status(status)?;
    Ok((!doc.return_fields.is_empty()).then(|| report_record(doc.return_fields, &key)))
}

/// A non-2xx answer without an `<error>` element is unexpected.
fn check_status(status: u16) -> Result<(), Error> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    Err(Error::unexpected(
        status,
        format!("HTTP {status} without an <error> element in the answer"),
    ))
}

/// How many list items the operation uses; the reader skips the fields of the rest.
fn items_wanted(operation: Operation) -> usize {
    match operation {
        Operation::GenerateActiveCode | Operation::ActivateCode => 1,
        Operation::InvalidateCode => 0,
        Operation::GenerateInactiveCodes | Operation::GetReport => usize::MAX,
    }
}

/// The records of a list answer: the fields directly under `<return>` taken as one record, if
/// any, then the list items.
fn records<'a, T>(
    doc: Document<'a>,
    key: &HashKey<'a>,
    record: impl Fn(Vec<Field<'a>>, &HashKey<'a>) -> T,
) -> Vec<T> {
    let single = (!doc.return_fields.is_empty()).then_some(doc.return_fields);
    single
        .into_iter()
        .chain(doc.items)
        .map(|fields| record(fields, key))
        .collect()
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

/// Moves the field's text into its typed slot the first time the element is seen (`true`); a
/// repeat stays for `extra` (`false`).
fn text<'a>(slot: &mut Option<Text<'a>>, field: &mut Field<'a>) -> bool {
    if slot.is_some() {
        return false;
    }
    *slot = field.value.take();
    true
}

/// Like [`text`] for a boolean; text that is not one stays for `extra`.
fn flag(slot: &mut Option<bool>, field: &Field<'_>) -> bool {
    match boolean(&field.value) {
        Some(value) if slot.is_none() => {
            *slot = value;
            true
        }
        _ => false,
    }
}

/// What is left of a record's fields once the typed ones are taken: its `extra`, in the same
/// buffer, with repeats numbered.
fn extra<'a>(fields: Vec<Field<'a>>, key: &HashKey<'a>) -> Extra<'a> {
    let mut extra = extra_unshrunk(fields, key);
    shrink(&mut extra);
    extra
}

/// [`extra`] keeping the buffer's room, for a buffer that is reused.
fn extra_unshrunk<'a>(mut fields: Vec<Field<'a>>, key: &HashKey<'a>) -> Extra<'a> {
    number_repeats(&mut fields, key);
    Extra { entries: fields }
}

/// A record whose fields were mostly typed must not keep room for all of them.
fn shrink(extra: &mut Extra<'_>) {
    let fields = &mut extra.entries;
    if fields.capacity() > 2 * fields.len() + 4 {
        fields.shrink_to_fit();
    }
}

fn return_code<'a>(doc: Document<'a>, key: &HashKey<'a>) -> ReturnCode<'a> {
    let mut code = ReturnCode::default();
    let mut fields = if doc.return_fields.is_empty() {
        doc.items.into_iter().next().unwrap_or_default()
    } else {
        doc.return_fields
    };
    fields.extend(doc.top);
    fields.retain_mut(|field| !match field.name.as_ref() {
        "code" => text(&mut code.code, field),
        "active" => flag(&mut code.active, field),
        "expirationDate" => text(&mut code.expiration_date, field),
        "packType" => text(&mut code.pack_type, field),
        "uuid" => text(&mut code.uuid, field),
        "labelAttached" => flag(&mut code.label_attached, field),
        _ => false,
    });
    code.extra = extra(fields, key);
    code
}

fn inactive_code<'a>(mut fields: Vec<Field<'a>>, key: &HashKey<'a>) -> InactiveCode<'a> {
    let mut code = InactiveCode::default();
    fields.retain_mut(|field| !match field.name.as_ref() {
        "code" => text(&mut code.code, field),
        "active" => flag(&mut code.active, field),
        "uuid" => text(&mut code.uuid, field),
        "labelAttached" => flag(&mut code.label_attached, field),
        _ => false,
    });
    code.extra = extra(fields, key);
    code
}

fn invalidation<'a>(doc: Document<'a>, key: &HashKey<'a>) -> Invalidation<'a> {
    let mut result = Invalidation::default();
    let mut fields = doc.top;
    fields.extend(doc.return_fields);
    fields.retain(|field| field.name != "valid" || !flag(&mut result.valid, field));
    result.extra = extra(fields, key);
    result
}

fn report_record<'a>(fields: Vec<Field<'a>>, key: &HashKey<'a>) -> ReportRecord<'a> {
    let mut r = report_record_unshrunk(fields, key);
    shrink(&mut r.extra);
    r
}

fn report_record_unshrunk<'a>(mut fields: Vec<Field<'a>>, key: &HashKey<'a>) -> ReportRecord<'a> {
    let mut r = ReportRecord::default();
    fields.retain_mut(|field| !match field.name.as_ref() {
        names::OPERATOR_EMAIL => text(&mut r.operator_email, field),
        names::REVERSE_RETURN_PACK_CODE => text(&mut r.reverse_return_pack_code, field),
        names::REVERSE_RETURN_PACK_STATUS => text(&mut r.reverse_return_pack_status, field),
        names::CODE => text(&mut r.code, field),
        names::RMA => text(&mut r.rma, field),
        names::ACTIVE => flag(&mut r.active, field),
        names::USED => flag(&mut r.used, field),
        names::SENDER_PHONE => text(&mut r.sender_phone, field),
        names::SENDER_EMAIL => text(&mut r.sender_email, field),
        names::RETURN_DESCRIPTION_1 => text(&mut r.return_description1, field),
        _ => false,
    });
    r.extra = extra_unshrunk(fields, key);
    r
}
