//! Every XML element name whose spelling InPost has not confirmed, in one place.
//!
//! The request fields of the five functions are documented by InPost and written where they are
//! used. The names below are not: InPost's documentation describes the address section and the
//! report's columns only in prose. When the live API shows a different spelling, correcting it is
//! a one-line change: here for the report, in the address table ([`crate::address`]) for the
//! address section. Each name is tagged with where it comes from: **doc** (InPost's
//! documentation), **code** (seen in client code that talks to the live API) or **inferred** (our
//! guess, provisional).

/// The address section: its wrapper element and its fields (JSON name, XML element, rule), in the
/// order they are written. Defined by the table in [`crate::address`], which also generates
/// [`crate::Address`], so names, order and rules live in that one table.
pub use crate::address::{ADDRESS, ADDRESS_FIELDS};

/// Report record elements with a typed field. The first three are documented or seen in code;
/// the others are inferred from the documentation's prose.
pub mod report {
    /// Account e-mail. doc
    pub const OPERATOR_EMAIL: &str = "operatorEmail";
    /// Shipment tracking number. doc
    pub const REVERSE_RETURN_PACK_CODE: &str = "reverseReturnPackCode";
    /// Current shipment status. code
    pub const REVERSE_RETURN_PACK_STATUS: &str = "reverseReturnPackStatus";
    /// The return code. inferred
    pub const CODE: &str = "code";
    /// The merchant's reference. inferred
    pub const RMA: &str = "rma";
    /// Whether the code is active. inferred
    pub const ACTIVE: &str = "active";
    /// Whether the code has been used. inferred
    pub const USED: &str = "used";
    /// The customer's phone. inferred
    pub const SENDER_PHONE: &str = "senderPhone";
    /// The customer's e-mail. inferred
    pub const SENDER_EMAIL: &str = "senderEmail";
    /// The label text. inferred
    pub const RETURN_DESCRIPTION_1: &str = "returnDescription1";
}
