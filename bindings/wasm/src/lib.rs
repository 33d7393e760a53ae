//! The WebAssembly face used by the npm package (`pkg/`), built with wasm-bindgen.
//!
//! Inputs arrive as JavaScript values and are read field by field straight into the core's typed
//! inputs (module `read`), so no `JSON.stringify` happens on the way in. Results leave as the
//! contract's JSON envelope in one string, which the package's JavaScript turns into a value with
//! `JSON.parse` and, for `ok: false`, into a thrown `QuickReturnsError`; the one large value,
//! `getReport`'s, leaves as a tape the JavaScript rebuilds it from (module `tape`). A body to
//! parse is written into wasm memory by the JavaScript (`bodyBuffer`, then `parseBody`), and the
//! result is read from there. These ways were chosen by measurement (see `pkg/README.md`,
//! "Performance").
//!
//! Every call returns an envelope; nothing here throws or panics for bad input. The kinds follow
//! the contract (`docs/contract.md`) as the C ABI and the command line do: a config or input that
//! is not an object (`null`, a number, a string, an array) is `invalid_input` naming `config` or
//! `input`, as the same value written as JSON is there; input text holding a lone UTF-16
//! surrogate, which no UTF-8 text can carry, is `invalid_input` naming its field instead of being
//! changed to U+FFFD. A missing argument (`undefined`), an operation that is not a string, a body
//! that is neither a string nor a `Uint8Array` and a status that is not an integer HTTP status are
//! `usage` errors. A body string is read as its UTF-8 encoding (what `TextEncoder` makes of it);
//! bytes are read exactly as given.

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Talc instead of Rust's default dlmalloc: a fraction of its size in the `.wasm` and faster
/// (README, Performance). The module is single-threaded, as the package loads it.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use inpost_quick_returns::{envelope as json, Error, Operation, Response};

mod tape;

/// The contract's envelope, `{"ok": true, "value": …}` or `{"ok": false, "error": {…}}`, written
/// by the same code as the C ABI's and the command line's, in ASCII only (`\u00f3` for `ó`):
/// JavaScript decodes an ASCII string from wasm memory several times faster than UTF-8 text, and
/// `JSON.parse` gives the same value.
fn envelope<T: Serialize>(result: Result<T, Error>) -> String {
    match result {
        Ok(value) => json::ok_ascii(&value),
        Err(err) => json::error_ascii(&err),
    }
}

fn operation(value: &JsValue) -> Result<Operation, Error> {
    match value.as_string() {
        Some(name) => name.parse(),
        None => Err(Error::usage(
            "the operation must be a string, e.g. \"generateActiveCode\"",
        )),
    }
}

/// A plain object (not `null`, not an array). `undefined` is a missing argument (`usage`, like a
/// NULL pointer in C); any other value is the wrong shape (`invalid_input`, like `[]` or `null`
/// as JSON text through the C ABI).
fn object<'a>(value: &'a JsValue, what: &'static str) -> Result<&'a JsValue, Error> {
    if value.is_object() && !js_sys::Array::is_array(value) {
        Ok(value)
    } else if value.is_undefined() {
        Err(Error::usage(
            "an argument is missing: (operation, config, input)",
        ))
    } else {
        Err(Error::invalid_input(what, "must be a JSON object"))
    }
}

fn status(value: &JsValue) -> Result<u16, Error> {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=65535.0).contains(&n) => Ok(n as u16),
        _ => Err(Error::usage(
            "the HTTP status must be an integer from 0 to 65535",
        )),
    }
}

fn build(
    operation_name: &JsValue,
    config: &JsValue,
    input: &JsValue,
) -> Result<inpost_quick_returns::HttpRequest, Error> {
    let operation = operation(operation_name)?;
    let config = read::config(object(config, "config")?)?;
    let request = read::request(operation, object(input, "input")?)?;
    inpost_quick_returns::build_request(&config, &request)
}

/// `buildRequest(operation, config, input)`: validates `input` and returns the envelope of the
/// HTTP request to send, `{method, url, headers, body}`.
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(operation: JsValue, config: JsValue, input: JsValue) -> String {
    envelope(build(&operation, &config, &input))
}

