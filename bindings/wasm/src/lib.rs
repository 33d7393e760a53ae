//! The WebAssembly face used by the npm package (`pkg/`), built with wasm-bindgen.
//!
//! Inputs arrive as JavaScript values and are read field by field straight into the core's typed
//! inputs (module `read`), so no `JSON.stringify` happens on the way in. A body to parse is
//! written into wasm memory by the package's JavaScript (`bodyBuffer`, then `parseBody`). Every
//! result, value or error, leaves as a tape in wasm memory (module `tape`) from which the
//! JavaScript builds the contract's value or throws a `QuickReturnsError`; no JSON is written.
//! These ways were chosen by measurement (see `pkg/README.md`, "Performance").
//!
//! Every call gives a value or an error; nothing here throws or panics for bad input. The kinds
//! follow the contract (`docs/contract.md`) as the C ABI and the command line do: a config or
//! input that is not an object (`null`, a number, a string, an array) is `invalid_input` naming
//! `config` or `input`, as the same value written as JSON is there; input text holding a lone
//! UTF-16 surrogate, which no UTF-8 text can carry, is `invalid_input` naming its field instead
//! of being changed to U+FFFD. A missing argument (`undefined`), an operation that is not a
//! string, a body that is neither a string nor a `Uint8Array` and a status that is not an integer
//! HTTP status are `usage` errors. A body string is read as its UTF-8 encoding (what
//! `TextEncoder` makes of it); bytes are read exactly as given.

use wasm_bindgen::prelude::*;

/// Talc instead of Rust's default dlmalloc: a fraction of its size in the `.wasm` and faster
/// (README, Performance). The module is single-threaded, as the package loads it.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use inpost_quick_returns::{Error, Operation, Response};

mod tape;

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

/// `buildRequest(operation, config, input)`: validates `input` and writes the HTTP request to
/// send, `{method, url, headers, body}`, or the error. Returns the address of the result's header
/// (see [`Output`]).
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(operation: JsValue, config: JsValue, input: JsValue) -> *const u32 {
    // Reading the objects may run the caller's getters, which may call in again: the result is
    // complete before the output is borrowed.
    let result = build(&operation, &config, &input);
    OUTPUT.with_borrow_mut(|out| {
        let kind = match &result {
            Ok(request) => out.tape.write_request(request),
            Err(err) => out.tape.write_error(err),
        };
        out.finish(kind)
    })
}

/// What a call leaves in wasm memory for the package's JavaScript to read: the body it was given
/// and the result, kept between calls so that their room is reused (the module is single-threaded).
#[derive(Default)]
struct Output {
    body: Vec<u8>,
    tape: tape::Tape,
    /// `[kind, numbers, count, ascii, bytes, wide, units]`: the result's [`tape::Kind`] and where
    /// the tape's parts are (address, and length in its unit).
    header: [u32; 7],
}

impl Output {
    fn finish(&mut self, kind: tape::Kind) -> *const u32 {
        let tape = &self.tape;
        // Addresses and lengths in wasm32's memory fit in 32 bits.
        let at = |ptr: *const u8| ptr as usize as u32;
        self.header = [
            kind as u32,
            at(tape.numbers.as_ptr().cast()),
            tape.numbers.len() as u32,
            at(tape.ascii.as_ptr()),
            tape.ascii.len() as u32,
            at(tape.wide.as_ptr().cast()),
            tape.wide.len() as u32,
        ];
        self.header.as_ptr()
    }
}

thread_local! {
    static OUTPUT: std::cell::RefCell<Output> = std::cell::RefCell::default();
}

/// `bodyBuffer(len)`: the address of room for a body of `len` bytes in wasm memory, which the
/// JavaScript fills before calling `parseBody`. Faster than passing it as a value: no second copy
/// and, for a string, `TextEncoder.encodeInto` once over the whole text.
#[wasm_bindgen(js_name = bodyBuffer)]
pub fn body_buffer(len: usize) -> *mut u8 {
    OUTPUT.with_borrow_mut(|out| {
        if out.body.len() < len {
            out.body.resize(len, 0);
        }
        out.body.as_mut_ptr()
    })
}

/// `parseBody(operation, status, len)`: reads InPost's answer, the first `len` bytes written to
/// `bodyBuffer` (`len` undefined: the body was neither a string nor a `Uint8Array`), and writes
/// the parsed value or the error. Returns the address of the result's header (see [`Output`]).
#[wasm_bindgen(js_name = parseBody)]
pub fn parse_body(operation_name: JsValue, http_status: JsValue, len: Option<u32>) -> *const u32 {
    // Neither reading a string nor a number runs JavaScript code: nothing can call in again.
    let checked = operation(&operation_name).and_then(|op| Ok((op, status(&http_status)?)));
    OUTPUT.with_borrow_mut(|out| {
        let Output { body, tape, .. } = out;
        let result = match (checked, len) {
            (Err(err), _) => Err(err),
            (Ok(_), None) => Err(Error::usage("the body must be a string or a Uint8Array")),
            (Ok((op, status)), Some(len)) => {
                let body = body.get(..len as usize).unwrap_or_default();
                inpost_quick_returns::parse_response(op, status, body)
            }
        };
        let kind = match &result {
            Ok(Response::Report(report)) => tape.write_report(report),
            Ok(Response::ReturnCode(code)) => tape.write_return_code(code),
            Ok(Response::InactiveCodes(codes)) => tape.write_inactive_codes(codes),
            Ok(Response::Invalidation(invalidation)) => tape.write_invalidation(invalidation),
            Err(err) => tape.write_error(err),
        };
        drop(result);
        out.finish(kind)
    })
}

/// The module's memory, where the results are.
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
