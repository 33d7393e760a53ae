//! Test harness: start the real binary, talk to it with a tiny HTTP/1.1 client.
//!
//! Deliberately no HTTP client crate: a few dozen lines over `TcpStream` also let the tests see
//! exactly what went over the wire (a dropped connection, a `Connection` header, raw bytes).

#![allow(dead_code)] // each test file uses a different part of the harness

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub const DEMO_EMAIL: &str = "demo@example.com";
pub const DEMO_PASSWORD: &str = "demo-password";

/// A running sandbox process, killed when dropped (so a failing test leaves nothing behind).
pub struct Sandbox {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    /// `127.0.0.1:PORT`
    pub addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Sandbox {
    /// Starts the binary with `--listen 127.0.0.1:0` and `args`, and waits for its first line.
    pub fn start(args: &[&str]) -> Sandbox {
        let mut child = Command::new(env!("CARGO_BIN_EXE_inpost-returns-sandbox"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the sandbox binary");
        // Drain stderr continuously so the child never blocks on a full pipe.
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().unwrap();
        let sink = Arc::clone(&stderr);
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut first = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut first)
            .expect("read the first stdout line");
        let mut sandbox = Sandbox {
            child: Some(child),
            url: String::new(),
            addr: String::new(),
            stderr,
        };
        let url = first
            .strip_suffix('\n')
            .and_then(|l| l.strip_prefix("listening on "))
            .unwrap_or_else(|| {
                panic!(
                    "unexpected first line {first:?}; stderr: {}",
                    sandbox.stderr()
                )
            })
            .to_string();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
            "{url}"
        );
        sandbox.addr = url["http://".len()..url.len() - 1].to_string();
        sandbox.url = url;
        // Keep reading stdout so a chatty child cannot block either (it should print nothing).
        thread::spawn(move || {
            let mut rest = String::new();
            let _ = out.read_to_string(&mut rest);
        });
        sandbox
    }

    /// Everything the process wrote on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// Waits (generously) for the process to exit and returns its status.
    pub fn wait_exit(&mut self, within: Duration) -> std::process::ExitStatus {
        let child = self.child.as_mut().unwrap();
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                self.child = None;
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "sandbox did not exit in {within:?}"
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// One request on a fresh connection (`Connection: close`).
    pub fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Outcome {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        write_request(&mut stream, &self.addr, method, target, headers, body, true);
        read_response_to(&mut stream, method == "HEAD")
    }

    /// POSTs an InPost call with these credentials.
    pub fn call(&self, function: &str, email: &str, password: &str, content: &str) -> Reply {
        let body = form(&[
            ("email", email),
            ("password", password),
            ("content", content),
        ]);
        self.request(
            "POST",
            &format!("/?do={function}"),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
        .reply()
    }

    /// POSTs an InPost call as the demo account.
    pub fn demo(&self, function: &str, content: &str) -> Reply {
        self.call(function, DEMO_EMAIL, DEMO_PASSWORD, content)
    }

    /// POSTs a form to a test hook.
    pub fn hook(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            form(fields).as_bytes(),
        )
        .reply()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// An HTTP answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `key` of a top-level `<error>`, read with a real XML parser (error answers are
    /// well-formed), after checking the InPost answer conventions.
    pub fn error_key(&self) -> Option<String> {
        assert_xml_answer(self);
        let doc = roxmltree::Document::parse(&self.body).expect("error answers are well-formed");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "paczkomaty");
        root.children()
            .find(|n| n.has_tag_name("error"))
            .map(|e| e.attribute("key").unwrap_or("").to_string())
    }
}

/// Either an answer or a connection closed without one.
#[derive(Debug, Clone)]
pub enum Outcome {
    Reply(Reply),
    Dropped,
}

impl Outcome {
    pub fn reply(self) -> Reply {
        match self {
            Outcome::Reply(r) => r,
            Outcome::Dropped => panic!("connection dropped without an answer"),
        }
    }
}

/// Checks what every XML answer must look like.
pub fn assert_xml_answer(r: &Reply) {
    assert_eq!(
        r.header("Content-Type"),
        Some("text/xml; charset=utf-8"),
        "{r:?}"
    );
    assert!(
        r.body
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<paczkomaty>"),
        "{}",
        r.body
    );
    assert!(r.body.ends_with("</paczkomaty>"), "{}", r.body);
}

/// Percent-encodes a form (everything but unreserved characters), as a careful client does.
pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn write_request(
    stream: &mut TcpStream,
    host: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    close: bool,
) {
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\n");
    if close {
        head.push_str("Connection: close\r\n");
    }
    if !headers.iter().any(|(n, _)| {
        n.eq_ignore_ascii_case("content-length") || n.eq_ignore_ascii_case("transfer-encoding")
    }) {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    // The server may answer (413) and close before reading everything; that is its right.
    let _ = stream.write_all(&bytes);
}

/// Reads one response, delimited by `Content-Length`. A connection that closes (or resets)
/// before the first byte is `Dropped`.
pub fn read_response(stream: &mut TcpStream) -> Outcome {
    read_response_to(stream, false)
}

/// Like [`read_response`]; `head_only` for the answer to a `HEAD` request (no body follows).
pub fn read_response_to(stream: &mut TcpStream, head_only: bool) -> Outcome {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) if buf.is_empty() => return Outcome::Dropped,
            Ok(0) => panic!(
                "connection closed inside a response head: {:?}",
                String::from_utf8_lossy(&buf)
            ),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) => panic!("read failed: {e}"),
        }
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).expect("ASCII head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    assert!(status_line.starts_with("HTTP/1.1 "), "{status_line}");
    let status: u16 = status_line[9..12].parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (n, v) = l.split_once(':').expect("header line");
            (n.trim().to_string(), v.trim().to_string())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .expect("every answer has Content-Length");
    let mut body = buf[head_end..].to_vec();
    let length = if head_only { 0 } else { length };
    while body.len() < length {
        let n = stream.read(&mut chunk).expect("read body");
        assert!(n > 0, "connection closed inside a body");
        body.extend_from_slice(&chunk[..n]);
    }
    assert_eq!(body.len(), length, "no bytes after the announced body");
    Outcome::Reply(Reply {
        status,
        headers,
        body: String::from_utf8(body).expect("UTF-8 body"),
    })
}

