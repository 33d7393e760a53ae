//! The sandbox's error vocabulary: every `<error key="…">` it can answer, in one place.
//!
//! InPost documents the error *shape* (`<paczkomaty><error key="SomeKey">Polish message</error>`)
//! but not the keys quick returns uses, so these keys are the sandbox's own. They are kept in
//! one enum so the README table, the answers and the tests cannot drift apart. Messages are in
//! Polish like InPost's, name the offending field by its XML path (`address/postCode`) and never
//! echo the submitted value (it may be huge, or a password typed into the wrong field).

use crate::form::FormError;

/// Every error key the sandbox answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKey {
    /// `e-mail`/`password` do not match an account.
    Unauthorized,
    /// A required form field or XML element is absent or empty.
    MissingField,
    /// An element the function does not know (the sandbox is stricter than it needs to be, so that
    /// a misspelt element name fails loudly instead of being ignored).
    UnknownField,
    /// The same form field or XML element appears twice.
    DuplicateField,
    /// The request's `Content-Type` is not `application/x-www-form-urlencoded`.
    InvalidContentType,
    /// The form body or query string has a bad `%` escape or is not UTF-8.
    InvalidFormEncoding,
    /// `content` is not well-formed XML, its root is not `<paczkomaty>`, or text sits where a
    /// section is expected (or the reverse).
    InvalidXml,
    /// `?do=` is missing or names no quick-returns function.
    UnknownFunction,
    /// The request method is not `POST` (HTTP 405).
    MethodNotAllowed,
    /// No such path (HTTP 404).
    NotFound,
    /// The body exceeds the sandbox's 1 MiB cap (HTTP 413).
    RequestTooLarge,
    /// `packType` is not `A`, `B` or `C`.
    InvalidPackType,
    /// A phone number is not exactly 9 digits.
    InvalidPhone,
    /// An e-mail address is not `local@domain`.
    InvalidEmail,
    /// A date is not in the required format or names no real day/time.
    InvalidDate,
    /// `address/postCode` is not `NN-NNN`.
    InvalidPostCode,
    /// A report filter `used`/`active` is not `true`/`false`.
    InvalidBoolean,
    /// `numberOfCodes` is not a whole number ≥ 1.
    InvalidNumberOfCodes,
    /// More codes than the sandbox's own caps allow (per request or per account).
    TooManyCodes,
    /// `paging/limit` is not 1–1000 or `paging/offset` is not a whole number ≥ 0.
    InvalidPaging,
    /// The code does not exist for this account.
    CodeNotFound,
    /// The code is already active (cannot be activated again or invalidated).
    CodeAlreadyActive,
    /// The code was invalidated.
    CodeInvalidated,
    /// The code was already used (dropped at a locker).
    CodeAlreadyUsed,
}

impl ErrorKey {
    /// The `key` attribute as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKey::Unauthorized => "Unauthorized",
            ErrorKey::MissingField => "MissingField",
            ErrorKey::UnknownField => "UnknownField",
            ErrorKey::DuplicateField => "DuplicateField",
            ErrorKey::InvalidContentType => "InvalidContentType",
            ErrorKey::InvalidFormEncoding => "InvalidFormEncoding",
            ErrorKey::InvalidXml => "InvalidXml",
            ErrorKey::UnknownFunction => "UnknownFunction",
            ErrorKey::MethodNotAllowed => "MethodNotAllowed",
            ErrorKey::NotFound => "NotFound",
            ErrorKey::RequestTooLarge => "RequestTooLarge",
            ErrorKey::InvalidPackType => "InvalidPackType",
            ErrorKey::InvalidPhone => "InvalidPhone",
            ErrorKey::InvalidEmail => "InvalidEmail",
            ErrorKey::InvalidDate => "InvalidDate",
            ErrorKey::InvalidPostCode => "InvalidPostCode",
            ErrorKey::InvalidBoolean => "InvalidBoolean",
            ErrorKey::InvalidNumberOfCodes => "InvalidNumberOfCodes",
            ErrorKey::TooManyCodes => "TooManyCodes",
            ErrorKey::InvalidPaging => "InvalidPaging",
            ErrorKey::CodeNotFound => "CodeNotFound",
            ErrorKey::CodeAlreadyActive => "CodeAlreadyActive",
            ErrorKey::CodeInvalidated => "CodeInvalidated",
            ErrorKey::CodeAlreadyUsed => "CodeAlreadyUsed",
        }
    }

    /// The HTTP status the error is sent with. InPost's statuses for errors are unknown; the
    /// sandbox answers API errors with 200 (a client must read `<error>` whatever the status) and
    /// uses a 4xx status only where the request never reached an InPost function.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorKey::MethodNotAllowed => 405,
            ErrorKey::NotFound => 404,
            ErrorKey::RequestTooLarge => 413,
            _ => 200,
        }
    }
}

