//! Turns a read [`Document`] into the typed answer of each operation, deciding what each one
//! needs and keeping everything unknown in `extra`.

use super::naming::{number_repeats, HashKey};
use super::reader::{self, Document, Field};
use super::span::Texts;
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
    let cx = Context {
        texts: doc.texts.clone(),
        key: &key,
        keep_room: false,
    };
    Ok(match operation {
        Operation::GenerateActiveCode => {
            let code = return_code(doc, &cx);
            if code.code.is_none() {
                return Err(Error::unexpected(
                    status,
                    "the answer carries no <return><code>",
                ));
            }
            Response::ReturnCode(code)
        }
        Operation::ActivateCode => Response::ReturnCode(return_code(doc, &cx)),
        Operation::GenerateInactiveCodes => {
            let codes = records(doc, &cx, inactive_code);
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
            let invalidation = invalidation(doc, &cx);
            if invalidation.valid.is_none() {
                return Err(Error::unexpected(
                    status,
                    "the answer carries no <valid> true/false",
                ));
            }
            Response::Invalidation(invalidation)
        }
        Operation::GetReport => Response::Report(Report {
            records: records(doc, &cx, report_record),
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
    each: &mut dyn FnMut(&ReportRecord<'_>),
) -> Result<Option<ReportRecord<'a>>, Error> {
    let key = HashKey::new(body);
    let mut sink = |fields: &mut Vec<Field>, texts: &Texts<'a>| {
        let cx = Context {
            texts: texts.clone(),
            key: &key,
            keep_room: true,
        };
        let mut record = ReportRecord::default();
        report_record(&mut record, std::mem::take(fields), &cx);
        each(&record);
        // The buffer goes back to the reader for the next item.
        *fields = record.extra.entries;
    };
    let doc = reader::read_streaming(status, body, &mut sink)?;
    check_status(status)?;
    let cx = Context {
        texts: doc.texts.clone(),
        key: &key,
        keep_room: false,
    };
    Ok((!doc.return_fields.is_empty()).then(|| {
        let mut record = ReportRecord::default();
        report_record(&mut record, doc.return_fields, &cx);
        record
    }))
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
/// any, then the list items. Each record is filled where it lies in the list: a record is a few
/// hundred bytes, and a page of tiny items would otherwise spend its time copying them.
fn records<'a, T: Default>(
    doc: Document<'a>,
    cx: &Context<'a, '_>,
    fill: impl Fn(&mut T, Vec<Field>, &Context<'a, '_>),
) -> Vec<T> {
    let single = (!doc.return_fields.is_empty()).then_some(doc.return_fields);
    let mut records = Vec::new();
    records.resize_with(usize::from(single.is_some()) + doc.items.len(), T::default);
    for (record, fields) in records.iter_mut().zip(single.into_iter().chain(doc.items)) {
        fill(record, fields, cx);
    }
    records
}

/// What every record of one answer is read with.
struct Context<'a, 'k> {
    texts: Texts<'a>,
    key: &'k HashKey<'a>,
    /// Whether `extra` keeps its buffer's room: the buffer is reused for the next record.
    keep_room: bool,
}

impl<'a> Context<'a, '_> {
    fn name(&self, field: &Field) -> &str {
        self.texts.get(field.name)
    }

    /// Moves the field's text into its typed slot the first time the element is seen (`true`);
    /// a repeat stays for `extra` (`false`).
    fn text(&self, slot: &mut Option<Text<'a>>, field: &Field) -> bool {
        if slot.is_some() {
            return false;
        }
        *slot = self.texts.value(field.value);
        true
    }

    /// Like [`Context::text`] for a boolean; text that is not one stays for `extra`.
    fn flag(&self, slot: &mut Option<bool>, field: &Field) -> bool {
        let text = self.texts.text(field.value);
        match boolean(text) {
            Some(value) if slot.is_none() => {
                *slot = value;
                true
            }
            _ => false,
        }
    }

    /// What is left of a record's fields once the typed ones are taken: its `extra`, in the
    /// same buffer, with repeats numbered.
    fn extra(&self, mut fields: Vec<Field>) -> Extra<'a> {
        number_repeats(&mut fields, &self.texts, self.key);
        // The room typed fields left is kept: it is at most 20 bytes per element of the body,
        // each at least four bytes, and shrinking every record cost more time than it saves.
        // A record left with nothing gives its buffer back.
        if !self.keep_room && fields.is_empty() {
            fields = Vec::new();
        }
        // An empty `extra` (most records) holds no share of the store.
        let texts = if fields.is_empty() {
            Texts::default()
        } else {
            self.texts.clone()
        };
        Extra {
            entries: fields,
            texts,
        }
    }
}

