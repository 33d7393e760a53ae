//! The C ABI: four `extern "C"` functions for PHP FFI and any other C host.
//!
//! Every function that returns `char *` returns a contract envelope (JSON text, NUL-terminated,
//! UTF-8) owned by the caller and released with [`inpost_returns_free`]. No call returns NULL,
//! aborts, or lets a panic unwind into the caller: bad input becomes an envelope of kind `usage`.
//!
//! This crate is the only place with `unsafe` code; the core it wraps forbids it. The functions'
//! contract is the repository's `docs/contract.md` ("The C ABI"). The header
//! `include/inpost_quick_returns.h` is generated from this file by cbindgen (`make header`); the
//! documentation comments below end up in it.

use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use quick_returns::envelope;

/// The crate version as a NUL-terminated C string (same text as [`quick_returns::VERSION`]).
const VERSION_NUL: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// Returned when something panicked inside the core despite every precaution: a fixed, valid
/// envelope that needs no allocation logic of its own beyond the copy.
const PANIC_ENVELOPE: &str = "{\"ok\":false,\"error\":{\"kind\":\"usage\",\"message\":\"internal error: the library panicked; please report this as a bug\"}}";

/// Runs `f` with panics caught, and turns its JSON text into an owned C string.
fn guarded(f: impl FnOnce() -> String) -> *mut c_char {
    // AssertUnwindSafe: the closures only read borrowed input and build fresh values; nothing
    // observable is left half-modified if they panic.
    let json = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| PANIC_ENVELOPE.to_owned());
    // Converting to a C string allocates and could in theory panic too; keep it guarded.
    catch_unwind(AssertUnwindSafe(|| into_c_string(json)))
        .unwrap_or_else(|_| into_c_string(PANIC_ENVELOPE.to_owned()))
        .into_raw()
}

/// Converts JSON text into a C string. JSON escapes NUL inside strings, so an interior NUL byte
/// cannot occur in well-formed output; should one appear anyway it is written as the JSON escape
/// `\u0000` rather than truncating the text or failing.
fn into_c_string(json: String) -> CString {
    match CString::new(json) {
        Ok(c) => c,
        Err(err) => {
            let bytes = err.into_vec();
            let mut escaped = Vec::with_capacity(bytes.len() + 16);
            for b in bytes {
                if b == 0 {
                    escaped.extend_from_slice(b"\\u0000");
                } else {
                    escaped.push(b);
                }
            }
            // No NUL is left, so this cannot fail; fall back to the fixed envelope regardless.
            CString::new(escaped).unwrap_or_else(|_| {
                CString::new(PANIC_ENVELOPE).expect("the fixed envelope holds no NUL byte")
            })
        }
    }
}

/// Reads a NUL-terminated UTF-8 argument, or explains (as a `usage` message) why it cannot.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid for `'a`.
unsafe fn text_arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, String> {
    if ptr.is_null() {
        return Err(format!("{name} is a null pointer"));
    }
    // SAFETY: `ptr` is non-null and, by this function's contract (inherited from the public
    // functions' documented contract), points to a NUL-terminated string valid for `'a`.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str()
        .map_err(|_| format!("{name} is not valid UTF-8 text"))
}

/// Build the HTTP request for one operation.
///
/// `operation` is one of `generateActiveCode`, `generateInactiveCodes`, `activateCode`,
/// `invalidateCode`, `getReport`. `config_json` is the config object
/// (`{"environment"|"baseUrl", "email", "password"}`) and `input_json` the operation's input
/// object, both as JSON text. All three are NUL-terminated UTF-8.
///
/// Returns an envelope: `{"ok":true,"value":{"method","url","headers","body"}}` or
/// `{"ok":false,"error":{"kind","message","field"?}}`. A NULL pointer, text that is not UTF-8,
/// an unknown operation or malformed JSON gives kind `usage`. Never returns NULL.
/// Release the result with `inpost_returns_free`.
///
/// # Safety
/// Each pointer is NULL or points to a NUL-terminated string that stays valid and unmodified
/// for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn inpost_returns_build_request(
    operation: *const c_char,
    config_json: *const c_char,
    input_json: *const c_char,
) -> *mut c_char {
    guarded(|| {
        // SAFETY: each pointer is NULL or a valid NUL-terminated string for the whole call, as
        // this function's safety contract requires; `text_arg` checks for NULL.
        let args = unsafe {
            text_arg(operation, "operation").and_then(|op| {
                Ok((
                    op,
                    text_arg(config_json, "config_json")?,
                    text_arg(input_json, "input_json")?,
                ))
            })
        };
        match args {
            Ok((op, config, input)) => envelope::build_request(op, config, input),
            Err(message) => envelope::usage_error(&message),
        }
    })
}

