//! The response direction: the raw answer becomes the operation's typed value. The tokenizer
//! splits the body, the reader builds a flat document of records, `parse` decides what each
//! operation needs from it, `naming` names the unknown elements kept in `extra`.

mod naming;
mod parse;
mod reader;
pub(crate) mod span;
mod tokenizer;

pub use parse::parse_response;
pub(crate) use parse::stream_report;
