//! The C ABI: five `extern "C"` functions for PHP FFI and any other C host.
//!
//! Every function that returns `char *` returns a contract envelope (JSON text, NUL-terminated,
//! UTF-8; or, from [`inpost_returns_parse_response_php`], the same envelope in PHP's `serialize()`
//! format with its length) owned by the caller and released with [`inpost_returns_free`]. No call returns NULL,
//! aborts, or lets a panic unwind into the caller: bad input becomes an envelope of kind `usage`.
//!
//! This crate is the only place with `unsafe` code; the core it wraps forbids it. The functions'
//! contract is the repository's `docs/contract.md` ("The C ABI"). The header
//! `include/inpost_quick_returns.h` is generated from this file by cbindgen (`make header`); the
//! documentation comments below end up in it.

use std::cell::Cell;
use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use quick_returns::envelope;

/// The crate version as a NUL-terminated C string (same text as [`quick_returns::VERSION`]).
const VERSION_NUL: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// Returned when something panicked inside the core despite every precaution: a fixed, valid
/// envelope that needs no allocation logic of its own beyond the copy.
const PANIC_ENVELOPE: &str = "{\"ok\":false,\"error\":{\"kind\":\"usage\",\"message\":\"internal error: the library panicked; please report this as a bug\"}}";

/// [`PANIC_ENVELOPE`] in PHP's `serialize()` format, for `inpost_returns_parse_response_php`.
const PANIC_ENVELOPE_PHP: &str =
    "a:2:{s:2:\"ok\";b:0;s:5:\"error\";a:2:{s:4:\"kind\";s:5:\"usage\";\
s:7:\"message\";s:65:\"internal error: the library panicked; please report this as a bug\";}}";

/// Every result this library returns lives in one `Vec<u8>` laid out as
/// `[length][capacity][text…][NUL]`; the caller gets a pointer to the text. The two words in front
/// let [`inpost_returns_free`] give the allocation back exactly as it was made, whatever the text
/// holds: PHP-serialized results may contain NUL bytes, so their length cannot be found by a
/// scan.
const WORD: usize = std::mem::size_of::<usize>();
const HEADER: usize = 2 * WORD;

/// An empty result buffer with room for `capacity` bytes of text.
fn buffer(capacity: usize) -> Vec<u8> {
    let mut buf = Vec::with_capacity(HEADER + capacity + 1);
    buf.resize(HEADER, 0);
    buf
}

/// Hands the buffer to the caller: NUL-terminates it, records its length and capacity in front,
/// and returns the pointer to the text with the text's length.
fn into_raw(mut buf: Vec<u8>) -> (*mut c_char, usize) {
    let text_len = buf.len() - HEADER;
    buf.push(0);
    let (len, capacity) = (buf.len(), buf.capacity());
    buf[..WORD].copy_from_slice(&len.to_ne_bytes());
    buf[WORD..HEADER].copy_from_slice(&capacity.to_ne_bytes());
    let base = std::mem::ManuallyDrop::new(buf).as_mut_ptr();
    // SAFETY: `HEADER < len <= capacity`, so the offset stays inside the allocation.
    (unsafe { base.add(HEADER) }.cast::<c_char>(), text_len)
}

/// Runs `f` with panics caught, and returns its JSON text as an owned, NUL-terminated result.
fn guarded(f: impl FnOnce() -> String) -> *mut c_char {
    // AssertUnwindSafe: the closures only read borrowed input and build fresh values; nothing
    // observable is left half-modified if they panic.
    let json = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| PANIC_ENVELOPE.to_owned());
    // Copying allocates and could in theory panic too; keep it guarded.
    let buf = catch_unwind(AssertUnwindSafe(|| json_buffer(&json)))
        .unwrap_or_else(|_| json_buffer(PANIC_ENVELOPE));
    into_raw(buf).0
}