/// An error answer: `<error key="{key}">{message}</error>` under `<paczkomaty>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The error key.
    pub key: ErrorKey,
    /// The Polish message (plain text; escaped when written).
    pub message: String,
}

impl ApiError {
    fn new(key: ErrorKey, message: impl Into<String>) -> Self {
        ApiError {
            key,
            message: message.into(),
        }
    }

    /// Wrong e-mail or password.
    pub fn unauthorized() -> Self {
        Self::new(
            ErrorKey::Unauthorized,
            "Nieprawidłowy e-mail lub hasło konta",
        )
    }

    /// A form field (`email`, `password`, `content`) is missing or empty.
    pub fn missing_form_field(name: &str) -> Self {
        Self::new(
            ErrorKey::MissingField,
            format!("Brak wymaganego pola formularza: {name}"),
        )
    }

    /// The form could not be decoded.
    pub fn form(error: &FormError) -> Self {
        match error {
            FormError::BadPercentEscape => Self::new(
                ErrorKey::InvalidFormEncoding,
                "Nieprawidłowe kodowanie formularza: niepoprawna sekwencja %",
            ),
            FormError::NotUtf8 => Self::new(
                ErrorKey::InvalidFormEncoding,
                "Nieprawidłowe kodowanie formularza: dane nie są w UTF-8",
            ),
            FormError::Duplicate(name) => Self::new(
                ErrorKey::DuplicateField,
                format!("Powtórzone pole formularza: {}", short(name)),
            ),
        }
    }

    /// The `Content-Type` is wrong.
    pub fn invalid_content_type() -> Self {
        Self::new(
            ErrorKey::InvalidContentType,
            "Wymagany nagłówek Content-Type: application/x-www-form-urlencoded",
        )
    }

    /// The request XML is not usable; `detail` says why (may be the XML parser's English text).
    pub fn invalid_xml(detail: &str) -> Self {
        Self::new(
            ErrorKey::InvalidXml,
            format!("Nieprawidłowy dokument XML: {}", short(detail)),
        )
    }

    /// `?do=` is missing (`None`) or unknown.
    pub fn unknown_function(name: Option<&str>) -> Self {
        match name {
            None => Self::new(ErrorKey::UnknownFunction, "Brak parametru do"),
            Some(name) => Self::new(
                ErrorKey::UnknownFunction,
                format!("Nieznana funkcja: {}", short(name)),
            ),
        }
    }

    /// Not a POST.
    pub fn method_not_allowed() -> Self {
        Self::new(
            ErrorKey::MethodNotAllowed,
            "Dozwolona jest tylko metoda POST",
        )
    }

    /// Unknown path.
    pub fn not_found() -> Self {
        Self::new(ErrorKey::NotFound, "Nie znaleziono zasobu")
    }

    /// Body over the cap.
    pub fn too_large(cap: usize) -> Self {
        Self::new(
            ErrorKey::RequestTooLarge,
            format!(
                "Żądanie jest za duże (limit piaskownicy: {} KiB)",
                cap / 1024
            ),
        )
    }

    /// A required element is absent or empty.
    pub fn missing_field(path: &str) -> Self {
        Self::new(
            ErrorKey::MissingField,
            format!("Brak wymaganego pola: {}", short(path)),
        )
    }

    /// An element the function does not accept.
    pub fn unknown_field(path: &str) -> Self {
        Self::new(
            ErrorKey::UnknownField,
            format!("Nieznane pole: {}", short(path)),
        )
    }

    /// An element given twice.
    pub fn duplicate_field(path: &str) -> Self {
        Self::new(
            ErrorKey::DuplicateField,
            format!("Powtórzone pole: {}", short(path)),
        )
    }

    /// Bad `packType`.
    pub fn invalid_pack_type() -> Self {
        Self::new(
            ErrorKey::InvalidPackType,
            "Nieprawidłowy gabaryt paczki (dozwolone: A, B, C): packType",
        )
    }

