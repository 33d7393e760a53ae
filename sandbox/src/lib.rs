//! A local stand-in for InPost's Quick Returns ("Szybkie Zwroty") Paczkomat API XML.
//!
//! InPost's own sandbox needs a registered account and cannot run in CI, so this crate serves the
//! five quick-returns functions over real HTTP/1.1 on your machine, with per-account state in
//! memory, answers shaped like InPost's documented ones (including the not-well-formed `<0>`,
//! `<1>` list items), InPost-style `<error key="…">` answers for every validation failure, test
//! hooks under `/_sandbox/`, and optional delays and proxy-style failures.
//!
//! It deliberately shares no code with the `inpost-quick-returns` library it is used to test:
//! the request XML is read with roxmltree and checked by its own rules, so a mistake in the
//! library cannot hide behind the same mistake here.
//!
//! The binary (`inpost-returns-sandbox`) is the usual way in; see the README for flags and hooks.
//! The modules, one per concern:
//!
//! - [`cli`]: command-line options;
//! - [`server`]: listening, threads, routing, faults, delays, shutdown;
//! - [`http`]: HTTP/1.1 framing on a `TcpStream`;
//! - [`form`]: `application/x-www-form-urlencoded` decoding;
//! - [`request`]: reading and validating the request XML;
//! - [`state`]: accounts, codes and their life cycle;
//! - [`answer`]: writing InPost-shaped XML answers;
//! - [`error`]: the error keys and Polish messages;
//! - [`api`]: the InPost endpoint, tying the above together;
//! - [`hooks`]: the `/_sandbox/` test hooks;
//! - [`log`], [`rng`], [`time`]: small helpers.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod answer;
pub mod api;
pub mod cli;
pub mod error;
pub mod form;
pub mod hooks;
pub mod http;
pub mod log;
pub mod request;
pub mod rng;
pub mod server;
pub mod state;
pub mod time;

pub use server::{Config, Server, ShutdownHandle};
