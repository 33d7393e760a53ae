//! The Rust face against the local sandbox: build a request, send it, parse the answer.
//!
//! The core does no I/O, so any HTTP client works; in a shop use `ureq` or `reqwest` with TLS.
//! To stay dependency-free this example carries a tiny HTTP/1.1 client for the loopback sandbox.
//!
//! ```sh
//! cargo run -p inpost-returns-sandbox &          # listening on http://127.0.0.1:8787/
//! cargo run --example quickstart                 # INPOST_BASE_URL overrides the URL
//! ```

use std::io::{Read, Write};
use std::net::TcpStream;

use inpost_quick_returns::{
    build_request, parse_response, ActiveCodeInput, Config, Error, HttpRequest, InactiveCodesInput,
    Request, Response,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url =
        std::env::var("INPOST_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8787/".into());
    let config = Config::with_base_url(base_url, "demo@example.com", "demo-password");

    // Scenario 1: an active return code for order 312.
    let request = Request::GenerateActiveCode(ActiveCodeInput {
        rma: "ORDER-312".into(),
        pack_type: "a".into(),
        expiration_date: "2030-12-31T23:59:59".into(),
        sender_phone: "+48 600-100-200".into(),
        sender_email: "jan.kowalski@example.pl".into(),
        return_description1: Some("Zamówienie:312".into()),
        address: None,
    });
    if let Response::ReturnCode(code) = call(&config, &request)?.into_owned() {
        println!(
            "return code {} (size {}, valid until {})",
            show(&code.code),
            show(&code.pack_type),
            show(&code.expiration_date)
        );
    }

    // Scenario 2: inactive codes to pack with products.
    let request = Request::GenerateInactiveCodes(InactiveCodesInput { number_of_codes: 2 });
    if let Response::InactiveCodes(list) = call(&config, &request)?.into_owned() {
        for code in &list.codes {
            println!("inactive code {}", show(&code.code));
        }
    }

    // A bad phone number never leaves the machine: the error names the field.
    let bad = Request::GenerateActiveCode(ActiveCodeInput {
        sender_phone: "12345".into(),
        ..sample()
    });
    match build_request(&config, &bad) {
        Err(Error::InvalidInput { field, message }) => {
            println!("refused before sending: {field}: {message}")
        }
        other => return Err(format!("expected a validation error, got {other:?}").into()),
    }
    Ok(())
}

fn sample() -> ActiveCodeInput {
    ActiveCodeInput {
        rma: "ORDER-313".into(),
        pack_type: "B".into(),
        expiration_date: "2030-12-31T23:59:59".into(),
        sender_phone: "600100200".into(),
        sender_email: "jan.kowalski@example.pl".into(),
        ..Default::default()
    }
}

fn show<'a>(text: &'a Option<std::borrow::Cow<'_, str>>) -> &'a str {
    text.as_deref().unwrap_or("-")
}

/// Builds, sends and parses one call.
fn call(
    config: &Config,
    request: &Request,
) -> Result<Response<'static>, Box<dyn std::error::Error>> {
    let http = build_request(config, request)?;
    let (status, body) = send(&http)?;
    Ok(parse_response(request.operation(), status, &body)?.into_owned())
}

/// A minimal HTTP/1.1 POST for `http://127.0.0.1…` only; real code uses an HTTPS client.
fn send(request: &HttpRequest) -> Result<(u16, Vec<u8>), Box<dyn std::error::Error>> {
    let rest = request
        .url
        .strip_prefix("http://")
        .ok_or("this example speaks plain http to the local sandbox only")?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host)?;
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        request.method,
        request.body.len()
    );
    for (name, value) in request.headers() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    stream.write_all(head.as_bytes())?;
    stream.write_all(b"\r\n")?;
    stream.write_all(request.body.as_bytes())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no HTTP header end")?;
    let head = String::from_utf8_lossy(&answer[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no HTTP status")?;
    let mut body = answer[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body).ok_or("bad chunked body")?;
    }
    Ok((status, body))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(
            std::str::from_utf8(&data[..line_end])
                .ok()?
                .split(';')
                .next()?
                .trim(),
            16,
        )
        .ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