/// Parse InPost's answer to one operation.
///
/// `operation` is NUL-terminated UTF-8 (see `inpost_returns_build_request`), `http_status` the
/// HTTP status code received, and `body` the raw response body: exactly `body_len` bytes are
/// read, which may include NUL bytes and need not end with one. A NULL `body` with
/// `body_len == 0` is an empty body.
///
/// Returns an envelope: `{"ok":true,"value":...}` with the operation's parsed value, or
/// `{"ok":false,"error":{"kind","message","key"?,"status"?}}` with kind `api` (InPost answered
/// `<error>`), `unexpected_response` (not XML, truncated, missing what the operation needs) or
/// `usage` (NULL pointer, non-UTF-8 or unknown operation). Never returns NULL.
/// Release the result with `inpost_returns_free`.
///
/// # Safety
/// `operation` is NULL or a NUL-terminated string; `body` is NULL (only with `body_len == 0`,
/// otherwise a `usage` error is returned) or points to at least `body_len` readable bytes. Both
/// stay valid and unmodified for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn inpost_returns_parse_response(
    operation: *const c_char,
    http_status: u16,
    body: *const c_char,
    body_len: usize,
) -> *mut c_char {
    guarded(|| {
        // SAFETY: `operation` is NULL or a valid NUL-terminated string for the whole call, as
        // this function's safety contract requires; `text_arg` checks for NULL.
        let op = match unsafe { text_arg(operation, "operation") } {
            Ok(op) => op,
            Err(message) => return envelope::usage_error(&message),
        };
        let bytes: &[u8] = if body.is_null() {
            if body_len != 0 {
                return envelope::usage_error("body is a null pointer but body_len is not 0");
            }
            &[]
        } else if body_len > isize::MAX as usize {
            return envelope::usage_error("body_len is larger than any buffer can be");
        } else {
            // SAFETY: `body` is non-null and, by this function's safety contract, points to at
            // least `body_len` readable bytes that stay valid and unmodified during the call;
            // `body_len <= isize::MAX` was checked above; u8 and c_char have the same layout.
            unsafe { std::slice::from_raw_parts(body.cast::<u8>(), body_len) }
        };
        envelope::parse_response(op, http_status, bytes)
    })
}

/// Release a string returned by `inpost_returns_build_request` or
/// `inpost_returns_parse_response`. Freeing NULL does nothing.
///
/// # Safety
/// `json` is NULL or a pointer returned by one of this library's functions that has not been
/// freed yet; it must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn inpost_returns_free(json: *mut c_char) {
    if json.is_null() {
        return;
    }
    // Dropping a CString cannot panic, but the guard keeps the no-unwind promise unconditional.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `json` is non-null and, by this function's safety contract, came from
        // `CString::into_raw` in `guarded` and has not been freed; ownership returns here once.
        drop(unsafe { CString::from_raw(json) });
    }));
}

/// The library version, e.g. `0.1.0`: a static NUL-terminated string. Do not free it.
#[no_mangle]
pub extern "C" fn inpost_returns_version() -> *const c_char {
    VERSION_NUL.as_ptr().cast::<c_char>()
}

#[cfg(test)]
#[path = "../../../tests/common/conformance.rs"]
mod conformance;

#[cfg(test)]
mod tests {
    use super::*;

    /// Calls a returning function's result through the free path and hands back the text.
    fn take(ptr: *mut c_char) -> String {
        assert!(!ptr.is_null());
        // SAFETY: `ptr` was just returned by this library and is freed exactly once below.
        let text = unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_owned();
        // SAFETY: as above; not used after this.
        unsafe { inpost_returns_free(ptr) };
        text
    }

