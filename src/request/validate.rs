//! Input checks, run before anything is built. Each failure names the field's path. Only what can
//! never be valid is refused: limits the API does not document are not invented.

use crate::address::{AddressField, Format, ADDRESS_FIELDS};
use crate::model::{ActivateCodeInput, ActiveCodeInput, Address, ReportQuery};
use crate::Error;

/// The fields `generateActiveCode` and `activateCode` share, checked and normalised, ready to be
/// written.
#[derive(Debug)]
pub(crate) struct ReturnDetails<'a> {
    pub code: Option<&'a str>,
    pub rma: Option<&'a str>,
    pub pack_type: &'static str,
    pub expiration_date: &'a str,
    pub sender_phone: Phone,
    pub sender_email: &'a str,
    pub return_description1: Option<&'a str>,
    pub address: Option<CheckedAddress<'a>>,
}

/// A checked address: the values in [`ADDRESS_FIELDS`] order, `None` where an optional field is
/// absent.
#[derive(Debug)]
pub(crate) struct CheckedAddress<'a> {
    pub values: [Option<Checked<'a>>; ADDRESS_FIELDS.len()],
}

/// A checked value: the text as given, or a phone normalised to its 9 digits.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Checked<'a> {
    Text(&'a str),
    Phone(Phone),
}

impl Checked<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            Checked::Text(text) => text,
            Checked::Phone(phone) => phone.as_str(),
        }
    }
}

/// Nine ASCII digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Phone([u8; 9]);

impl Phone {
    pub fn as_str(&self) -> &str {
        // The array only ever holds ASCII digits.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

pub(crate) fn active_code(input: &ActiveCodeInput) -> Result<ReturnDetails<'_>, Error> {
    Ok(ReturnDetails {
        code: None,
        rma: Some(required("rma", &input.rma)?),
        pack_type: pack_type("packType", &input.pack_type)?,
        expiration_date: date_time("expirationDate", &input.expiration_date)?,
        sender_phone: phone("senderPhone", &input.sender_phone)?,
        sender_email: email("senderEmail", &input.sender_email)?,
        return_description1: optional("returnDescription1", input.return_description1.as_deref())?,
        address: input.address.as_ref().map(address).transpose()?,
    })
}

pub(crate) fn activate_code(input: &ActivateCodeInput) -> Result<ReturnDetails<'_>, Error> {
    Ok(ReturnDetails {
        code: Some(required("code", &input.code)?),
        rma: optional("rma", input.rma.as_deref())?,
        pack_type: pack_type("packType", &input.pack_type)?,
        expiration_date: date_time("expirationDate", &input.expiration_date)?,
        sender_phone: phone("senderPhone", &input.sender_phone)?,
        sender_email: email("senderEmail", &input.sender_email)?,
        return_description1: optional("returnDescription1", input.return_description1.as_deref())?,
        address: input.address.as_ref().map(address).transpose()?,
    })
}

pub(crate) fn number_of_codes(n: u32) -> Result<u32, Error> {
    if n == 0 {
        return Err(Error::invalid_input(
            "numberOfCodes",
            "is required: a whole number of at least 1",
        ));
    }
    Ok(n)
}

pub(crate) fn report_query(query: &ReportQuery) -> Result<(), Error> {
    optional("packCode", query.pack_code.as_deref())?;
    optional("code", query.code.as_deref())?;
    optional("rma", query.rma.as_deref())?;
    if let Some(range) = &query.date_range {
        let start = range
            .start_date
            .as_deref()
            .map(|d| date("dateRange.startDate", d))
            .transpose()?;
        let end = range
            .end_date
            .as_deref()
            .map(|d| date("dateRange.endDate", d))
            .transpose()?;
        if let (Some(start), Some(end)) = (start, end) {
            // yyyy-mm-dd compares correctly as text.
            if start > end {
                return Err(Error::invalid_input(
                    "dateRange.endDate",
                    "must not be before dateRange.startDate",
                ));
            }
        }
    }
    if let Some(limit) = query.paging.as_ref().and_then(|p| p.limit) {
        if !(1..=1000).contains(&limit) {
            return Err(Error::invalid_input(
                "paging.limit",
                "must be between 1 and 1000",
            ));
        }
    }
    Ok(())
}

fn address(address: &Address) -> Result<CheckedAddress<'_>, Error> {
    let mut values = [None; ADDRESS_FIELDS.len()];
    for ((slot, field), value) in values.iter_mut().zip(&ADDRESS_FIELDS).zip(address.values()) {
        // The path is only spelled out on failure, keeping the common case allocation-free.
        *slot = address_value(field, value).map_err(|err| match err {
            Error::InvalidInput { field, message } => {
                Error::invalid_input(format!("address.{field}"), message)
            }
            other => other,
        })?;
    }
    Ok(CheckedAddress { values })
}