/// `true`/`false` (any case), `1`/`0`; anything else is kept as text in `extra`.
fn boolean(value: Option<&str>) -> Option<Option<bool>> {
    match value {
        None => Some(None),
        Some(v) if v.eq_ignore_ascii_case("true") || v == "1" => Some(Some(true)),
        Some(v) if v.eq_ignore_ascii_case("false") || v == "0" => Some(Some(false)),
        Some(_) => None,
    }
}

fn return_code<'a>(doc: Document<'a>, cx: &Context<'a, '_>) -> ReturnCode<'a> {
    let mut code = ReturnCode::default();
    let mut fields = if doc.return_fields.is_empty() {
        doc.items.into_iter().next().unwrap_or_default()
    } else {
        doc.return_fields
    };
    fields.extend(doc.top);
    fields.retain(|field| !match cx.name(field) {
        "code" => cx.text(&mut code.code, field),
        "active" => cx.flag(&mut code.active, field),
        "expirationDate" => cx.text(&mut code.expiration_date, field),
        "packType" => cx.text(&mut code.pack_type, field),
        "uuid" => cx.text(&mut code.uuid, field),
        "labelAttached" => cx.flag(&mut code.label_attached, field),
        _ => false,
    });
    code.extra = cx.extra(fields);
    code
}

fn inactive_code<'a>(code: &mut InactiveCode<'a>, mut fields: Vec<Field>, cx: &Context<'a, '_>) {
    fields.retain(|field| !match cx.name(field) {
        "code" => cx.text(&mut code.code, field),
        "active" => cx.flag(&mut code.active, field),
        "uuid" => cx.text(&mut code.uuid, field),
        "labelAttached" => cx.flag(&mut code.label_attached, field),
        _ => false,
    });
    code.extra = cx.extra(fields);
}

fn invalidation<'a>(doc: Document<'a>, cx: &Context<'a, '_>) -> Invalidation<'a> {
    let mut result = Invalidation::default();
    let mut fields = doc.top;
    fields.extend(doc.return_fields);
    fields.retain(|field| !cx.texts.is(field.name, "valid") || !cx.flag(&mut result.valid, field));
    result.extra = cx.extra(fields);
    result
}

fn report_record<'a>(r: &mut ReportRecord<'a>, mut fields: Vec<Field>, cx: &Context<'a, '_>) {
    fields.retain(|field| !match cx.name(field) {
        names::OPERATOR_EMAIL => cx.text(&mut r.operator_email, field),
        names::REVERSE_RETURN_PACK_CODE => cx.text(&mut r.reverse_return_pack_code, field),
        names::REVERSE_RETURN_PACK_STATUS => cx.text(&mut r.reverse_return_pack_status, field),
        names::CODE => cx.text(&mut r.code, field),
        names::RMA => cx.text(&mut r.rma, field),
        names::ACTIVE => cx.flag(&mut r.active, field),
        names::USED => cx.flag(&mut r.used, field),
        names::SENDER_PHONE => cx.text(&mut r.sender_phone, field),
        names::SENDER_EMAIL => cx.text(&mut r.sender_email, field),
        names::RETURN_DESCRIPTION_1 => cx.text(&mut r.return_description1, field),
        _ => false,
    });
    r.extra = cx.extra(fields);
}