    #[test]
    fn version_matches_the_crate() {
        // SAFETY: the version pointer is a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(inpost_returns_version()) };
        assert_eq!(v.to_str().unwrap(), quick_returns::VERSION);
    }

    #[test]
    fn null_arguments_are_usage_errors() {
        let cfg = c"{}";
        // SAFETY: every pointer is NULL or a static C string literal.
        let out = take(unsafe {
            inpost_returns_build_request(std::ptr::null(), cfg.as_ptr(), cfg.as_ptr())
        });
        assert!(
            out.contains("\"usage\"") && out.contains("operation"),
            "{out}"
        );
        // SAFETY: as above.
        let out = take(unsafe {
            inpost_returns_build_request(c"getReport".as_ptr(), std::ptr::null(), cfg.as_ptr())
        });
        assert!(
            out.contains("\"usage\"") && out.contains("config_json"),
            "{out}"
        );
        // SAFETY: as above.
        let out = take(unsafe {
            inpost_returns_build_request(c"getReport".as_ptr(), cfg.as_ptr(), std::ptr::null())
        });
        assert!(
            out.contains("\"usage\"") && out.contains("input_json"),
            "{out}"
        );
        // SAFETY: NULL body with a non-zero length must be refused without being read.
        let out = take(unsafe {
            inpost_returns_parse_response(c"getReport".as_ptr(), 200, std::ptr::null(), 5)
        });
        assert!(out.contains("\"usage\"") && out.contains("body"), "{out}");
    }

    #[test]
    fn non_utf8_operation_is_a_usage_error() {
        let op = [0xffu8, 0xfe, 0];
        // SAFETY: `op` is NUL-terminated and outlives the call.
        let out = take(unsafe {
            inpost_returns_parse_response(op.as_ptr().cast(), 200, std::ptr::null(), 0)
        });
        assert!(out.contains("\"usage\"") && out.contains("UTF-8"), "{out}");
    }

    #[test]
    fn interior_nul_is_escaped_not_truncated() {
        let c = into_c_string("{\"a\":\"x\0y\"}".to_owned());
        assert_eq!(c.to_str().unwrap(), "{\"a\":\"x\\u0000y\"}");
    }

    #[test]
    fn a_panic_becomes_an_error_envelope() {
        let out = take(guarded(|| panic!("deliberate panic in a test")));
        assert_eq!(out, PANIC_ENVELOPE);
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed["error"]["kind"], "usage");
    }

    /// The conformance table (`tests/conformance/*.json`) through the four C functions, with
    /// NUL-terminated copies of every argument as a C host passes them.
    #[test]
    fn every_conformance_case_agrees_through_the_c_abi() {
        use conformance::Call;
        conformance::run("C ABI", |case| {
            let text = match &case.call {
                Call::Build {
                    operation,
                    config,
                    input,
                } => {
                    let [operation, config, input] =
                        [operation.clone(), config.to_string(), input.to_string()]
                            .map(|arg| CString::new(arg).expect("no NUL in the table"));
                    // SAFETY: three NUL-terminated strings that outlive the call.
                    take(unsafe {
                        inpost_returns_build_request(
                            operation.as_ptr(),
                            config.as_ptr(),
                            input.as_ptr(),
                        )
                    })
                }
                Call::Parse {
                    operation,
                    status,
                    body,
                } => {
                    let operation = CString::new(operation.as_str()).expect("no NUL");
                    // SAFETY: a NUL-terminated operation and `body.len()` readable bytes.
                    take(unsafe {
                        inpost_returns_parse_response(
                            operation.as_ptr(),
                            *status,
                            body.as_ptr().cast(),
                            body.len(),
                        )
                    })
                }
            };
            serde_json::from_str(&text).expect("an envelope is JSON")
        });
    }

    #[test]
    fn freeing_null_is_a_no_op() {
        // SAFETY: NULL is explicitly allowed.
        unsafe { inpost_returns_free(std::ptr::null_mut()) };
    }
}
