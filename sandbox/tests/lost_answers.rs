//! `--lose-answer-rate` (carry the call out, then lose its answer), `GET /_sandbox/codes` (the
//! sandbox's truth about every code) and `--report-paging` (a report that ignores paging).

mod common;

use common::*;

/// One code as `GET /_sandbox/codes` lists it; values are kept as raw JSON text (`"A"`, `null`,
/// `true`), which is enough for these tests' plain values.
type CodeRow = Vec<(String, String)>;

fn field<'a>(row: &'a CodeRow, name: &str) -> &'a str {
    row.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {row:?}"))
}

/// Reads `{"codes":[{…},…]}` written by the sandbox (values without commas or braces).
fn codes(sb: &Sandbox) -> Vec<CodeRow> {
    let r = sb.request("GET", "/_sandbox/codes", &[], b"").reply();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    let inner = r
        .body
        .strip_prefix("{\"codes\":[")
        .and_then(|b| b.strip_suffix("]}"))
        .unwrap_or_else(|| panic!("{}", r.body));
    if inner.is_empty() {
        return Vec::new();
    }
    inner
        .trim_start_matches('{')
        .trim_end_matches('}')
        .split("},{")
        .map(|object| {
            object
                .split(',')
                .map(|pair| {
                    let (name, value) = pair.split_once(':').expect("name:value");
                    (name.trim_matches('"').to_string(), value.to_string())
                })
                .collect()
        })
        .collect()
}

fn rmas(sb: &Sandbox) -> Vec<String> {
    codes(sb)
        .iter()
        .map(|row| field(row, "rma").trim_matches('"').to_string())
        .collect()
}

/// What one `revloggenerateactivecode` call met on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Met {
    Answer,
    BadGateway,
    Unavailable,
    GatewayTimeout,
    Dropped,
}

fn generate(sb: &Sandbox, rma: &str) -> Met {
    let body = form(&[
        ("email", DEMO_EMAIL),
        ("password", DEMO_PASSWORD),
        ("content", &active_content(rma)),
    ]);
    match sb.request(
        "POST",
        "/?do=revloggenerateactivecode",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    ) {
        Outcome::Dropped => Met::Dropped,
        Outcome::Reply(r) => match r.status {
            200 => {
                assert_eq!(r.error_key_or_none(), None, "{}", r.body);
                Met::Answer
            }
            502..=504 => {
                assert_eq!(r.header("Content-Type"), Some("text/html"));
                assert!(
                    r.body.contains(&format!("<title>{} ", r.status)),
                    "{}",
                    r.body
                );
                match r.status {
                    502 => Met::BadGateway,
                    503 => Met::Unavailable,
                    _ => {
                        assert!(r.body.contains("504 Gateway Timeout"), "{}", r.body);
                        Met::GatewayTimeout
                    }
                }
            }
            other => panic!("unexpected status {other}: {}", r.body),
        },
    }
}

#[test]
fn codes_hook_lists_every_code_of_every_account() {
    let sb = Sandbox::start(&[
        "--account",
        "a@shop.pl:pa",
        "--account",
        "b@shop.pl:pb",
        "--seed",
        "3",
    ]);
    assert!(codes(&sb).is_empty());
    let r = sb.call(
        "revloggenerateactivecode",
        "a@shop.pl",
        "pa",
        &active_content("R-1"),
    );
    let active = text(&r.body, "code");
    let r = sb.call(
        "revloggenerateinactivecodes",
        "b@shop.pl",
        "pb",
        "<paczkomaty><numberOfCodes>2</numberOfCodes></paczkomaty>",
    );
    let inactive = texts(&r.body, "code");
    sb.call(
        "revloginvalidatecode",
        "b@shop.pl",
        "pb",
        &format!("<paczkomaty><code>{}</code></paczkomaty>", inactive[1]),
    );
    sb.hook(
        "/_sandbox/parcel",
        &[("code", &active), ("status", "Created")],
    );

    let rows = codes(&sb);
    assert_eq!(rows.len(), 3, "{rows:?}");
    let expect = |row: &CodeRow, pairs: &[(&str, &str)]| {
        for (name, value) in pairs {
            assert_eq!(field(row, name), *value, "{name} in {row:?}");
        }
    };
    expect(
        &rows[0],
        &[
            ("account", "\"a@shop.pl\""),
            ("code", &format!("\"{active}\"")),
            ("rma", "\"R-1\""),
            ("packType", "\"A\""),
            ("expirationDate", "\"2030-10-10T11:00:00\""),
            ("active", "true"),
            ("used", "true"),
            ("invalidated", "false"),
        ],
    );
    expect(
        &rows[1],
        &[
            ("account", "\"b@shop.pl\""),
            ("code", &format!("\"{}\"", inactive[0])),
            ("rma", "null"),
            ("packType", "null"),
            ("expirationDate", "null"),
            ("active", "false"),
            ("used", "false"),
            ("invalidated", "false"),
        ],
    );
    expect(&rows[2], &[("invalidated", "true"), ("active", "false")]);

    assert_eq!(
        sb.request("HEAD", "/_sandbox/codes", &[], b"")
            .reply()
            .status,
        200
    );
    let post = sb.request("POST", "/_sandbox/codes", &[], b"").reply();
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));
    // The hook never shows a password.
    assert!(!sb
        .request("GET", "/_sandbox/codes", &[], b"")
        .reply()
        .body
        .contains("pa\""));
    sb.request("POST", "/_sandbox/reset", &[], b"").reply();
    assert!(codes(&sb).is_empty());
}