/// One address field by its row's rule. An optional field that is absent or `""` is absent:
/// its format is only checked when there is a value (HTML forms send `""` for an empty input).
fn address_value<'a>(
    field: &AddressField,
    value: Option<&'a str>,
) -> Result<Option<Checked<'a>>, Error> {
    let value = if field.required {
        required(field.json, value.unwrap_or_default())?
    } else {
        match optional(field.json, value)? {
            Some(value) => value,
            None => return Ok(None),
        }
    };
    let checked = match field.format {
        Format::Text => Checked::Text(value),
        Format::Email => Checked::Text(email(field.json, value)?),
        Format::Phone => Checked::Phone(phone(field.json, value)?),
        Format::PostCode => Checked::Text(post_code(field.json, value)?),
    };
    Ok(Some(checked))
}

/// Present, not blank, and made of characters XML 1.0 can carry.
pub(crate) fn required<'a>(field: &str, value: &'a str) -> Result<&'a str, Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(
            field,
            "is required and must not be empty",
        ));
    }
    xml_text(field, value)
}

/// Absent, or a non-blank value XML can carry: an empty string is taken as absent.
fn optional<'a>(field: &str, value: Option<&'a str>) -> Result<Option<&'a str>, Error> {
    match value {
        None | Some("") => Ok(None),
        Some(v) if v.trim().is_empty() => Err(Error::invalid_input(
            field,
            "must not be blank; leave it out instead",
        )),
        Some(v) => xml_text(field, v).map(Some),
    }
}

/// Refuses characters XML 1.0 cannot carry: control characters other than tab, line feed and
/// carriage return, and U+FFFE / U+FFFF.
fn xml_text<'a>(field: &str, value: &'a str) -> Result<&'a str, Error> {
    match value.chars().find(|&c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    }) {
        Some(c) => Err(Error::invalid_input(
            field,
            format!(
                "contains the character U+{:04X}, which XML cannot carry",
                c as u32
            ),
        )),
        None => Ok(value),
    }
}

fn pack_type(field: &str, value: &str) -> Result<&'static str, Error> {
    match value.trim() {
        "A" | "a" => Ok("A"),
        "B" | "b" => Ok("B"),
        "C" | "c" => Ok("C"),
        "" => Err(Error::invalid_input(
            field,
            "is required: the locker size A, B or C",
        )),
        _ => Err(Error::invalid_input(
            field,
            "must be the locker size A (8 cm high), B (19 cm) or C (41 cm)",
        )),
    }
}

/// Normalises `+48 600-100-200`, `0048600100200`, `(600) 100 200`… to `600100200`.
fn phone(field: &str, value: &str) -> Result<Phone, Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(
            field,
            "is required: a Polish phone number of 9 digits",
        ));
    }
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\t'))
        .collect();
    let digits = compact
        .strip_prefix("+48")
        .or_else(|| compact.strip_prefix("0048"))
        .or_else(|| compact.strip_prefix("48").filter(|rest| rest.len() == 9))
        .unwrap_or(&compact);
    match <[u8; 9]>::try_from(digits.as_bytes()) {
        Ok(bytes) if bytes.iter().all(u8::is_ascii_digit) => Ok(Phone(bytes)),
        _ => Err(Error::invalid_input(
            field,
            "must be a Polish phone number of 9 digits, e.g. 600100200 or +48 600 100 200",
        )),
    }
}

/// A plausible address: `local@domain.tld`, no white space, at most 254 characters.
fn email<'a>(field: &str, value: &'a str) -> Result<&'a str, Error> {
    let value = required(field, value)?;
    let valid = value.len() <= 254
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
        && match value.rsplit_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !local.contains('@')
                    && domain.contains('.')
                    && domain.split('.').all(|label| {
                        !label.is_empty() && !label.starts_with('-') && !label.ends_with('-')
                    })
            }
            None => false,
        };
    if valid {
        Ok(value)
    } else {
        Err(Error::invalid_input(
            field,
            "must be an e-mail address like jan.kowalski@example.pl",
        ))
    }
}