/// What a parse leaves in wasm memory for the package's JavaScript to read: the body it was given
/// and the result, kept between calls so that their room is reused (the module is single-threaded).
#[derive(Default)]
struct Parse {
    body: Vec<u8>,
    /// The envelope's JSON (ASCII) when `header[0]` is 0; a report's tape when it is 1.
    json: String,
    tape: tape::Tape,
    /// `[kind, numbers, count, ascii, bytes, wide, units]`: the result's kind and where its parts
    /// are (address and length in its unit).
    header: [u32; 7],
}

thread_local! {
    static PARSE: std::cell::RefCell<Parse> = std::cell::RefCell::default();
}

/// `bodyBuffer(len)`: the address of room for a body of `len` bytes in wasm memory, which the
/// JavaScript fills before calling `parseBody`. Faster than passing it as a value: no second copy
/// and, for a string, `TextEncoder.encodeInto` once over the whole text.
#[wasm_bindgen(js_name = bodyBuffer)]
pub fn body_buffer(len: usize) -> *mut u8 {
    PARSE.with_borrow_mut(|parse| {
        if parse.body.len() < len {
            parse.body.resize(len, 0);
        }
        parse.body.as_mut_ptr()
    })
}

/// `parseBody(operation, status, len)`: reads InPost's answer, the first `len` bytes written to
/// `bodyBuffer` (`len` undefined: the body was neither a string nor a `Uint8Array`). Returns the
/// address of the header saying where the result is: `getReport`'s value as a tape (module
/// `tape`), anything else as the envelope's JSON in ASCII.
#[wasm_bindgen(js_name = parseBody)]
pub fn parse_body(operation_name: JsValue, http_status: JsValue, len: Option<u32>) -> *const u32 {
    PARSE.with_borrow_mut(|parse| {
        let Parse {
            body,
            json: envelope_json,
            tape,
            header,
        } = parse;
        tape.clear();
        let checked = operation(&operation_name).and_then(|op| Ok((op, status(&http_status)?)));
        let result = match (checked, len) {
            (Err(err), _) => Err(err),
            (Ok(_), None) => Err(Error::usage("the body must be a string or a Uint8Array")),
            (Ok((op, status)), Some(len)) => {
                let body = body.get(..len as usize).unwrap_or_default();
                inpost_quick_returns::parse_response(op, status, body)
            }
        };
        // Each variant on its own, so that no JSON writer for a report is in the module.
        *envelope_json = match result {
            Ok(Response::Report(report)) => {
                tape.write(&report);
                String::new()
            }
            Ok(Response::ReturnCode(code)) => json::ok_ascii(&code),
            Ok(Response::InactiveCodes(codes)) => json::ok_ascii(&codes),
            Ok(Response::Invalidation(invalidation)) => json::ok_ascii(&invalidation),
            Err(err) => json::error_ascii(&err),
        };
        let is_tape = envelope_json.is_empty();
        let (text, text_len) = if is_tape {
            (tape.ascii.as_ptr(), tape.ascii.len())
        } else {
            (envelope_json.as_ptr(), envelope_json.len())
        };
        // Addresses and lengths in wasm32's memory fit in 32 bits.
        let at = |ptr: *const u8| ptr as usize as u32;
        *header = [
            u32::from(is_tape),
            at(tape.numbers.as_ptr().cast()),
            tape.numbers.len() as u32,
            at(text),
            text_len as u32,
            at(tape.wide.as_ptr().cast()),
            tape.wide.len() as u32,
        ];
        header.as_ptr()
    })
}

/// The module's memory, where `parseBody` leaves its result.
#[wasm_bindgen(js_name = linearMemory)]
pub fn linear_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// The core's version, e.g. `0.1.0`.
#[wasm_bindgen]
pub fn version() -> String {
    inpost_quick_returns::VERSION.to_owned()
}

/// Reads JavaScript values straight into the core's input types, field by field.
///
/// Not through serde: the JSON faces' serde reading (serde derive, serde_path_to_error, and
/// serde's float formatting for type errors) costs about 60 KB of the .wasm, more than this whole
/// module by far (measured: see `pkg/README.md`, "Performance"). The rules match the other faces:
/// a field of the wrong type and an unknown field are `invalid_input` naming the field's path;
/// `undefined` and `null` mean "not given", so a missing required value gets the core's own
/// "is required" message from validation. Struct literals without `..Default::default()` make a
/// field added to the core a compile error here until it is read; the address is read through the
/// core's address table (`Address::from_fields`).
mod read {
    use std::cell::RefCell;

