//! The error type shared by every face: four kinds, each carrying what a user needs to act
//! (`docs/contract.md`, "Envelope and error kinds").

use std::fmt;

/// What went wrong, as a stable machine-readable word (the contract's `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An input or config value is missing or can never be valid.
    InvalidInput,
    /// InPost answered with an `<error>` element.
    Api,
    /// The answer is not XML, is truncated, or lacks what the operation needs.
    UnexpectedResponse,
    /// The call itself is malformed: unknown operation, input that is not JSON, bad bytes.
    Usage,
}

impl ErrorKind {
    /// The contract's spelling: `invalid_input`, `api`, `unexpected_response`, `usage`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Api => "api",
            ErrorKind::UnexpectedResponse => "unexpected_response",
            ErrorKind::Usage => "usage",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every failure of the core. Messages never contain credentials: the library never puts the
/// configured e-mail or password into one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input or config value is missing or can never be valid.
    #[error("{field}: {message}")]
    InvalidInput {
        /// Path of the offending value, e.g. `senderPhone`, `address.postCode`, `config.password`.
        field: String,
        /// What is wrong and what would be accepted.
        message: String,
    },
    /// InPost answered with `<error key="…">message</error>`.
    #[error("InPost answered with an error{}: {message}", key.as_deref().map(|k| format!(" ({k})")).unwrap_or_default())]
    Api {
        /// The `key` attribute, when InPost sent one (e.g. `NoPackageFound`).
        key: Option<String>,
        /// InPost's message, usually in Polish.
        message: String,
        /// The HTTP status the answer came with.
        status: u16,
    },
    /// The answer could not be understood.
    #[error("unexpected response (HTTP {status}): {message}")]
    UnexpectedResponse {
        /// The HTTP status the answer came with.
        status: u16,
        /// What was wrong, with at most a short excerpt of the body.
        message: String,
    },
    /// The call itself is malformed.
    #[error("{message}")]
    Usage {
        /// What was wrong with the call.
        message: String,
    },
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Api { .. } => ErrorKind::Api,
            Error::UnexpectedResponse { .. } => ErrorKind::UnexpectedResponse,
            Error::Usage { .. } => ErrorKind::Usage,
        }
    }

    /// The offending field's path, for [`ErrorKind::InvalidInput`].
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } => Some(field),
            _ => None,
        }
    }

    /// InPost's error key, for [`ErrorKind::Api`] answers that carried one.
    pub fn key(&self) -> Option<&str> {
        match self {
            Error::Api { key, .. } => key.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status, for errors about an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::UnexpectedResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// An `invalid_input` error naming the field's path; for faces that read inputs themselves.
    pub fn invalid_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A `usage` error: the call itself is malformed.
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
        }
    }

    pub(crate) fn unexpected(status: u16, message: impl Into<String>) -> Self {
        Error::UnexpectedResponse {
            status,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors_follow_the_kind() {
        let invalid = Error::invalid_input("address.postCode", "must be NN-NNN");
        assert_eq!(
            (invalid.kind().as_str(), invalid.field(), invalid.status()),
            ("invalid_input", Some("address.postCode"), None)
        );
        assert_eq!(invalid.to_string(), "address.postCode: must be NN-NNN");

        let api = Error::Api {
            key: Some("NoPackageFound".into()),
            message: "Brak".into(),
            status: 200,
        };
        assert_eq!(
            (api.kind().as_str(), api.key(), api.status()),
            ("api", Some("NoPackageFound"), Some(200))
        );
        assert_eq!(
            api.to_string(),
            "InPost answered with an error (NoPackageFound): Brak"
        );
        let keyless = Error::Api {
            key: None,
            message: "Brak".into(),
            status: 500,
        };
        assert_eq!(keyless.to_string(), "InPost answered with an error: Brak");

        let unexpected = Error::unexpected(502, "not XML");
        assert_eq!(
            (
                unexpected.kind().as_str(),
                unexpected.status(),
                unexpected.field()
            ),
            ("unexpected_response", Some(502), None)
        );
        assert_eq!(Error::usage("x").kind().to_string(), "usage");
    }
}
