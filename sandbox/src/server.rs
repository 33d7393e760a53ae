//! The listening socket, one thread per connection, routing, fault injection, delays, logging
//! and shutdown.
//!
//! Threads rather than async: a sandbox serves a handful of test clients, and blocking code is
//! easy to follow. Connections are capped at [`MAX_CONNECTIONS`] (the next one gets an immediate
//! 503) so a leaky client cannot exhaust threads.
//!
//! Shutdown: [`ShutdownHandle::shutdown`] (called from the SIGINT/SIGTERM handler) raises a flag and
//! connects to the listener once to wake the blocking `accept`. [`Server::run`] then stops
//! accepting, gives requests in progress up to [`DRAIN_TIMEOUT`] to finish, and returns; idle
//! keep-alive connections are simply closed when the process exits.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::api::{self, ReportPaging};
use crate::hooks;
use crate::http::{Connection, Request, Response};
use crate::log::{self, Fields};
use crate::rng::XorShift;
use crate::state::{Account, Store};

/// The most connections served at once.
pub const MAX_CONNECTIONS: usize = 256;

/// How long [`Server::run`] waits for requests in progress after a shutdown signal.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// What the server needs to start.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Address to bind, e.g. `127.0.0.1:0`.
    pub listen: String,
    /// Accounts that may log in.
    pub accounts: Vec<Account>,
    /// Delay before every answer.
    pub delay: Duration,
    /// Fraction (0.0–1.0) of InPost requests that fail like a broken proxy, before the call
    /// is carried out.
    pub fail_rate: f64,
    /// Fraction (0.0–1.0) of InPost requests that are carried out and whose answer is then lost.
    pub lose_answer_rate: f64,
    /// How reports page (`--report-paging`).
    pub report_paging: ReportPaging,
    /// Seed for codes, UUIDs, pack codes and failures.
    pub seed: u64,
}

/// A simulated upstream failure before the call is carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    BadGateway,
    Unavailable,
    Drop,
}

/// How the answer of a call that was carried out is lost on its way back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loss {
    /// The connection is closed without an answer (a reset, a client-side timeout).
    Drop,
    /// A proxy gave up waiting: `504 Gateway Timeout` with an HTML page.
    GatewayTimeout,
}

/// State shared by all connection threads.
#[derive(Debug)]
struct Shared {
    store: Mutex<Store>,
    faults: Mutex<XorShift>,
    fail_rate: f64,
    losses: Mutex<XorShift>,
    lose_answer_rate: f64,
    report_paging: ReportPaging,
    delay: Duration,
    stopping: Arc<AtomicBool>,
    /// Requests being answered right now (for the drain on shutdown).
    busy: AtomicUsize,
    connections: AtomicUsize,
}

impl Shared {
    /// Rolls the dice for one InPost request. Always one draw per request (two when failing), so
    /// a given `--seed` and request sequence fail the same way every run.
    fn fault(&self) -> Option<Fault> {
        if self.fail_rate <= 0.0 {
            return None;
        }
        let mut rng = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        if rng.next_f64() >= self.fail_rate {
            return None;
        }
        Some(match rng.below(3) {
            0 => Fault::BadGateway,
            1 => Fault::Unavailable,
            _ => Fault::Drop,
        })
    }

    /// Rolls the dice for losing the answer of a call that was carried out; its own stream, so
    /// `--lose-answer-rate` does not change which calls `--fail-rate` fails, and the other way
    /// round.
    fn loss(&self) -> Option<Loss> {
        if self.lose_answer_rate <= 0.0 {
            return None;
        }
        let mut rng = self.losses.lock().unwrap_or_else(|p| p.into_inner());
        if rng.next_f64() >= self.lose_answer_rate {
            return None;
        }
        Some(if rng.below(2) == 0 {
            Loss::Drop
        } else {
            Loss::GatewayTimeout
        })
    }
}

/// Decrements a counter when dropped, so a panicking thread still releases its slot.
struct CountGuard<'a>(&'a AtomicUsize);

impl Drop for CountGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A bound server, not yet serving.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
    url: String,
    wake_addr: SocketAddr,
}

/// Stops a running [`Server`] from another thread (e.g. a signal handler).
#[derive(Debug, Clone)]
pub struct ShutdownHandle {
    stopping: Arc<AtomicBool>,
    wake_addr: SocketAddr,
}

impl ShutdownHandle {
    /// Asks the server to stop. Returns `false` if it had already been asked.
    pub fn shutdown(&self) -> bool {
        if self.stopping.swap(true, Ordering::SeqCst) {
            return false;
        }
        // Logged before waking the accept loop: once woken, `main` may return at any moment.
        log::line("shutting down");
        // Wake the blocking accept(); if this fails the next real connection wakes it instead.
        let _ = TcpStream::connect_timeout(&self.wake_addr, Duration::from_secs(1));
        true
    }
}

impl Server {
    /// Binds the listening socket.
    pub fn bind(config: Config) -> io::Result<Server> {
        let addrs: Vec<SocketAddr> = config.listen.to_socket_addrs()?.collect();
        let listener = TcpListener::bind(&addrs[..])?;
        let local = listener.local_addr()?;
        // A wildcard address is not something to connect to; name loopback instead.
        let reachable_ip = match local.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let wake_addr = SocketAddr::new(reachable_ip, local.port());
        let shared = Arc::new(Shared {
            store: Mutex::new(Store::new(config.accounts, config.seed)),
            // A different stream from the store's, so adding a request that generates codes
            // does not change which later requests fail.
            faults: Mutex::new(XorShift::new(config.seed ^ 0x5DEE_CE66_D1CE_F00D)),
            fail_rate: config.fail_rate,
            losses: Mutex::new(XorShift::new(config.seed ^ 0x1057_A45E_12C0_FFEE)),
            lose_answer_rate: config.lose_answer_rate,
            report_paging: config.report_paging,
            delay: config.delay,
            stopping: Arc::new(AtomicBool::new(false)),
            busy: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
        });
        Ok(Server {
            listener,
            shared,
            url: format!("http://{wake_addr}/"),
            wake_addr,
        })
    }

