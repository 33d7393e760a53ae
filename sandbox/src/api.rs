//! The InPost side: `POST /?do=<function>` with the form fields `email`, `password`, `content`.
//!
//! Checks run in the order a client fixes them: the transport first (`Content-Type`, form
//! encoding), then the function name, the form fields, the credentials, the XML, the values, and
//! last the state of the codes. The first failure is answered as `<error key="…">`, with HTTP 200
//! like the rest of the Paczkomat API XML family (see [`crate::error`]).

use std::sync::Mutex;

use crate::answer;
use crate::error::ApiError;
use crate::form;
use crate::http::{Body, Request, Response, MAX_BODY};
use crate::log::Fields;
use crate::request::{self, Function, ReportFilter};
use crate::state::Store;
use crate::time;

/// How `revloggetreport` pages (`--report-paging`): as documented, or like a broken server, so
/// that clients can prove their paging loops stop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReportPaging {
    /// `paging/offset` skips records, `paging/limit` caps the page.
    #[default]
    Normal,
    /// `paging/offset` is ignored: every page starts at the first record (the same page again).
    IgnoreOffset,
    /// `paging/limit` is ignored: a page holds every record from the offset on (more rows than
    /// the limit).
    IgnoreLimit,
}

impl ReportPaging {
    /// The mode named on the command line: `normal`, `ignore-offset` or `ignore-limit`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "normal" => ReportPaging::Normal,
            "ignore-offset" => ReportPaging::IgnoreOffset,
            "ignore-limit" => ReportPaging::IgnoreLimit,
            _ => return None,
        })
    }

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            ReportPaging::Normal => "normal",
            ReportPaging::IgnoreOffset => "ignore-offset",
            ReportPaging::IgnoreLimit => "ignore-limit",
        }
    }

    /// Bends a validated filter the way this mode misbehaves.
    fn apply(self, filter: &mut ReportFilter) {
        match self {
            ReportPaging::Normal => {}
            ReportPaging::IgnoreOffset => filter.offset = 0,
            ReportPaging::IgnoreLimit => filter.limit = usize::MAX,
        }
    }
}

/// Answers one request to `/`.
pub fn handle(
    store: &Mutex<Store>,
    paging: ReportPaging,
    req: &Request,
    fields: &mut Fields,
) -> Response {
    let result = answer_for(store, paging, req, fields);
    let body = match result {
        Ok(body) => {
            fields.outcome = "ok".to_string();
            body
        }
        Err(e) => {
            fields.outcome = format!("error={}", e.key.as_str());
            let response =
                Response::new(e.key.http_status(), answer::CONTENT_TYPE, answer::error(&e));
            return if e.key.http_status() == 405 {
                response.with_header("Allow", "POST")
            } else {
                response
            };
        }
    };
    Response::new(200, answer::CONTENT_TYPE, body)
}

fn answer_for(
    store: &Mutex<Store>,
    paging: ReportPaging,
    req: &Request,
    fields: &mut Fields,
) -> Result<String, ApiError> {
    // Read `do=` first, leniently, only so that the log line can name the function.
    let query = form::parse(req.query.as_bytes());
    if let Ok(q) = &query {
        fields.function = q.get("do").map(str::to_string);
    }
    if req.method != "POST" {
        return Err(ApiError::method_not_allowed());
    }
    let body = match &req.body {
        Body::Complete(bytes) => bytes,
        Body::TooLarge => return Err(ApiError::too_large(MAX_BODY)),
    };
    let content_type = req.header("content-type").unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Err(ApiError::invalid_content_type());
    }
    let query = query.map_err(|e| ApiError::form(&e))?;
    let name = query.get("do");
    let function = name
        .and_then(Function::from_do)
        .ok_or_else(|| ApiError::unknown_function(name))?;
    let form = form::parse(body).map_err(|e| ApiError::form(&e))?;
    let value = |field: &'static str| match form.get(field) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ApiError::missing_form_field(field)),
    };
    let email = value("email")?;
    fields.account = Some(email.to_string());
    let password = value("password")?;
    let content = value("content")?;

    // Parse before taking the lock: it is the slow part and needs no state.
    let account = lock(store)
        .authenticate(email, password)
        .ok_or_else(ApiError::unauthorized)?;
    let parsed = request::read(function, content)?;

    let mut store = lock(store);
    let now = time::now();
    Ok(match parsed {
        request::Request::GenerateActiveCode(details) => {
            answer::active_code(&store.generate_active(account, details, now)?)
        }
        request::Request::GenerateInactiveCodes(count) => {
            answer::inactive_codes(&store.generate_inactive(account, count, now)?)
        }
        request::Request::ActivateCode { code, details } => {
            answer::active_code(&store.activate(account, &code, details)?)
        }
        request::Request::InvalidateCode(code) => {
            store.invalidate(account, &code)?;
            answer::invalidated()
        }
        request::Request::GetReport(mut filter) => {
            paging.apply(&mut filter);
            answer::report(&store.report(account, &filter))
        }
    })
}

/// Locks the store even if a thread once panicked while holding it: the store's invariants hold
/// between statements, so its data stays usable, and one bad request must not stop the sandbox.
pub fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
