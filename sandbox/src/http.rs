//! HTTP/1.1 on a plain `TcpStream`: reading requests, writing responses, dropping connections.
//!
//! Why not a server crate: the sandbox must be able to *drop a connection without answering*
//! (`--fail-rate`), which is the failure clients handle worst, and server crates such as
//! tiny_http keep the socket to themselves (an unanswered request becomes a 500, and a keep-alive
//! connection stays open). So the framing is done here, and the one part that is easy to get
//! subtly wrong, parsing the request line and headers, is left to `httparse` (the parser under
//! hyper). What is supported is what InPost clients send:
//!
//! - `Content-Length` and `Transfer-Encoding: chunked` bodies, capped at [`MAX_BODY`];
//! - `Expect: 100-continue` (curl sends it for larger bodies);
//! - keep-alive (HTTP/1.1 default) and `Connection: close`; HTTP/1.0 connections are closed
//!   after one response; pipelined requests are answered in order;
//! - an idle or stalled connection is closed after [`IO_TIMEOUT`].
//!
//! Protocol errors (a malformed head, both `Content-Length` and `Transfer-Encoding`, a transfer
//! coding other than chunked …) are answered with a plain-text 4xx/5xx and the connection is closed,
//! because the next request's start can no longer be found.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use crate::time;

/// The largest request body accepted (1 MiB). InPost documents no limit; a real request is a few
/// kilobytes, so anything bigger is a client bug or abuse.
pub const MAX_BODY: usize = 1024 * 1024;

/// The largest request head (request line plus headers) accepted.
pub const MAX_HEAD: usize = 16 * 1024;

/// How long a connection may sit idle, or stall while sending a request or reading an answer.
pub const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// The request body, or the fact that it was too large to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// The whole body.
    Complete(Vec<u8>),
    /// Over [`MAX_BODY`]; not read, so the connection is closed after the answer.
    TooLarge,
}

/// One parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method, as sent (`POST`, `GET` …).
    pub method: String,
    /// The path of the request target, without the query.
    pub path: String,
    /// The raw query string (after `?`), possibly empty.
    pub query: String,
    /// Header names (as sent) and values (lossily made UTF-8).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
    /// Whether the client wants the connection kept open after the answer.
    pub keep_alive: bool,
}

impl Request {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An answer to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// Additional headers (e.g. `Allow`).
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body and no extra headers.
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// A request that could not be read as HTTP; answered with `status` and a closed connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError {
    /// The status to answer with.
    pub status: u16,
    /// A short plain-text reason.
    pub reason: &'static str,
}

impl ProtocolError {
    fn new(status: u16, reason: &'static str) -> Self {
        ProtocolError { status, reason }
    }

    /// The plain-text answer.
    pub fn response(&self) -> Response {
        Response::new(
            self.status,
            "text/plain; charset=utf-8",
            format!("{}\n", self.reason),
        )
    }
}

/// The standard reason phrase of a status code.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// One client connection: the socket and the bytes read from it but not consumed yet (a
/// pipelined next request may already sit there).
#[derive(Debug)]
pub struct Connection {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Connection {
    /// Wraps an accepted socket and sets its timeouts.
    pub fn new(stream: TcpStream) -> Self {
        let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
        let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
        let _ = stream.set_nodelay(true);
        Connection {
            stream,
            buf: Vec::new(),
        }
    }