/// All texts of `<tag>…</tag>` in order (the answers are not well-formed XML, so a string scan).
pub fn texts(body: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let end = after.find(&close).expect("closed element");
        out.push(after[..end].to_string());
        rest = &after[end + close.len()..];
    }
    out
}

/// The first text of `<tag>`.
pub fn text(body: &str, tag: &str) -> String {
    texts(body, tag)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no <{tag}> in {body}"))
}

/// The list items `<0>…</0>`, `<1>…</1>`, … inside `<return>`, checking they are numbered from 0
/// without gaps.
pub fn items(body: &str) -> Vec<String> {
    let inner = text(body, "return");
    let mut out = Vec::new();
    loop {
        let i = out.len();
        let open = format!("<{i}>");
        let Some(start) = inner.find(&open) else {
            break;
        };
        let close = format!("</{i}>");
        let end = inner.find(&close).expect("closed item");
        out.push(inner[start + open.len()..end].to_string());
    }
    assert!(
        !inner.contains(&format!("<{}>", out.len() + 1)),
        "gap in item numbering"
    );
    out
}

/// A valid generateActiveCode content with this rma.
pub fn active_content(rma: &str) -> String {
    format!(
        "<paczkomaty><rma>{rma}</rma><packType>A</packType><expirationDate>2030-10-10T11:00:00</expirationDate><senderPhone>333222111</senderPhone><senderEmail>szybkie.zwroty@inpost.pl</senderEmail><returnDescription1>Zamówienie:312</returnDescription1></paczkomaty>"
    )
}

/// A valid activateCode content for `code`.
pub fn activate_content(code: &str) -> String {
    format!(
        "<paczkomaty><code>{code}</code><packType>B</packType><expirationDate>2031-01-02T03:04:05</expirationDate><senderPhone>600100200</senderPhone><senderEmail>klient@example.com</senderEmail></paczkomaty>"
    )
}

/// Generates `n` inactive codes as the demo account and returns them.
pub fn inactive_codes(sb: &Sandbox, n: usize) -> Vec<String> {
    let r = sb.demo(
        "revloggenerateinactivecodes",
        &format!("<paczkomaty><numberOfCodes>{n}</numberOfCodes></paczkomaty>"),
    );
    assert_eq!(r.status, 200);
    texts(&r.body, "code")
}

/// Generates an active code as the demo account and returns it.
pub fn active_code(sb: &Sandbox, rma: &str) -> String {
    let r = sb.demo("revloggenerateactivecode", &active_content(rma));
    assert_eq!(r.error_key_or_none(), None, "{}", r.body);
    text(&r.body, "code")
}

impl Reply {
    /// Like `error_key` but tolerates list answers (which are not well-formed XML).
    pub fn error_key_or_none(&self) -> Option<String> {
        assert_xml_answer(self);
        if self.body.contains("<error") {
            self.error_key()
        } else {
            None
        }
    }
}