/// Runs `f`, which appends a PHP-serialized envelope to the buffer it is given, with panics
/// caught; stores the text's length in `out_len` unless it is NULL.
///
/// # Safety
/// `out_len` is NULL or points to a writable `size_t`.
unsafe fn guarded_php(out_len: *mut usize, f: impl FnOnce(&mut Vec<u8>)) -> *mut c_char {
    // `try_with`: while the thread is being torn down the slot may be gone; a new buffer then.
    let mut buf = SPARE.try_with(Cell::take).unwrap_or_default();
    if buf.capacity() == 0 {
        buf = buffer(0);
    } else {
        buf.clear();
        buf.resize(HEADER, 0);
    }
    // AssertUnwindSafe: after a panic the buffer is cut back to its header and refilled.
    if catch_unwind(AssertUnwindSafe(|| f(&mut buf))).is_err() {
        buf.truncate(HEADER);
        buf.extend_from_slice(PANIC_ENVELOPE_PHP.as_bytes());
    }
    let (ptr, len) = into_raw(buf);
    if !out_len.is_null() {
        // SAFETY: non-null, and by this function's contract a writable `size_t`.
        unsafe { out_len.write(len) };
    }
    ptr
}

thread_local! {
    /// The last result buffer freed on this thread, kept for the next PHP-format result. Without
    /// it, each large answer's buffer and the parser's memory went back to the system and came
    /// again (glibc returns the top of the heap once it is large), which cost PHP about a third
    /// of the call (README, Performance).
    static SPARE: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// The largest buffer kept for reuse: a full report page needs under 1 MiB.
const SPARE_MAX: usize = 4 << 20;

/// Keeps `buf` as this thread's spare when it is larger than the one kept (and not huge);
/// frees the other.
fn keep_spare(buf: Vec<u8>) {
    if buf.capacity() > SPARE_MAX {
        return;
    }
    // `try_with`: during thread exit the slot may be gone; the buffer is simply freed then.
    let _ = SPARE.try_with(|spare| {
        let kept = spare.take();
        spare.set(if buf.capacity() >= kept.capacity() {
            buf
        } else {
            kept
        });
    });
}

/// Copies JSON text into a result buffer. JSON escapes NUL inside strings, so an interior NUL
/// byte cannot occur in well-formed output; should one appear anyway it is written as the JSON
/// escape `\u0000` rather than truncating the text for a C reader.
fn json_buffer(json: &str) -> Vec<u8> {
    let mut buf = buffer(json.len());
    let mut parts = json.as_bytes().split(|&b| b == 0);
    if let Some(first) = parts.next() {
        buf.extend_from_slice(first);
    }
    for part in parts {
        buf.extend_from_slice(b"\\u0000");
        buf.extend_from_slice(part);
    }
    buf
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
        // SAFETY: `operation` is NULL or a NUL-terminated string and `body` NULL or `body_len`
        // readable bytes, all valid for the whole call, as this function's contract requires.
        match unsafe { parse_args(operation, body, body_len) } {
            Ok((op, bytes)) => envelope::parse_response(op, http_status, bytes),
            Err(message) => envelope::usage_error(&message),
        }
    })
}

/// Parse InPost's answer to one operation, with the envelope in PHP's `serialize()` format.
///
/// Takes the arguments of `inpost_returns_parse_response` and returns the same envelope,
/// success or error, written for PHP's `unserialize($s, ['allowed_classes' => false])`: the same
/// arrays `json_decode($json, true)` gives for the JSON envelope, several times faster to read.
/// Only arrays, strings, integers, booleans and null are written, never an object or a
/// reference. Strings are copied verbatim and may hold NUL bytes, so read exactly `*out_len`
/// bytes (the text is also NUL-terminated). `out_len` may be NULL. Never returns NULL.
/// Release the result with `inpost_returns_free`.
///
/// # Safety
/// As `inpost_returns_parse_response`; `out_len` is NULL or points to a writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn inpost_returns_parse_response_php(
    operation: *const c_char,
    http_status: u16,
    body: *const c_char,
    body_len: usize,
    out_len: *mut usize,
) -> *mut c_char {
    // SAFETY: `out_len` is NULL or a writable `size_t`, as this function's contract requires.
    unsafe {
        guarded_php(out_len, |out| {
            // SAFETY: as in `inpost_returns_parse_response`.
            match parse_args(operation, body, body_len) {
                Ok((op, bytes)) => envelope::parse_response_php(out, op, http_status, bytes),
                Err(message) => envelope::usage_error_php(out, &message),
            }
        })
    }
}