    /// Reads more bytes into the buffer; `Ok(0)` at end of stream.
    fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 8192];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Takes exactly `n` bytes, reading as needed. `None` if the peer closed or stalled first.
    fn take(&mut self, n: usize) -> Option<Vec<u8>> {
        while self.buf.len() < n {
            match self.fill() {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
        }
        Some(self.buf.drain(..n).collect())
    }

    /// Takes one CRLF- (or LF-) terminated line without its terminator, at most `max` bytes long.
    fn line(&mut self, max: usize) -> Result<Option<Vec<u8>>, ProtocolError> {
        loop {
            if let Some(pos) = self.buf.iter().position(|b| *b == b'\n') {
                let mut line: Vec<u8> = self.buf.drain(..=pos).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(Some(line));
            }
            if self.buf.len() > max {
                return Err(ProtocolError::new(400, "chunk header line too long"));
            }
            match self.fill() {
                Ok(0) | Err(_) => return Ok(None),
                Ok(_) => {}
            }
        }
    }

    /// Reads the next request. `Ok(None)` when the client closed the connection, went idle for
    /// [`IO_TIMEOUT`], or vanished in the middle of a request: there is nobody to answer.
    pub fn next_request(&mut self) -> Result<Option<Request>, ProtocolError> {
        // Read until httparse sees a complete head.
        let (head_len, method, target, minor, headers) = loop {
            if !self.buf.is_empty() {
                let mut slots = [httparse::EMPTY_HEADER; 64];
                let mut parsed = httparse::Request::new(&mut slots);
                match parsed.parse(&self.buf) {
                    Ok(httparse::Status::Complete(len)) => {
                        let headers = parsed
                            .headers
                            .iter()
                            .map(|h| {
                                (
                                    h.name.to_string(),
                                    String::from_utf8_lossy(h.value).into_owned(),
                                )
                            })
                            .collect::<Vec<_>>();
                        break (
                            len,
                            parsed.method.unwrap_or("").to_string(),
                            parsed.path.unwrap_or("").to_string(),
                            parsed.version.unwrap_or(1),
                            headers,
                        );
                    }
                    Ok(httparse::Status::Partial) => {}
                    Err(httparse::Error::TooManyHeaders) => {
                        return Err(ProtocolError::new(431, "too many headers"))
                    }
                    Err(httparse::Error::Version) => {
                        return Err(ProtocolError::new(505, "only HTTP/1.0 and HTTP/1.1"))
                    }
                    Err(_) => return Err(ProtocolError::new(400, "malformed request head")),
                }
                if self.buf.len() > MAX_HEAD {
                    return Err(ProtocolError::new(431, "request head too large"));
                }
            }
            match self.fill() {
                Ok(0) | Err(_) => return Ok(None),
                Ok(_) => {}
            }
        };
        self.buf.drain(..head_len);

        let header = |name: &str| {
            headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim())
                .collect::<Vec<_>>()
        };
        let connection = header("connection").join(",").to_ascii_lowercase();
        let keep_alive = minor == 1 && !connection.split(',').any(|t| t.trim() == "close");
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.clone(), String::new()),
        };

        // Work out the body framing.
        let chunked = match header("transfer-encoding").as_slice() {
            [] => false,
            [te] if te.eq_ignore_ascii_case("chunked") => true,
            _ => return Err(ProtocolError::new(501, "only chunked transfer coding")),
        };
        let lengths = header("content-length");
        if chunked && !lengths.is_empty() {
            return Err(ProtocolError::new(
                400,
                "both Content-Length and Transfer-Encoding",
            ));
        }
        let length = match lengths.as_slice() {
            [] => 0,
            [first, rest @ ..] => {
                if rest.iter().any(|v| v != first) {
                    return Err(ProtocolError::new(400, "conflicting Content-Length"));
                }
                if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(ProtocolError::new(400, "bad Content-Length"));
                }
                first.parse::<usize>().unwrap_or(usize::MAX)
            }
        };
        let too_large = !chunked && length > MAX_BODY;

        let expects_continue = header("expect")
            .iter()
            .any(|v| v.eq_ignore_ascii_case("100-continue"));
        if expects_continue && minor == 1 && (chunked || length > 0) && !too_large {
            // A failed write surfaces on the body read below.
            let _ = self.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
        }

        let body = if too_large {
            Body::TooLarge
        } else if chunked {
            match self.chunked_body()? {
                Some(body) => body,
                None => return Ok(None),
            }
        } else {
            match self.take(length) {
                Some(bytes) => Body::Complete(bytes),
                None => return Ok(None),
            }
        };

        Ok(Some(Request {
            method,
            path,
            query,
            headers,
            body,
            keep_alive,
        }))
    }

    /// Decodes a chunked body (RFC 9112 §7.1); trailers are read and ignored.
    fn chunked_body(&mut self) -> Result<Option<Body>, ProtocolError> {
        let mut body = Vec::new();
        loop {
            let Some(line) = self.line(1024)? else {
                return Ok(None);
            };
            let size_text = line.split(|b| *b == b';').next().unwrap_or(&[]);
            let size_text = String::from_utf8_lossy(size_text);
            let size_text = size_text.trim();
            if size_text.is_empty() || size_text.len() > 15 {
                return Err(ProtocolError::new(400, "bad chunk size"));
            }
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| ProtocolError::new(400, "bad chunk size"))?;
            if size == 0 {
                // Trailer section: header lines until an empty line.
                loop {
                    match self.line(MAX_HEAD)? {
                        None => return Ok(None),
                        Some(l) if l.is_empty() => return Ok(Some(Body::Complete(body))),
                        Some(_) => {}
                    }
                }
            }
            if body.len() + size > MAX_BODY {
                return Ok(Some(Body::TooLarge));
            }
            let Some(data) = self.take(size) else {
                return Ok(None);
            };
            body.extend_from_slice(&data);
            match self.line(2)? {
                Some(l) if l.is_empty() => {}
                Some(_) => return Err(ProtocolError::new(400, "chunk without CRLF")),
                None => return Ok(None),
            }
        }
    }

    /// Writes `response`. `head_only` omits the body (answer to `HEAD`); `close` announces
    /// `Connection: close` (the caller then drops the connection).
    pub fn send(&mut self, response: &Response, head_only: bool, close: bool) -> io::Result<()> {
        let mut out = format!(
            "HTTP/1.1 {} {}\r\nDate: {}\r\nServer: inpost-returns-sandbox/{}\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
            response.status,
            reason_phrase(response.status),
            time::format_http_date(time::now()),
            env!("CARGO_PKG_VERSION"),
            response.content_type,
            response.body.len(),
        );
        for (name, value) in &response.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(if close {
            "Connection: close\r\n\r\n"
        } else {
            "Connection: keep-alive\r\n\r\n"
        });
        let mut bytes = out.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&response.body);
        }
        self.stream.write_all(&bytes)?;
        self.stream.flush()
    }

    /// Closes the connection without a word, the way a crashed upstream or a load balancer does.
    pub fn drop_without_answer(self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }

    /// Closes the connection after an answer, letting the client read it first.
    ///
    /// A "lingering close": after our FIN, unread input (say, the rest of a refused 20 MiB
    /// body) is read and discarded for a moment, because closing a socket with unread data makes
    /// the kernel send a reset, which can destroy the answer before the client has read it.
    pub fn close(mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        let _ = self.stream.set_read_timeout(Some(Duration::from_secs(1)));
        let mut sink = [0u8; 8192];
        let mut discarded = 0usize;
        while discarded < 8 * MAX_BODY {
            match self.stream.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => discarded += n,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::thread;

    /// Sends `raw` to a connection and returns what `next_request` makes of it.
    fn parse(raw: &'static [u8]) -> (Result<Option<Request>, ProtocolError>, Vec<u8>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let client = thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(raw).unwrap();
            s.shutdown(Shutdown::Write).unwrap();
            let mut got = Vec::new();
            let _ = s.read_to_end(&mut got);
            got
        });
        let (stream, _) = listener.accept().unwrap();
        let mut conn = Connection::new(stream);
        let result = conn.next_request();
        conn.close();
        (result, client.join().unwrap())
    }

    #[test]
    fn content_length_body() {
        let (r, _) = parse(b"POST /?do=x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
        let r = r.unwrap().unwrap();
        assert_eq!(
            (r.method.as_str(), r.path.as_str(), r.query.as_str()),
            ("POST", "/", "do=x")
        );
        assert_eq!(r.body, Body::Complete(b"abc".to_vec()));
        assert!(r.keep_alive);
        assert_eq!(r.header("HOST"), Some("a"));
    }

    #[test]
    fn chunked_body_and_continue() {
        let (r, sent) = parse(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n");
        let r = r.unwrap().unwrap();
        assert_eq!(r.body, Body::Complete(b"abcde".to_vec()));
        assert!(!r.keep_alive);
        assert!(sent.starts_with(b"HTTP/1.1 100 Continue\r\n\r\n"));
    }

    #[test]
    fn too_large_is_not_read() {
        let (r, sent) =
            parse(b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\nExpect: 100-continue\r\n\r\n");
        assert_eq!(r.unwrap().unwrap().body, Body::TooLarge);
        assert!(
            sent.is_empty(),
            "no 100 Continue for a body that will be refused"
        );
    }

    #[test]
    fn protocol_errors() {
        let status = |raw| parse(raw).0.unwrap_err().status;
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            400
        );
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
            400
        );
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
            400
        );
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
            501
        );
        assert_eq!(
            status(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            400
        );
        assert_eq!(status(b"\x00\x01 garbage\r\n\r\n"), 400);
    }

    #[test]
    fn truncated_requests_are_silent() {
        assert!(parse(b"").0.unwrap().is_none());
        assert!(parse(b"POST / HTTP/1.1\r\nContent-Le").0.unwrap().is_none());
        assert!(parse(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
            .0
            .unwrap()
            .is_none());
    }

    #[test]
    fn http10_closes() {
        let (r, _) = parse(b"GET /x HTTP/1.0\r\n\r\n");
        assert!(!r.unwrap().unwrap().keep_alive);
    }
}
