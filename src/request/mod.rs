//! The request direction: a checked input becomes the HTTP request the host sends,
//! `POST <base>?do=<function>` with a form-encoded body of `email`, `password` and the XML
//! `content`. Validation (`validate`), the XML document (`xml_write`) and the form body (`form`)
//! are one module each.

mod form;
mod validate;
mod xml_write;

use std::fmt;

use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use serde::Serialize;

use crate::model::Request;
use crate::{Config, Error};

/// The one header every call needs; InPost's documentation says calls fail without it.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The request to send, exactly. `Debug` hides the body, which holds the password.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Always `POST`.
    pub method: &'static str,
    /// `<base URL>?do=<function>`.
    pub url: String,
    /// `email=…&password=…&content=…`, percent-encoded.
    pub body: String,
}

impl HttpRequest {
    /// The headers to send: only `Content-Type`.
    pub fn headers(&self) -> [(&'static str, &'static str); 1] {
        [("Content-Type", CONTENT_TYPE)]
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field(
                "body",
                &format_args!("<{} bytes, redacted: holds the password>", self.body.len()),
            )
            .finish()
    }
}

/// The contract's shape: `{method, url, headers: {"Content-Type": …}, body}`.
impl Serialize for HttpRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Headers<'a>(&'a HttpRequest);
        impl Serialize for Headers<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let headers = self.0.headers();
                let mut map = serializer.serialize_map(Some(headers.len()))?;
                for (name, value) in headers {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
        let mut s = serializer.serialize_struct("HttpRequest", 4)?;
        s.serialize_field("method", self.method)?;
        s.serialize_field("url", &self.url)?;
        s.serialize_field("headers", &Headers(self))?;
        s.serialize_field("body", &self.body)?;
        s.end()
    }
}

/// Validates the config and the input, then builds the request. Nothing is sent.
pub fn build_request(config: &Config, request: &Request) -> Result<HttpRequest, Error> {
    let endpoint = config.endpoint()?;
    let content = match request {
        Request::GenerateActiveCode(input) => {
            xml_write::return_details(&validate::active_code(input)?)
        }
        Request::ActivateCode(input) => xml_write::return_details(&validate::activate_code(input)?),
        Request::GenerateInactiveCodes(input) => {
            xml_write::number_of_codes(validate::number_of_codes(input.number_of_codes)?)
        }
        Request::InvalidateCode(input) => xml_write::code(validate::required("code", &input.code)?),
        Request::GetReport(query) => {
            validate::report_query(query)?;
            xml_write::report_query(query)
        }
    };
    let body = form::body(&config.email, &config.password, &content);
    let function = request.operation().function();
    let mut url = String::with_capacity(endpoint.len() + 4 + function.len());
    url.push_str(&endpoint);
    url.push_str("?do=");
    url.push_str(function);
    Ok(HttpRequest {
        method: "POST",
        url,
        body,
    })
}