#[test]
fn lose_answer_rate_one_carries_every_call_out_and_loses_every_answer_both_ways() {
    let sb = Sandbox::start(&["--lose-answer-rate", "1", "--seed", "11"]);
    let met: Vec<Met> = (0..30).map(|i| generate(&sb, &format!("L-{i}"))).collect();
    assert!(met.contains(&Met::Dropped), "{met:?}");
    assert!(met.contains(&Met::GatewayTimeout), "{met:?}");
    assert!(
        met.iter()
            .all(|m| matches!(m, Met::Dropped | Met::GatewayTimeout)),
        "{met:?}"
    );
    // Every call was carried out: one code per rma.
    let expected: Vec<String> = (0..30).map(|i| format!("L-{i}")).collect();
    assert_eq!(rmas(&sb), expected);
    // Hooks never lose their answers.
    assert_eq!(
        sb.request("GET", "/_sandbox/health", &[], b"")
            .reply()
            .status,
        200
    );
    // The log says what happened, after the call's own outcome.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !sb.stderr().contains("/_sandbox/codes") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let log = sb.stderr();
    assert!(log.contains("-> 504 ok lost=504"), "{log}");
    assert!(log.contains("-> --- ok lost=dropped"), "{log}");
    assert!(log.contains("lose-answer-rate=1"), "{log}");
}

#[test]
fn lost_answers_and_failures_are_independent_and_reproducible() {
    let run = || {
        let sb = Sandbox::start(&[
            "--fail-rate",
            "0.3",
            "--lose-answer-rate",
            "0.4",
            "--seed",
            "5",
        ]);
        let met: Vec<(String, Met)> = (0..120)
            .map(|i| {
                let rma = format!("M-{i}");
                let m = generate(&sb, &rma);
                (rma, m)
            })
            .collect();
        (met, rmas(&sb))
    };
    let (met, made) = run();
    let made_set: std::collections::HashSet<&String> = made.iter().collect();
    assert_eq!(made.len(), made_set.len(), "one code per call at most");
    let (mut dropped_made, mut dropped_not_made) = (0, 0);
    for (rma, m) in &met {
        let was_made = made_set.contains(rma);
        match m {
            // An answer or a 504 came after the call was carried out.
            Met::Answer | Met::GatewayTimeout => assert!(was_made, "{rma} {m:?}"),
            // --fail-rate fails before anything changes.
            Met::BadGateway | Met::Unavailable => assert!(!was_made, "{rma} {m:?}"),
            // A dropped connection is either: the client cannot tell.
            Met::Dropped if was_made => dropped_made += 1,
            Met::Dropped => dropped_not_made += 1,
        }
    }
    assert!(dropped_made > 0 && dropped_not_made > 0, "{met:?}");
    for kind in [
        Met::Answer,
        Met::BadGateway,
        Met::Unavailable,
        Met::GatewayTimeout,
    ] {
        assert!(met.iter().any(|(_, m)| *m == kind), "{kind:?} never met");
    }
    // The same seed and requests give the same failures, losses and codes.
    assert_eq!(run(), (met, made));
}

fn report_codes(sb: &Sandbox, limit: usize, offset: usize) -> Vec<String> {
    let r = sb.demo(
        "revloggetreport",
        &format!("<paczkomaty><paging><limit>{limit}</limit><offset>{offset}</offset></paging></paczkomaty>"),
    );
    assert_eq!(r.error_key_or_none(), None, "{}", r.body);
    items(&r.body)
        .iter()
        .map(|item| text(item, "code"))
        .collect()
}

#[test]
fn report_paging_can_misbehave() {
    let normal = Sandbox::start(&["--seed", "9"]);
    let ignore_offset = Sandbox::start(&["--seed", "9", "--report-paging", "ignore-offset"]);
    let ignore_limit = Sandbox::start(&["--seed", "9", "--report-paging", "ignore-limit"]);
    for sb in [&normal, &ignore_offset, &ignore_limit] {
        for i in 0..5 {
            active_code(sb, &format!("P-{i}"));
        }
    }
    let all = report_codes(&normal, 1000, 0);
    assert_eq!(all.len(), 5);
    assert_eq!(report_codes(&normal, 2, 2), all[2..4]);
    // Same seed, same codes; only the paging differs.
    assert_eq!(report_codes(&ignore_offset, 2, 0), all[0..2]);
    assert_eq!(
        report_codes(&ignore_offset, 2, 2),
        all[0..2],
        "the same page again"
    );
    assert_eq!(
        report_codes(&ignore_limit, 2, 0),
        all,
        "more rows than the limit"
    );
    assert_eq!(report_codes(&ignore_limit, 2, 3), all[3..]);
}