    /// Bad phone number.
    pub fn invalid_phone(path: &str) -> Self {
        Self::new(
            ErrorKey::InvalidPhone,
            format!("Nieprawidłowy numer telefonu (wymagane 9 cyfr): {path}"),
        )
    }

    /// Bad e-mail address.
    pub fn invalid_email(path: &str) -> Self {
        Self::new(
            ErrorKey::InvalidEmail,
            format!("Nieprawidłowy adres e-mail: {path}"),
        )
    }

    /// Bad date; `format` is the expected pattern.
    pub fn invalid_date(path: &str, format: &str) -> Self {
        Self::new(
            ErrorKey::InvalidDate,
            format!("Nieprawidłowa data (wymagany format {format}): {path}"),
        )
    }

    /// Bad Polish post code.
    pub fn invalid_post_code(path: &str) -> Self {
        Self::new(
            ErrorKey::InvalidPostCode,
            format!("Nieprawidłowy kod pocztowy (wymagany format NN-NNN): {path}"),
        )
    }

    /// Bad boolean filter.
    pub fn invalid_boolean(path: &str) -> Self {
        Self::new(
            ErrorKey::InvalidBoolean,
            format!("Nieprawidłowa wartość logiczna (true lub false): {path}"),
        )
    }

    /// Bad `numberOfCodes`.
    pub fn invalid_number_of_codes() -> Self {
        Self::new(
            ErrorKey::InvalidNumberOfCodes,
            "Nieprawidłowa liczba kodów (wymagana liczba całkowita ≥ 1): numberOfCodes",
        )
    }

    /// More codes in one request than the sandbox allows.
    pub fn too_many_codes_per_request(max: u64) -> Self {
        Self::new(
            ErrorKey::TooManyCodes,
            format!("Przekroczono limit piaskownicy: najwyżej {max} kodów w jednym żądaniu"),
        )
    }

    /// The account holds as many codes as the sandbox keeps.
    pub fn too_many_codes_per_account(max: usize) -> Self {
        Self::new(
            ErrorKey::TooManyCodes,
            format!(
                "Przekroczono limit piaskownicy: najwyżej {max} kodów na konto (wyczyść stan przez /_sandbox/reset)"
            ),
        )
    }

    /// Bad paging value.
    pub fn invalid_paging(path: &str) -> Self {
        Self::new(
            ErrorKey::InvalidPaging,
            format!("Nieprawidłowe stronicowanie (limit 1–1000, offset ≥ 0): {path}"),
        )
    }

    /// No such code on this account.
    pub fn code_not_found() -> Self {
        Self::new(ErrorKey::CodeNotFound, "Nie znaleziono kodu zwrotu")
    }

    /// Activation of a code that is already active.
    pub fn code_already_active() -> Self {
        Self::new(ErrorKey::CodeAlreadyActive, "Kod zwrotu jest już aktywny")
    }

    /// Invalidation of an active code.
    pub fn code_active_cannot_invalidate() -> Self {
        Self::new(
            ErrorKey::CodeAlreadyActive,
            "Kod zwrotu jest aktywny i nie może zostać unieważniony",
        )
    }

    /// The code was invalidated.
    pub fn code_invalidated() -> Self {
        Self::new(ErrorKey::CodeInvalidated, "Kod zwrotu został unieważniony")
    }

    /// The code was used.
    pub fn code_used() -> Self {
        Self::new(
            ErrorKey::CodeAlreadyUsed,
            "Kod zwrotu został już wykorzystany",
        )
    }
}

/// Truncates client-supplied text quoted in a message (element names, function names) so a
/// hostile request cannot make the answer or the log line arbitrarily long.
fn short(s: &str) -> String {
    const MAX: usize = 64;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(MAX).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(ApiError::unauthorized().key.http_status(), 200);
        assert_eq!(ApiError::not_found().key.http_status(), 404);
        assert_eq!(ApiError::too_large(1 << 20).key.http_status(), 413);
        assert_eq!(ApiError::method_not_allowed().key.http_status(), 405);
    }

    #[test]
    fn long_names_are_cut() {
        let e = ApiError::unknown_field(&"x".repeat(10_000));
        assert!(e.message.chars().count() < 120);
    }
}
