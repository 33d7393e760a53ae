//! Test hooks under `/_sandbox/`, outside anything InPost serves.
//!
//! They play the parts of the world the merchant's API cannot: a customer dropping a parcel at a
//! locker and the parcel moving on, plus resetting state between tests, a readiness probe, and a
//! list of every code (so a test can count what a client really made, lost answers included).
//! Requests are plain form fields (or empty), answers are small JSON objects, so `curl -d` is
//! enough to drive them.
//!
//! | hook | method | fields | answer |
//! |---|---|---|---|
//! | `/_sandbox/health` | GET/HEAD | – | `200 ok` (text) |
//! | `/_sandbox/codes` | GET/HEAD | – | `{"codes":[{"account","code","rma","packType","expirationDate","active","used","invalidated"}…]}` |
//! | `/_sandbox/reset` | POST | – | `{"ok":true}` |
//! | `/_sandbox/parcel` | POST | `code`, `status` | `{"code","reverseReturnPackCode","reverseReturnPackStatus"}` |

use std::sync::Mutex;

use crate::api::lock;
use crate::form;
use crate::http::{Body, Request, Response};
use crate::log::Fields;
use crate::state::{CodeView, ParcelError, Store, PARCEL_STATUSES};
use crate::time;

const JSON: &str = "application/json";

/// Escapes a string as a JSON string literal, quotes included.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_error(status: u16, message: &str, fields: &mut Fields) -> Response {
    fields.outcome = "error".to_string();
    Response::new(
        status,
        JSON,
        format!("{{\"ok\":false,\"error\":{}}}", json_string(message)),
    )
}

/// Answers a request whose path starts with `/_sandbox/`.
pub fn handle(store: &Mutex<Store>, req: &Request, fields: &mut Fields) -> Response {
    let (allowed, is_get): (&str, bool) = match req.path.as_str() {
        "/_sandbox/health" | "/_sandbox/codes" => ("GET, HEAD", true),
        "/_sandbox/reset" | "/_sandbox/parcel" => ("POST", false),
        _ => return json_error(404, "unknown sandbox endpoint", fields),
    };
    let method_ok = if is_get {
        matches!(req.method.as_str(), "GET" | "HEAD")
    } else {
        req.method == "POST"
    };
    if !method_ok {
        return json_error(405, "method not allowed", fields).with_header("Allow", allowed);
    }
    match req.path.as_str() {
        "/_sandbox/health" => {
            fields.outcome = "ok".to_string();
            Response::new(200, "text/plain; charset=utf-8", "ok")
        }
        "/_sandbox/codes" => {
            let codes = lock(store).codes();
            fields.outcome = format!("ok codes={}", codes.len());
            Response::new(200, JSON, codes_json(&codes))
        }
        "/_sandbox/reset" => {
            lock(store).reset();
            fields.outcome = "ok".to_string();
            Response::new(200, JSON, "{\"ok\":true}")
        }
        _ => parcel(store, req, fields),
    }
}

fn json_option(value: Option<&String>) -> String {
    value.map_or_else(|| "null".to_string(), |v| json_string(v))
}

/// `{"codes":[{…},…]}`, one object per code, in creation order.
pub fn codes_json(codes: &[CodeView]) -> String {
    let mut out = String::from("{\"codes\":[");
    for (i, c) in codes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"account\":{},\"code\":{},\"rma\":{},\"packType\":{},\"expirationDate\":{},\"active\":{},\"used\":{},\"invalidated\":{}}}",
            json_string(&c.account),
            json_string(&c.code),
            json_option(c.rma.as_ref()),
            json_option(c.pack_type.as_ref()),
            json_option(c.expiration_date.as_ref()),
            c.active,
            c.used,
            c.invalidated
        ));
    }
    out.push_str("]}");
    out
}

fn parcel(store: &Mutex<Store>, req: &Request, fields: &mut Fields) -> Response {
    let Body::Complete(body) = &req.body else {
        return json_error(413, "body too large", fields);
    };
    let form = match form::parse(body) {
        Ok(f) => f,
        Err(e) => return json_error(400, &format!("bad form body: {e}"), fields),
    };
    let (Some(code), Some(status)) = (
        form.get("code").filter(|c| !c.is_empty()),
        form.get("status").filter(|s| !s.is_empty()),
    ) else {
        return json_error(400, "form fields code and status are required", fields);
    };
    let result = lock(store).parcel_event(code, status, time::now());
    match result {
        Ok(view) => {
            fields.outcome = format!("ok code={} status={}", view.code, view.status);
            Response::new(
                200,
                JSON,
                format!(
                    "{{\"code\":{},\"reverseReturnPackCode\":{},\"reverseReturnPackStatus\":{}}}",
                    json_string(&view.code),
                    json_string(&view.pack_code),
                    json_string(&view.status)
                ),
            )
        }
        Err(ParcelError::UnknownCode) => json_error(404, "unknown code", fields),
        Err(ParcelError::UnknownStatus) => json_error(
            400,
            &format!("unknown status: use one of {}", PARCEL_STATUSES.join(", ")),
            fields,
        ),
        Err(ParcelError::NotActive) => json_error(
            409,
            "code is not active: only an active code can be dropped at a locker",
            fields,
        ),
        Err(ParcelError::AlreadyDropped) => json_error(
            409,
            "parcel already dropped: send a later status instead of Created",
            fields,
        ),
        Err(ParcelError::NotDropped) => json_error(
            409,
            "parcel not dropped yet: send status=Created first",
            fields,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_as_json() {
        assert_eq!(codes_json(&[]), "{\"codes\":[]}");
        let view = CodeView {
            account: "a@b.pl".into(),
            code: "1234567890".into(),
            rma: Some("Z\"1".into()),
            pack_type: None,
            expiration_date: None,
            active: false,
            used: false,
            invalidated: true,
        };
        assert_eq!(
            codes_json(&[view]),
            "{\"codes\":[{\"account\":\"a@b.pl\",\"code\":\"1234567890\",\"rma\":\"Z\\\"1\",\"packType\":null,\"expirationDate\":null,\"active\":false,\"used\":false,\"invalidated\":true}]}"
        );
    }

    #[test]
    fn json_escaping() {
        assert_eq!(json_string("a\"b\\c\n\u{1}ż"), "\"a\\\"b\\\\c\\n\\u0001ż\"");
    }
}