/// Reads the operation and the body of the parse functions, or explains (as a `usage` message)
/// why they cannot be read.
///
/// # Safety
/// `operation` is NULL or a NUL-terminated string valid for `'a`; `body` is NULL or points to at
/// least `body_len` readable bytes valid and unmodified for `'a`.
unsafe fn parse_args<'a>(
    operation: *const c_char,
    body: *const c_char,
    body_len: usize,
) -> Result<(&'a str, &'a [u8]), String> {
    // SAFETY: `operation` is NULL or a valid NUL-terminated string, as required above.
    let op = unsafe { text_arg(operation, "operation") }?;
    if body.is_null() {
        if body_len != 0 {
            return Err("body is a null pointer but body_len is not 0".to_owned());
        }
        return Ok((op, &[]));
    }
    if body_len > isize::MAX as usize {
        return Err("body_len is larger than any buffer can be".to_owned());
    }
    // SAFETY: `body` is non-null and, by this function's contract, points to at least `body_len`
    // readable bytes that stay valid and unmodified for `'a`; `body_len <= isize::MAX` was
    // checked above; u8 and c_char have the same layout.
    Ok((op, unsafe {
        std::slice::from_raw_parts(body.cast::<u8>(), body_len)
    }))
}

/// Release a string returned by `inpost_returns_build_request`, `inpost_returns_parse_response`
/// or `inpost_returns_parse_response_php`. Freeing NULL does nothing.
///
/// # Safety
/// `json` is NULL or a pointer returned by one of this library's functions that has not been
/// freed yet; it must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn inpost_returns_free(json: *mut c_char) {
    if json.is_null() {
        return;
    }
    // Dropping a Vec cannot panic, but the guard keeps the no-unwind promise unconditional.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `json` is non-null and, by this function's safety contract, came from
        // `into_raw` and has not been freed: `HEADER` bytes before it start the allocation and
        // hold its length and capacity (unaligned); ownership returns here once.
        let buf = unsafe {
            let base = json.cast::<u8>().sub(HEADER);
            let len = base.cast::<usize>().read_unaligned();
            let capacity = base.add(WORD).cast::<usize>().read_unaligned();
            Vec::from_raw_parts(base, len, capacity)
        };
        keep_spare(buf);
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
#[path = "../../../tests/common/php_format.rs"]
mod php_format;

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    /// The PHP-format result and its reported length, freed through the free path.
    fn take_php(ptr: *mut c_char, len: usize) -> Vec<u8> {
        assert!(!ptr.is_null());
        // SAFETY: `ptr` was just returned by this library with `len` bytes of text and a NUL.
        let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len + 1) }.to_vec();
        assert_eq!(bytes[len], 0, "NUL-terminated");
        // SAFETY: as above; freed exactly once and not used after this.
        unsafe { inpost_returns_free(ptr) };
        bytes[..len].to_vec()
    }

    fn parse_php(operation: &CStr, status: u16, body: &[u8]) -> Vec<u8> {
        let mut len = usize::MAX;
        // SAFETY: a NUL-terminated operation, `body.len()` readable bytes, a writable length.
        let ptr = unsafe {
            inpost_returns_parse_response_php(
                operation.as_ptr(),
                status,
                body.as_ptr().cast(),
                body.len(),
                &mut len,
            )
        };
        take_php(ptr, len)
    }

    #[test]
    fn php_results_carry_nul_bytes_and_their_length() {
        let body =
            b"<paczkomaty><return><code>12\x0034</code><active>true</active></return></paczkomaty>";
        let php = parse_php(c"generateActiveCode", 200, body);
        let read = php_format::unserialize(&php).unwrap();
        let json = take(
            // SAFETY: as in `parse_php`.
            unsafe {
                inpost_returns_parse_response(
                    c"generateActiveCode".as_ptr(),
                    200,
                    body.as_ptr().cast(),
                    body.len(),
                )
            },
        );
        assert!(json.contains("12\\u000034"), "{json}");
        assert_eq!(read, php_format::from_json(&json));
        assert!(php.windows(8).any(|w| w == b"\"12\x0034\";"), "{php:?}");

        // A NULL length is allowed; the text is still NUL-terminated.
        // SAFETY: NULL body with length 0 is an empty body; NULL out_len is allowed.
        let ptr = unsafe {
            inpost_returns_parse_response_php(
                c"getReport".as_ptr(),
                502,
                std::ptr::null(),
                0,
                std::ptr::null_mut(),
            )
        };
        let text = take(ptr);
        assert!(text.contains("s:19:\"unexpected_response\""), "{text}");
    }

    #[test]
    fn php_usage_errors_and_the_panic_envelope_are_well_formed() {
        let mut len = 0;
        // SAFETY: NULL operation is refused before anything is read; `len` is writable.
        let ptr = unsafe {
            inpost_returns_parse_response_php(std::ptr::null(), 200, std::ptr::null(), 3, &mut len)
        };
        let php = take_php(ptr, len);
        let mut expected = Vec::new();
        envelope::usage_error_php(&mut expected, "operation is a null pointer");
        assert_eq!(php, expected);

        let mut panic = Vec::new();
        envelope::usage_error_php(
            &mut panic,
            "internal error: the library panicked; please report this as a bug",
        );
        assert_eq!(panic, PANIC_ENVELOPE_PHP.as_bytes());
        // SAFETY: `len` is writable; the closure panics before writing anything.
        let ptr = unsafe { guarded_php(&mut len, |_| panic!("deliberate panic in a test")) };
        assert_eq!(take_php(ptr, len), PANIC_ENVELOPE_PHP.as_bytes());
    }

    #[test]
    fn the_freed_buffer_is_reused_and_holds_only_the_new_result() {
        let long = format!(
            "<paczkomaty><return><code>{}</code></return></paczkomaty>",
            "1".repeat(5000)
        );
        let short = "<paczkomaty><return><code>7</code></return></paczkomaty>";
        let call = |body: &str, len: &mut usize| {
            // SAFETY: a NUL-terminated operation, `body.len()` readable bytes, a writable length.
            unsafe {
                inpost_returns_parse_response_php(
                    c"generateActiveCode".as_ptr(),
                    200,
                    body.as_ptr().cast(),
                    body.len(),
                    len,
                )
            }
        };
        let mut len = 0;
        let first = call(&long, &mut len);
        let first_addr = first as usize;
        assert!(take_php(first, len).len() > 5000);
        let second = call(short, &mut len);
        assert_eq!(
            second as usize, first_addr,
            "the freed buffer is written again"
        );
        let text = take_php(second, len);
        assert!(text.starts_with(b"a:2:{s:2:\"ok\";b:1;"), "{text:?}");
        assert!(
            text.windows(15).any(|w| w == b"s:4:\"code\";s:1:"),
            "{text:?}"
        );
        assert!(php_format::unserialize(&text).is_ok());
    }

    /// Every parse case of the conformance table gives, through the PHP-format function, the
    /// arrays PHP's json_decode makes of the JSON function's envelope.
    #[test]
    fn every_parse_case_agrees_in_the_php_format() {
        let mut count = 0;
        for case in conformance::cases() {
            let conformance::Call::Parse {
                operation,
                status,
                body,
            } = &case.call
            else {
                continue;
            };
            let op = CString::new(operation.as_str()).expect("no NUL");
            // SAFETY: as in `parse_php`.
            let json = take(unsafe {
                inpost_returns_parse_response(
                    op.as_ptr(),
                    *status,
                    body.as_ptr().cast(),
                    body.len(),
                )
            });
            let php = parse_php(&op, *status, body);
            let read = php_format::unserialize(&php).unwrap_or_else(|e| panic!("{}: {e}", case.id));
            assert_eq!(read, php_format::from_json(&json), "{}", case.id);
            count += 1;
        }
        assert!(count > 20);
    }

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
        let out = take(into_raw(json_buffer("{\"a\":\"x\0y\0\"}")).0);
        assert_eq!(out, "{\"a\":\"x\\u0000y\\u0000\"}");
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
