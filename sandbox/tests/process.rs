//! The process: command line, first stdout line, logs, delays, injected failures, signals.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_inpost-returns-sandbox"))
}

#[test]
fn first_line_names_the_url() {
    let sb = Sandbox::start(&[]);
    // `start` already checked `listening on http://127.0.0.1:PORT/`; the port is real.
    let port: u16 = sb.addr.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    assert_eq!(
        sb.request("GET", "/_sandbox/health", &[], b"").reply().body,
        "ok"
    );
}

#[test]
fn help_version_and_usage_errors() {
    let out = bin().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--listen",
        "--account",
        "--delay-ms",
        "--fail-rate",
        "--lose-answer-rate",
        "--report-paging",
        "--seed",
        "demo@example.com",
        "/_sandbox/parcel",
        "/_sandbox/codes",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    let out = bin().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("inpost-returns-sandbox "));
    for bad in [
        &["--fail-rate", "2"][..],
        &["--bogus"],
        &["--account", "nocolon"],
        &["--delay-ms"],
    ] {
        let out = bin().args(bad).stdin(Stdio::null()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty(), "no listening line on a usage error");
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn cannot_listen_is_an_error() {
    let sb = Sandbox::start(&[]);
    let out = bin()
        .args(["--listen", &sb.addr])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn log_lines_name_the_call_but_never_the_secret() {
    let sb = Sandbox::start(&["--account", "shop@example.com:Sekret-Hasło-42"]);
    sb.call(
        "revloggetreport",
        "shop@example.com",
        "Sekret-Hasło-42",
        "<paczkomaty><rma>Tajne-RMA</rma></paczkomaty>",
    );
    sb.call(
        "revloggetreport",
        "shop@example.com",
        "Sekret-Hasło-43",
        "<paczkomaty/>",
    );
    sb.request("GET", "/_sandbox/health", &[], b"").reply();
    // The log line of the last request is written after its answer; give it a moment.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !sb.stderr().contains("/_sandbox/health") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let log = sb.stderr();
    assert!(
        log.contains("POST / do=revloggetreport account=shop@example.com -> 200 ok"),
        "{log}"
    );
    assert!(log.contains("-> 200 error=Unauthorized"), "{log}");
    assert!(log.contains("GET /_sandbox/health"), "{log}");
    assert!(
        log.contains("seed="),
        "the seed is logged so a run can be replayed: {log}"
    );
    assert!(!log.contains("Sekret"), "password in the log: {log}");
    assert!(!log.contains("Tajne"), "form body in the log: {log}");
}

#[test]
fn delay_is_applied() {
    let sb = Sandbox::start(&["--delay-ms", "400"]);
    let started = Instant::now();
    let r = sb.demo("revloggetreport", "<paczkomaty/>");
    assert_eq!(r.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}

/// What one InPost call met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Met {
    Answer,
    BadGateway,
    Unavailable,
    Dropped,
}

fn classify(sb: &Sandbox) -> Met {
    let body = form(&[
        ("email", DEMO_EMAIL),
        ("password", DEMO_PASSWORD),
        ("content", "<paczkomaty/>"),
    ]);
    match sb.request(
        "POST",
        "/?do=revloggetreport",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    ) {
        Outcome::Dropped => Met::Dropped,
        Outcome::Reply(r) => match r.status {
            200 => Met::Answer,
            502 | 503 => {
                assert_eq!(r.header("Content-Type"), Some("text/html"));
                assert!(r.body.starts_with("<html>"), "{}", r.body);
                assert!(r.body.contains(&r.status.to_string()));
                if r.status == 502 {
                    Met::BadGateway
                } else {
                    Met::Unavailable
                }
            }
            other => panic!("unexpected status {other}"),
        },
    }
}

#[test]
fn fail_rate_one_always_fails_in_all_three_ways() {
    let sb = Sandbox::start(&["--fail-rate", "1", "--seed", "42"]);
    let met: Vec<Met> = (0..30).map(|_| classify(&sb)).collect();
    assert!(!met.contains(&Met::Answer), "{met:?}");
    for kind in [Met::BadGateway, Met::Unavailable, Met::Dropped] {
        assert!(met.contains(&kind), "{kind:?} never happened: {met:?}");
    }
    // Hooks and health are not InPost functions and never fail.
    assert_eq!(
        sb.request("GET", "/_sandbox/health", &[], b"")
            .reply()
            .status,
        200
    );
    assert_eq!(
        sb.request("POST", "/_sandbox/reset", &[], b"")
            .reply()
            .status,
        200
    );
    // Non-POST requests to `/` are not calls either.
    assert_eq!(sb.request("GET", "/", &[], b"").reply().status, 405);
}

#[test]
fn fail_rate_is_reproducible_with_a_seed() {
    let run = || {
        let sb = Sandbox::start(&["--fail-rate", "0.5", "--seed", "7"]);
        (0..24).map(|_| classify(&sb)).collect::<Vec<_>>()
    };
    let first = run();
    assert!(first.contains(&Met::Answer), "{first:?}");
    assert!(first.iter().any(|m| *m != Met::Answer), "{first:?}");
    assert_eq!(first, run());
}

#[test]
fn seed_makes_codes_reproducible() {
    let codes = || {
        let sb = Sandbox::start(&["--seed", "12345"]);
        inactive_codes(&sb, 3)
    };
    assert_eq!(codes(), codes());
}

#[test]
fn fail_rate_zero_never_fails() {
    let sb = Sandbox::start(&["--fail-rate", "0"]);
    for _ in 0..10 {
        assert_eq!(classify(&sb), Met::Answer);
    }
}

#[cfg(unix)]
fn signal(sb: &Sandbox, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), sb.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn sigterm_stops_cleanly() {
    let mut sb = Sandbox::start(&[]);
    active_code(&sb, "x");
    signal(&sb, "TERM");
    let status = sb.wait_exit(Duration::from_secs(30));
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(sb.stderr().contains("shutting down"), "{}", sb.stderr());
    assert!(
        std::net::TcpStream::connect(&sb.addr).is_err(),
        "still listening"
    );
}

#[cfg(unix)]
#[test]
fn sigint_stops_cleanly_even_with_an_idle_connection_open() {
    let mut sb = Sandbox::start(&[]);
    // A keep-alive client that never sends anything must not block the shutdown.
    let _idle = std::net::TcpStream::connect(&sb.addr).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    signal(&sb, "INT");
    let status = sb.wait_exit(Duration::from_secs(30));
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[cfg(unix)]
#[test]
fn sigterm_lets_a_request_in_progress_finish() {
    let mut sb = Sandbox::start(&["--delay-ms", "4000"]);
    let addr = sb.addr.clone();
    let client = std::thread::spawn(move || {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write_request(&mut s, &addr, "GET", "/_sandbox/health", &[], b"", true);
        read_response(&mut s)
    });
    // Wait until the request is surely being served (inside its 4 s delay), then signal.
    std::thread::sleep(Duration::from_millis(1500));
    signal(&sb, "TERM");
    let status = sb.wait_exit(Duration::from_secs(30));
    assert_eq!(status.code(), Some(0));
    let outcome = client.join().unwrap();
    assert_eq!(outcome.reply().body, "ok");
}