/// `yyyy-mm-ddThh:mm:ss`, a real calendar date and time.
fn date_time<'a>(field: &str, value: &'a str) -> Result<&'a str, Error> {
    let shape_ok = value.len() == 19
        && value.as_bytes()[10] == b'T'
        && calendar_date(&value[..10])
        && clock_time(&value[11..]);
    if shape_ok {
        Ok(value)
    } else if value.is_empty() {
        Err(Error::invalid_input(
            field,
            "is required: yyyy-mm-ddThh:mm:ss, e.g. 2026-12-31T23:59:59",
        ))
    } else {
        Err(Error::invalid_input(
            field,
            "must be a real date and time written yyyy-mm-ddThh:mm:ss, e.g. 2026-12-31T23:59:59",
        ))
    }
}

/// `yyyy-mm-dd`, a real calendar date.
fn date<'a>(field: &str, value: &'a str) -> Result<&'a str, Error> {
    if value.len() == 10 && calendar_date(value) {
        Ok(value)
    } else {
        Err(Error::invalid_input(
            field,
            "must be a real date written yyyy-mm-dd, e.g. 2026-01-31",
        ))
    }
}

fn post_code<'a>(field: &str, value: &'a str) -> Result<&'a str, Error> {
    let b = value.as_bytes();
    let ok = b.len() == 6
        && b[2] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit());
    if ok {
        Ok(value)
    } else {
        Err(Error::invalid_input(
            field,
            "must be a Polish zip code NN-NNN, e.g. 00-950",
        ))
    }
}

/// Parses a run of ASCII digits (no sign).
fn number(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn calendar_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) =
        (number(&text[..4]), number(&text[5..7]), number(&text[8..]))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1 && (1..=days).contains(&day)
}

fn clock_time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    matches!(
        (number(&text[..2]), number(&text[3..5]), number(&text[6..])),
        (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s < 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised_from_obvious_forms() {
        for input in [
            "600100200",
            "+48 600-100-200",
            "0048600100200",
            "600 100 200",
            "(600) 100-200",
            "48600100200",
            "+48600100200",
        ] {
            assert_eq!(
                phone("senderPhone", input).unwrap().as_str(),
                "600100200",
                "{input}"
            );
        }
        for bad in [
            "60010020",
            "6001002000",
            "+49 600 100 200",
            "600-100-20a",
            "+48 600 100 2000",
            "",
            "   ",
            "600 100 200 ext 5",
            "٦٠٠١٠٠٢٠٠",
        ] {
            let err = phone("senderPhone", bad).unwrap_err();
            assert_eq!(err.field(), Some("senderPhone"), "{bad}");
        }
    }

    #[test]
    fn pack_type_is_case_insensitive() {
        assert_eq!(pack_type("packType", "b").unwrap(), "B");
        assert_eq!(pack_type("packType", "C").unwrap(), "C");
        assert!(pack_type("packType", "D").is_err());
        assert!(pack_type("packType", "AB").is_err());
    }

    #[test]
    fn dates_must_be_real() {
        assert!(date_time("d", "2024-02-29T23:59:59").is_ok());
        for bad in [
            "2023-02-29T10:00:00",
            "2024-13-01T10:00:00",
            "2024-01-01T24:00:00",
            "2024-01-01 10:00:00",
            "2024-01-01T10:00",
            "2024-1-01T10:00:00",
            "+024-01-01T10:00:00",
            "2024-01-00T10:00:00",
            "0000-01-01T10:00:00",
        ] {
            assert!(date_time("d", bad).is_err(), "{bad}");
        }
        assert!(date("d", "2000-02-29").is_ok());
        assert!(date("d", "1900-02-29").is_err());
        assert!(date("d", "2024-04-31").is_err());
    }

    #[test]
    fn emails_need_a_plausible_shape() {
        for ok in [
            "a@b.pl",
            "jan.kowalski+zwrot@sklep.example.com",
            "zoë@example.pl",
        ] {
            assert!(email("senderEmail", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "@b.pl",
            "a@.pl",
            "a b@c.pl",
            "a@b..pl",
            "a@-b.pl",
            "a@b.pl,c@d.pl",
        ] {
            assert_eq!(
                email("senderEmail", bad).unwrap_err().field(),
                Some("senderEmail"),
                "{bad}"
            );
        }
    }

    #[test]
    fn xml_unsafe_characters_are_refused() {
        assert!(required("rma", "a\u{1}b").is_err());
        assert!(required("rma", "a\u{FFFF}").is_err());
        assert!(required("rma", "tab\tnew\nline\r ok & <fine> 😀").is_ok());
    }

    #[test]
    fn post_codes_are_polish() {
        assert!(post_code("p", "00-950").is_ok());
        for bad in ["00950", "0-0950", "ab-cde", "00-9500", ""] {
            assert!(post_code("p", bad).is_err(), "{bad}");
        }
    }
}
