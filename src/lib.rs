//! # inpost-quick-returns
//!
//! Validate, build and parse InPost **Quick Returns** ("Szybkie Zwroty") calls of the Paczkomat
//! API XML. The crate does no I/O: it builds the exact HTTP request to send and parses the raw
//! answer, so any HTTP client — and PHP (C ABI) or JavaScript (wasm) hosts — can do the HTTPS.
//!
//! ```
//! use inpost_quick_returns::{build_request, parse_response, ActiveCodeInput, Config, Operation, Request, Response};
//!
//! let config = Config::with_base_url("http://127.0.0.1:8787/", "demo@example.com", "demo-password");
//! let request = build_request(&config, &Request::GenerateActiveCode(ActiveCodeInput {
//!     rma: "ORDER-312".into(),
//!     pack_type: "a".into(),
//!     expiration_date: "2026-12-31T23:59:59".into(),
//!     sender_phone: "+48 600-100-200".into(),
//!     sender_email: "jan.kowalski@example.pl".into(),
//!     ..Default::default()
//! }))?;
//! assert_eq!(request.url, "http://127.0.0.1:8787/?do=revloggenerateactivecode");
//! assert!(request.body.contains("%3CsenderPhone%3E600100200%3C%2FsenderPhone%3E"));
//!
//! // …send `request` with your HTTP client, then hand back the status and the body:
//! let body = br#"<?xml version="1.0" encoding="UTF-8"?>
//! <paczkomaty><return><code>1414764219</code><active>true</active></return></paczkomaty>"#;
//! match parse_response(Operation::GenerateActiveCode, 200, body)? {
//!     Response::ReturnCode(code) => assert_eq!(code.code.as_deref(), Some("1414764219")),
//!     other => unreachable!("{other:?}"),
//! }
//! # Ok::<(), inpost_quick_returns::Error>(())
//! ```
//!
//! Element names InPost has not confirmed live in [`names`] and the address table
//! ([`address`]); everything else InPost sends is kept in each record's `extra`.
//!
//! Every face speaks one contract — operations, JSON shapes, error kinds — written in the
//! repository's `docs/contract.md` and checked case by case by the conformance table
//! `tests/conformance/`; the facts about InPost's API behind it, each tagged with how sure we
//! are, are in `docs/inpost-api.md`.
//!
//! The crate is the safe core: no I/O and no `unsafe`. Its faces live in their own crates: the C
//! ABI (`bindings/c`, used by PHP through FFI), the wasm module (`bindings/wasm`, the npm
//! package) and the command line (`cli`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod address;
mod config;
pub mod envelope;
mod error;
mod model;
pub mod names;
mod operation;
mod request;
mod response;
mod text;

pub use config::{Config, Environment, PRODUCTION_URL, SANDBOX_URL};
pub use error::{Error, ErrorKind};
pub use model::{
    ActivateCodeInput, ActiveCodeInput, Address, DateRange, Extra, InactiveCode, InactiveCodes,
    InactiveCodesInput, InvalidateCodeInput, Invalidation, Paging, Report, ReportQuery,
    ReportRecord, Request, Response, ReturnCode, Text,
};
pub use operation::Operation;
pub use request::{build_request, HttpRequest, CONTENT_TYPE};
pub use response::parse_response;

/// The README's Rust examples run as doctests, so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// This library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
