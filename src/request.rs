//! Turns a checked input into the HTTP request the host sends: `POST <base>?do=<function>` with a
//! form-encoded body of `email`, `password` and the XML `content`.

use std::fmt;

use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use serde::Serialize;

use crate::model::Request;
use crate::{validate, xml_write, Config, Error};

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
    let mut body = String::with_capacity(
        content.len() * 3 / 2 + config.email.len() + config.password.len() + 32,
    );
    for (i, (name, value)) in [
        ("email", config.email.as_str()),
        ("password", &config.password),
        ("content", &content),
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            body.push('&');
        }
        body.push_str(name);
        body.push('=');
        form_encode_into(&mut body, value);
    }
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

/// `application/x-www-form-urlencoded` as browsers write it: alphanumerics and `*-._` stay,
/// space becomes `+`, every other byte is `%XX`.
fn form_encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_escapes_everything_but_the_safe_set() {
        let mut out = String::new();
        form_encode_into(&mut out, "a b&c=d+e%f/ó*-._");
        assert_eq!(out, "a+b%26c%3Dd%2Be%25f%2F%C3%B3*-._");
    }
}