    use wasm_bindgen::{JsCast, JsValue};

    use inpost_quick_returns::{
        ActivateCodeInput, ActiveCodeInput, Address, Config, DateRange, Environment, Error,
        InactiveCodesInput, InvalidateCodeInput, Operation, Paging, ReportQuery, Request,
    };

    /// One JavaScript object being read; remembers which fields were asked for, so that
    /// [`Fields::finish`] can refuse the others.
    struct Fields<'a> {
        object: &'a JsValue,
        path: &'a str,
        read: RefCell<Vec<&'static str>>,
    }

    fn join(path: &str, name: &str) -> String {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    }

    fn describe(value: &JsValue) -> &'static str {
        if js_sys::Array::is_array(value) {
            "an array"
        } else if value.is_string() {
            "a string"
        } else if value.as_f64().is_some() {
            "a number"
        } else if value.as_bool().is_some() {
            "a boolean"
        } else if value.is_object() {
            "an object"
        } else {
            "a value"
        }
    }

    impl<'a> Fields<'a> {
        fn new(object: &'a JsValue, path: &'a str) -> Self {
            Fields {
                object,
                path,
                read: RefCell::new(Vec::new()),
            }
        }

        /// The field's value; `None` when it is absent, `undefined` or `null`.
        fn get(&self, name: &'static str) -> Result<Option<JsValue>, Error> {
            self.read.borrow_mut().push(name);
            let value = js_sys::Reflect::get(self.object, &JsValue::from_str(name))
                .map_err(|_| Error::invalid_input(join(self.path, name), "could not be read"))?;
            Ok((!value.is_undefined() && !value.is_null()).then_some(value))
        }

        fn wrong(&self, name: &str, value: &JsValue, expected: &str) -> Error {
            Error::invalid_input(
                join(self.path, name),
                format!("invalid type: {}, expected {expected}", describe(value)),
            )
        }

        fn opt_text(&self, name: &'static str) -> Result<Option<String>, Error> {
            let Some(value) = self.get(name)? else {
                return Ok(None);
            };
            let text = value
                .as_string()
                .ok_or_else(|| self.wrong(name, &value, "a string"))?;
            // wasm-bindgen turns a lone surrogate into U+FFFD: refuse it rather than send a
            // changed code or password. Only a string holding U+FFFD is compared again with
            // the JavaScript original.
            if text
                .as_bytes()
                .windows(3)
                .any(|w| w == "\u{FFFD}".as_bytes())
                && JsValue::from_str(&text) != value
            {
                return Err(Error::invalid_input(
                    join(self.path, name),
                    "contains a lone UTF-16 surrogate, which is not text",
                ));
            }
            Ok(Some(text))
        }

        /// A required text: absent becomes empty, which validation reports as required.
        fn text(&self, name: &'static str) -> Result<String, Error> {
            Ok(self.opt_text(name)?.unwrap_or_default())
        }

        fn opt_bool(&self, name: &'static str) -> Result<Option<bool>, Error> {
            match self.get(name)? {
                None => Ok(None),
                Some(value) => value
                    .as_bool()
                    .map(Some)
                    .ok_or_else(|| self.wrong(name, &value, "a boolean")),
            }
        }

        fn opt_count(&self, name: &'static str) -> Result<Option<u32>, Error> {
            match self.get(name)? {
                None => Ok(None),
                Some(value) => match value.as_f64() {
                    Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
                        Ok(Some(n as u32))
                    }
                    Some(_) => Err(Error::invalid_input(
                        join(self.path, name),
                        "expected a whole number from 0 to 4294967295",
                    )),
                    None => Err(self.wrong(name, &value, "a number")),
                },
            }
        }

        fn nested<T>(
            &self,
            name: &'static str,
            read: impl FnOnce(&JsValue, &str) -> Result<T, Error>,
        ) -> Result<Option<T>, Error> {
            match self.get(name)? {
                None => Ok(None),
                Some(value) if value.is_object() && !js_sys::Array::is_array(&value) => {
                    read(&value, &join(self.path, name)).map(Some)
                }
                Some(value) => Err(self.wrong(name, &value, "an object")),
            }
        }

        /// Refuses every own field that was not read (unless it is `undefined`).
        fn finish(self) -> Result<(), Error> {
            let read = self.read.into_inner();
            for key in js_sys::Object::keys(self.object.unchecked_ref::<js_sys::Object>()).iter() {
                let key = key.as_string().unwrap_or_default();
                if read.contains(&key.as_str()) {
                    continue;
                }
                if js_sys::Reflect::get(self.object, &JsValue::from_str(&key))
                    .is_ok_and(|v| v.is_undefined())
                {
                    continue;
                }
                let mut message =
                    String::from("unknown field (check its spelling); expected one of ");
                for (i, name) in read.iter().enumerate() {
                    if i > 0 {
                        message.push_str(", ");
                    }
                    message.push('`');
                    message.push_str(name);
                    message.push('`');
                }
                return Err(Error::invalid_input(join(self.path, &key), message));
            }
            Ok(())
        }
    }

    pub(super) fn config(value: &JsValue) -> Result<Config, Error> {
        let f = Fields::new(value, "config");
        let environment = match f.opt_text("environment")?.as_deref() {
            None => None,
            Some("production") => Some(Environment::Production),
            Some("sandbox") => Some(Environment::Sandbox),
            Some(_) => {
                return Err(Error::invalid_input(
                    "config.environment",
                    "expected \"production\" or \"sandbox\"",
                ))
            }
        };
        let config = Config {
            environment,
            base_url: f.opt_text("baseUrl")?,
            email: f.text("email")?,
            password: f.text("password")?,
        };
        f.finish()?;
        Ok(config)
    }

    fn address(value: &JsValue, path: &str) -> Result<Address, Error> {
        let f = Fields::new(value, path);
        // By the address table's JSON names and order (inpost_quick_returns::address).
        let address = Address::from_fields(|name| f.opt_text(name))?;
        f.finish()?;
        Ok(address)
    }

    fn date_range(value: &JsValue, path: &str) -> Result<DateRange, Error> {
        let f = Fields::new(value, path);
        let range = DateRange {
            start_date: f.opt_text("startDate")?,
            end_date: f.opt_text("endDate")?,
        };
        f.finish()?;
        Ok(range)
    }

    fn paging(value: &JsValue, path: &str) -> Result<Paging, Error> {
        let f = Fields::new(value, path);
        let paging = Paging {
            limit: f.opt_count("limit")?,
            offset: f.opt_count("offset")?,
        };
        f.finish()?;
        Ok(paging)
    }

    pub(super) fn request(operation: Operation, value: &JsValue) -> Result<Request, Error> {
        let f = Fields::new(value, "");
        let request = match operation {
            Operation::GenerateActiveCode => Request::GenerateActiveCode(ActiveCodeInput {
                rma: f.text("rma")?,
                pack_type: f.text("packType")?,
                expiration_date: f.text("expirationDate")?,
                sender_phone: f.text("senderPhone")?,
                sender_email: f.text("senderEmail")?,
                return_description1: f.opt_text("returnDescription1")?,
                address: f.nested("address", address)?,
            }),
            Operation::ActivateCode => Request::ActivateCode(ActivateCodeInput {
                code: f.text("code")?,
                rma: f.opt_text("rma")?,
                pack_type: f.text("packType")?,
                expiration_date: f.text("expirationDate")?,
                sender_phone: f.text("senderPhone")?,
                sender_email: f.text("senderEmail")?,
                return_description1: f.opt_text("returnDescription1")?,
                address: f.nested("address", address)?,
            }),
            Operation::GenerateInactiveCodes => {
                Request::GenerateInactiveCodes(InactiveCodesInput {
                    number_of_codes: f.opt_count("numberOfCodes")?.unwrap_or_default(),
                })
            }
            Operation::InvalidateCode => Request::InvalidateCode(InvalidateCodeInput {
                code: f.text("code")?,
            }),
            Operation::GetReport => Request::GetReport(ReportQuery {
                used: f.opt_bool("used")?,
                active: f.opt_bool("active")?,
                pack_code: f.opt_text("packCode")?,
                code: f.opt_text("code")?,
                rma: f.opt_text("rma")?,
                date_range: f.nested("dateRange", date_range)?,
                paging: f.nested("paging", paging)?,
            }),
        };
        f.finish()?;
        Ok(request)
    }
}