    /// The base URL clients should use, e.g. `http://127.0.0.1:8787/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A handle to stop the server.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            stopping: Arc::clone(&self.shared.stopping),
            wake_addr: self.wake_addr,
        }
    }

    /// Serves until shut down, then waits (at most [`DRAIN_TIMEOUT`]) for requests in progress.
    pub fn run(self) {
        for incoming in self.listener.incoming() {
            if self.shared.stopping.load(Ordering::SeqCst) {
                break;
            }
            let stream = match incoming {
                Ok(s) => s,
                Err(e) => {
                    // E.g. out of file descriptors: say so, breathe, go on.
                    log::line(&format!("accept failed: {e}"));
                    thread::sleep(Duration::from_millis(100));
                    continue;
                }
            };
            let shared = Arc::clone(&self.shared);
            if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                let _guard = CountGuard(&shared.connections);
                let mut conn = Connection::new(stream);
                let busy =
                    Response::new(503, "text/plain; charset=utf-8", "too many connections\n");
                let _ = conn.send(&busy, false, true);
                conn.drop_without_answer();
                continue;
            }
            let spawned = thread::Builder::new()
                .name("connection".into())
                .spawn(move || {
                    let _guard = CountGuard(&shared.connections);
                    serve(&shared, Connection::new(stream));
                });
            if let Err(e) = spawned {
                // The closure (and its guard) was dropped with the failed spawn.
                log::line(&format!("cannot start a connection thread: {e}"));
            }
        }
        let deadline = Instant::now() + DRAIN_TIMEOUT;
        while self.shared.busy.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Serves the requests of one connection until it closes.
fn serve(shared: &Shared, mut conn: Connection) {
    loop {
        let request = match conn.next_request() {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(e) => {
                let response = e.response();
                log::request(
                    "?",
                    "?",
                    Some(response.status),
                    &Fields {
                        outcome: format!("protocol-error ({})", e.reason),
                        ..Fields::default()
                    },
                    Duration::ZERO,
                );
                let _ = conn.send(&response, false, true);
                conn.close();
                return;
            }
        };
        shared.busy.fetch_add(1, Ordering::SeqCst);
        let _busy = CountGuard(&shared.busy);
        let started = Instant::now();
        let mut fields = Fields::default();
        let reply = route(shared, &request, &mut fields);
        if !shared.delay.is_zero() {
            thread::sleep(shared.delay);
        }
        match reply {
            None => {
                log::request(
                    &request.method,
                    &request.path,
                    None,
                    &fields,
                    started.elapsed(),
                );
                conn.drop_without_answer();
                return;
            }
            Some(response) => {
                // Close when the client asked, when the body was not read, or when stopping.
                let close = !request.keep_alive
                    || matches!(request.body, crate::http::Body::TooLarge)
                    || shared.stopping.load(Ordering::SeqCst);
                let sent = conn.send(&response, request.method == "HEAD", close);
                log::request(
                    &request.method,
                    &request.path,
                    Some(response.status),
                    &fields,
                    started.elapsed(),
                );
                if sent.is_err() {
                    return;
                }
                if close {
                    conn.close();
                    return;
                }
            }
        }
    }
}

/// Picks the handler; `None` means "drop the connection".
fn route(shared: &Shared, request: &Request, fields: &mut Fields) -> Option<Response> {
    if request.path.starts_with("/_sandbox/") {
        return Some(hooks::handle(&shared.store, request, fields));
    }
    if request.path != "/" {
        fields.outcome = "error=NotFound".to_string();
        let e = crate::error::ApiError::not_found();
        return Some(Response::new(
            404,
            crate::answer::CONTENT_TYPE,
            crate::answer::error(&e),
        ));
    }
    let is_call = request.method == "POST";
    if is_call {
        match shared.fault() {
            None => {}
            Some(Fault::Drop) => {
                fields.outcome = "fault=dropped".to_string();
                return None;
            }
            Some(fault) => {
                let (status, outcome) = if fault == Fault::BadGateway {
                    (502, "fault=502")
                } else {
                    (503, "fault=503")
                };
                fields.outcome = outcome.to_string();
                return Some(Response::new(status, "text/html", proxy_page(status)));
            }
        }
    }
    let response = api::handle(&shared.store, shared.report_paging, request, fields);
    if !is_call {
        return Some(response);
    }
    // The call was carried out (its state change, if any, is made); now lose its answer.
    match shared.loss() {
        None => Some(response),
        Some(Loss::Drop) => {
            fields.outcome = format!("{} lost=dropped", fields.outcome);
            None
        }
        Some(Loss::GatewayTimeout) => {
            fields.outcome = format!("{} lost=504", fields.outcome);
            Some(Response::new(504, "text/html", proxy_page(504)))
        }
    }
}

/// The kind of page an nginx in front of an API answers when the backend is down.
fn proxy_page(status: u16) -> String {
    let title = format!("{status} {}", crate::http::reason_phrase(status));
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}
