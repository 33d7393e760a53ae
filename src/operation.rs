//! The five Quick Returns operations and the InPost function each one calls.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// One Quick Returns operation. Its [`name`](Operation::name) is the contract's (camelCase), its
/// [`function`](Operation::function) the `?do=` value InPost expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Scenario 1: one active return code for an accepted return.
    GenerateActiveCode,
    /// Scenario 2: a batch of inactive codes to ship with products.
    GenerateInactiveCodes,
    /// Scenario 2: activate one of those codes when the customer files a return.
    ActivateCode,
    /// Disable an inactive, unused code.
    InvalidateCode,
    /// Codes with their shipment status.
    GetReport,
}

impl Operation {
    /// Every operation, in the contract's order.
    pub const ALL: [Operation; 5] = [
        Operation::GenerateActiveCode,
        Operation::GenerateInactiveCodes,
        Operation::ActivateCode,
        Operation::InvalidateCode,
        Operation::GetReport,
    ];

    /// The contract's name, e.g. `generateActiveCode`.
    pub fn name(self) -> &'static str {
        match self {
            Operation::GenerateActiveCode => "generateActiveCode",
            Operation::GenerateInactiveCodes => "generateInactiveCodes",
            Operation::ActivateCode => "activateCode",
            Operation::InvalidateCode => "invalidateCode",
            Operation::GetReport => "getReport",
        }
    }

    /// InPost's function name, sent as `?do=…`.
    pub fn function(self) -> &'static str {
        match self {
            Operation::GenerateActiveCode => "revloggenerateactivecode",
            Operation::GenerateInactiveCodes => "revloggenerateinactivecodes",
            Operation::ActivateCode => "revlogactivatecode",
            Operation::InvalidateCode => "revloginvalidatecode",
            Operation::GetReport => "revloggetreport",
        }
    }

    /// Looks an operation up by its contract name (exact spelling).
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.name() == name)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Operation {
    type Err = Error;

    /// Fails with a `usage` error listing the valid names.
    fn from_str(name: &str) -> Result<Self, Error> {
        Operation::from_name(name).ok_or_else(|| unknown(name))
    }
}

/// `unknown operation "…"; expected one of: …`, the name quoted as `{:?}` would quote it (`"` and
/// `\` escaped) without the Debug formatting machinery and its Unicode tables, which would weigh
/// in the `.wasm`.
#[cold]
fn unknown(name: &str) -> Error {
    let mut message = String::from("unknown operation \"");
    for c in crate::text::excerpt(name.as_bytes(), 40).chars() {
        if matches!(c, '"' | '\\') {
            message.push('\\');
        }
        message.push(c);
    }
    message.push_str("\"; expected one of: ");
    for (i, op) in Operation::ALL.iter().enumerate() {
        if i > 0 {
            message.push_str(", ");
        }
        message.push_str(op.name());
    }
    Error::usage(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_functions_round_trip() {
        for op in Operation::ALL {
            assert_eq!(Operation::from_name(op.name()), Some(op));
            assert_eq!(op.name().parse::<Operation>().unwrap(), op);
            assert!(op.function().starts_with("revlog"));
        }
        assert_eq!(Operation::GetReport.function(), "revloggetreport");
    }

    #[test]
    fn the_unknown_name_is_quoted_as_debug_would() {
        let err = "a\"b\\c".parse::<Operation>().unwrap_err();
        assert!(
            err.to_string().starts_with(
                r#"unknown operation "a\"b\\c"; expected one of: generateActiveCode, "#
            ),
            "{err}"
        );
    }

    #[test]
    fn unknown_names_are_usage_errors_listing_the_valid_ones() {
        for bad in ["generateactivecode", "revloggetreport", "", " getReport"] {
            let err = bad.parse::<Operation>().unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Usage);
            assert!(
                err.to_string()
                    .contains("generateActiveCode, generateInactiveCodes"),
                "{err}"
            );
        }
    }
}
