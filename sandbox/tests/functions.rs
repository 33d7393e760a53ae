//! The five InPost functions and the test hooks, over real HTTP against the real binary.

mod common;

use common::*;
use inpost_returns_sandbox::time;

#[test]
fn generate_active_code_answers_like_inpost() {
    let sb = Sandbox::start(&[]);
    let r = sb.demo("revloggenerateactivecode", &active_content("123"));
    assert_eq!(r.status, 200);
    assert_xml_answer(&r);
    // A single code is well-formed XML; read it with a real parser.
    let doc = roxmltree::Document::parse(&r.body).unwrap();
    let ret = doc.root_element().first_element_child().unwrap();
    assert_eq!(ret.tag_name().name(), "return");
    let names: Vec<&str> = ret
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(
        names,
        [
            "code",
            "active",
            "expirationDate",
            "packType",
            "uuid",
            "labelAttached"
        ]
    );
    let code = text(&r.body, "code");
    assert_eq!(code.len(), 10);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(text(&r.body, "active"), "true");
    assert_eq!(text(&r.body, "expirationDate"), "2030-10-10T11:00:00");
    assert_eq!(text(&r.body, "packType"), "A");
    assert_eq!(text(&r.body, "labelAttached"), "false");
    let uuid = text(&r.body, "uuid");
    assert_eq!(uuid.len(), 36);
    assert_eq!(&uuid[14..15], "4");
}

#[test]
fn generate_active_code_with_address() {
    let sb = Sandbox::start(&[]);
    let content = active_content("A-1").replace(
        "</paczkomaty>",
        "<address><companyName>Sklep &amp; Syn</companyName><name>Jan</name><surname>Kowalski</surname><street>Długa</street><buildingNumber>5</buildingNumber><flatNumber>2</flatNumber><postCode>00-950</postCode><city>Warszawa</city></address></paczkomaty>",
    );
    let r = sb.demo("revloggenerateactivecode", &content);
    assert_eq!(r.error_key_or_none(), None, "{}", r.body);
}

#[test]
fn generate_inactive_codes_uses_numbered_items() {
    let sb = Sandbox::start(&[]);
    let r = sb.demo(
        "revloggenerateinactivecodes",
        "<paczkomaty><numberOfCodes>3</numberOfCodes></paczkomaty>",
    );
    assert_eq!(r.status, 200);
    assert_xml_answer(&r);
    assert!(r.body.contains("<return>\n <0><code>"), "{}", r.body);
    let items = items(&r.body);
    assert_eq!(items.len(), 3);
    for item in &items {
        assert!(item.starts_with("<code>"), "{item}");
        assert_eq!(text(item, "active"), "false");
        assert_eq!(text(item, "labelAttached"), "false");
        assert_eq!(text(item, "uuid").len(), 36);
    }
    // Faithful to InPost: the list is not well-formed XML.
    assert!(roxmltree::Document::parse(&r.body).is_err());
    let mut codes = texts(&r.body, "code");
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 3, "codes are unique");
}

#[test]
fn activate_exactly_once() {
    let sb = Sandbox::start(&[]);
    let codes = inactive_codes(&sb, 1);
    let r = sb.demo("revlogactivatecode", &activate_content(&codes[0]));
    assert_eq!(r.error_key_or_none(), None, "{}", r.body);
    assert_eq!(text(&r.body, "code"), codes[0]);
    assert_eq!(text(&r.body, "active"), "true");
    assert_eq!(text(&r.body, "packType"), "B");
    assert_eq!(text(&r.body, "expirationDate"), "2031-01-02T03:04:05");
    let again = sb.demo("revlogactivatecode", &activate_content(&codes[0]));
    assert_eq!(again.error_key().as_deref(), Some("CodeAlreadyActive"));
    // A code generated active cannot be activated either.
    let active = active_code(&sb, "1");
    let r = sb.demo("revlogactivatecode", &activate_content(&active));
    assert_eq!(r.error_key().as_deref(), Some("CodeAlreadyActive"));
    // Unknown code.
    let r = sb.demo("revlogactivatecode", &activate_content("0000000000"));
    assert_eq!(r.error_key().as_deref(), Some("CodeNotFound"));
}

#[test]
fn codes_belong_to_their_account() {
    let sb = Sandbox::start(&[
        "--account",
        "a@shop.pl:pa",
        "--account",
        "b@shop.pl:p&ss+w rd",
    ]);
    let r = sb.call(
        "revloggenerateinactivecodes",
        "a@shop.pl",
        "pa",
        "<paczkomaty><numberOfCodes>1</numberOfCodes></paczkomaty>",
    );
    let code = text(&r.body, "code");
    // b's password has &, + and a space: a correctly encoding client gets in.
    let r = sb.call(
        "revlogactivatecode",
        "b@shop.pl",
        "p&ss+w rd",
        &activate_content(&code),
    );
    assert_eq!(r.error_key().as_deref(), Some("CodeNotFound"));
    let r = sb.call(
        "revloginvalidatecode",
        "b@shop.pl",
        "p&ss+w rd",
        &format!("<paczkomaty><code>{code}</code></paczkomaty>"),
    );
    assert_eq!(r.error_key().as_deref(), Some("CodeNotFound"));
    // The demo account does not exist when accounts are given.
    let r = sb.demo("revloggetreport", "<paczkomaty/>");
    assert_eq!(r.error_key().as_deref(), Some("Unauthorized"));
    let r = sb.call(
        "revlogactivatecode",
        "a@shop.pl",
        "pa",
        &activate_content(&code),
    );
    assert_eq!(r.error_key_or_none(), None);
}

#[test]
fn invalidation_rules() {
    let sb = Sandbox::start(&[]);
    let codes = inactive_codes(&sb, 2);
    let invalidate = |code: &str| {
        sb.demo(
            "revloginvalidatecode",
            &format!("<paczkomaty><code>{code}</code></paczkomaty>"),
        )
    };
    let r = invalidate(&codes[0]);
    assert_eq!(r.status, 200);
    assert_xml_answer(&r);
    assert!(
        r.body
            .ends_with("<paczkomaty><valid>false</valid></paczkomaty>"),
        "{}",
        r.body
    );
    assert_eq!(
        invalidate(&codes[0]).error_key().as_deref(),
        Some("CodeInvalidated")
    );
    let r = sb.demo("revlogactivatecode", &activate_content(&codes[0]));
    assert_eq!(r.error_key().as_deref(), Some("CodeInvalidated"));
    // An activated code cannot be invalidated.
    sb.demo("revlogactivatecode", &activate_content(&codes[1]));
    assert_eq!(
        invalidate(&codes[1]).error_key().as_deref(),
        Some("CodeAlreadyActive")
    );
    // Neither can a used one.
    let used = active_code(&sb, "u");
    assert_eq!(
        sb.hook(
            "/_sandbox/parcel",
            &[("code", &used), ("status", "Created")]
        )
        .status,
        200
    );
    assert_eq!(
        invalidate(&used).error_key().as_deref(),
        Some("CodeAlreadyUsed")
    );
    assert_eq!(
        invalidate("1234").error_key().as_deref(),
        Some("CodeNotFound")
    );
}

fn report(sb: &Sandbox, filters: &str) -> Vec<String> {
    let r = sb.demo(
        "revloggetreport",
        &format!("<paczkomaty>{filters}</paczkomaty>"),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.error_key_or_none(), None, "{}", r.body);
    items(&r.body)
}

#[test]
fn report_records_and_hooks() {
    let sb = Sandbox::start(&[]);
    assert!(report(&sb, "").is_empty());
    let code = active_code(&sb, "R&amp;D-7");
    let recs = report(&sb, "");
    assert_eq!(recs.len(), 1);
    let rec = &recs[0];
    // Element names and order.
    let names: Vec<&str> = rec
        .split("</")
        .filter_map(|p| p.split_once('>').map(|(n, _)| n))
        .filter(|n| !n.starts_with('<'))
        .collect();
    assert_eq!(
        names,
        [
            "operatorEmail",
            "reverseReturnPackCode",
            "code",
            "rma",
            "active",
            "usedDate",
            "createDate",
            "senderPhone",
            "senderEmail",
            "reverseReturnPackStatus",
            "statusDate",
            "returnDescription1",
            "used"
        ],
        "{rec}"
    );
    assert_eq!(text(rec, "operatorEmail"), DEMO_EMAIL);
    assert_eq!(text(rec, "rma"), "R&amp;D-7", "escaped on the way out");
    assert!(rec.contains("<reverseReturnPackCode></reverseReturnPackCode>"));
    assert!(rec.contains("<usedDate></usedDate>"));
    assert_eq!(text(rec, "used"), "false");
    assert_eq!(text(rec, "active"), "true");
    assert_eq!(text(rec, "returnDescription1"), "Zamówienie:312");
    let created = text(rec, "createDate");
    assert!(
        created.len() == 19 && created.as_bytes()[10] == b'T',
        "{created}"
    );

    // Drop it at a locker, then move it on.
    let dropped = sb.hook(
        "/_sandbox/parcel",
        &[("code", &code), ("status", "Created")],
    );
    assert_eq!(dropped.status, 200, "{}", dropped.body);
    assert_eq!(dropped.header("Content-Type"), Some("application/json"));
    let pack = dropped
        .body
        .split("\"reverseReturnPackCode\":\"")
        .nth(1)
        .unwrap()[..24]
        .to_string();
    assert!(pack.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(
        dropped.body,
        format!("{{\"code\":\"{code}\",\"reverseReturnPackCode\":\"{pack}\",\"reverseReturnPackStatus\":\"Created\"}}")
    );
    let rec = &report(&sb, "")[0];
    assert_eq!(text(rec, "used"), "true");
    assert_eq!(text(rec, "reverseReturnPackCode"), pack);
    assert_eq!(text(rec, "reverseReturnPackStatus"), "Created");
    assert_eq!(text(rec, "usedDate").len(), 19);
    for status in ["InTransit", "Delivered"] {
        let r = sb.hook("/_sandbox/parcel", &[("code", &code), ("status", status)]);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(text(&report(&sb, "")[0], "reverseReturnPackStatus"), status);
    }
    assert_eq!(
        report(&sb, &format!("<packCode>{pack}</packCode>")).len(),
        1
    );
    assert_eq!(
        report(&sb, "<packCode>000000000000000000000000</packCode>").len(),
        0
    );
}

#[test]
fn report_filters() {
    let sb = Sandbox::start(&[]);
    let a = active_code(&sb, "first");
    let b = active_code(&sb, "second");
    let inactive = inactive_codes(&sb, 2);
    sb.demo(
        "revloginvalidatecode",
        &format!("<paczkomaty><code>{}</code></paczkomaty>", inactive[1]),
    );
    sb.hook("/_sandbox/parcel", &[("code", &b), ("status", "Created")]);

    let codes = |filters: &str| {
        report(&sb, filters)
            .iter()
            .map(|r| text(r, "code"))
            .collect::<Vec<_>>()
    };
    // Default: active codes (used or not), creation order; never inactive or invalidated ones.
    assert_eq!(codes(""), vec![a.clone(), b.clone()]);
    assert_eq!(codes("<active>true</active>"), vec![a.clone(), b.clone()]);
    assert_eq!(codes("<active>false</active>"), vec![inactive[0].clone()]);
    assert_eq!(codes("<used>true</used>"), vec![b.clone()]);
    assert_eq!(codes("<used>false</used>"), vec![a.clone()]);
    assert_eq!(
        codes("<used>false</used><active>false</active>"),
        vec![inactive[0].clone()]
    );
    assert_eq!(codes(&format!("<code>{a}</code>")), vec![a.clone()]);
    assert_eq!(codes("<rma>second</rma>"), vec![b.clone()]);
    assert_eq!(codes("<rma>nope</rma>"), Vec::<String>::new());
    // Empty optional filters count as absent.
    assert_eq!(codes("<used></used><rma/>"), vec![a.clone(), b.clone()]);
}

#[test]
fn report_date_range_is_inclusive_on_creation_day() {
    let sb = Sandbox::start(&[]);
    active_code(&sb, "x");
    let today = (time::now() / 86_400) as i64;
    let day = |d: i64| {
        let (y, m, dd) = time::civil_from_days(d);
        format!("{y:04}-{m:02}-{dd:02}")
    };
    let range = |start: &str, end: &str| {
        report(
            &sb,
            &format!(
                "<dateRange><startDate>{start}</startDate><endDate>{end}</endDate></dateRange>"
            ),
        )
        .len()
    };
    assert_eq!(range(&day(today - 1), &day(today + 1)), 1);
    assert_eq!(range("2000-01-01", "2000-12-31"), 0);
    assert_eq!(range(&day(today + 1), "2999-12-31"), 0);
    assert_eq!(range("2000-01-01", &day(today - 1)), 0);
    // One open end.
    assert_eq!(
        report(
            &sb,
            &format!(
                "<dateRange><startDate>{}</startDate></dateRange>",
                day(today - 1)
            )
        )
        .len(),
        1
    );
    assert_eq!(
        report(&sb, "<dateRange><endDate>2000-01-01</endDate></dateRange>").len(),
        0
    );
}

#[test]
fn report_paging() {
    let sb = Sandbox::start(&[]);
    for i in 0..5 {
        active_code(&sb, &format!("r{i}"));
    }
    let rmas = |limit: usize, offset: usize| {
        report(
            &sb,
            &format!("<paging><limit>{limit}</limit><offset>{offset}</offset></paging>"),
        )
        .iter()
        .map(|r| text(r, "rma"))
        .collect::<Vec<_>>()
    };
    assert_eq!(rmas(2, 0), ["r0", "r1"]);
    assert_eq!(rmas(2, 2), ["r2", "r3"]);
    assert_eq!(rmas(2, 4), ["r4"]);
    assert_eq!(rmas(1000, 5), Vec::<String>::new());
    assert_eq!(rmas(1, 999_999_999), Vec::<String>::new());
    assert_eq!(report(&sb, "<paging><limit>3</limit></paging>").len(), 3);
    assert_eq!(report(&sb, "<paging><offset>3</offset></paging>").len(), 2);
}

#[test]
fn hooks_refuse_wrong_moves() {
    let sb = Sandbox::start(&[]);
    let inactive = inactive_codes(&sb, 1);
    let active = active_code(&sb, "x");
    let parcel = |code: &str, status: &str| {
        sb.hook("/_sandbox/parcel", &[("code", code), ("status", status)])
    };
    let status_of = |r: Reply| {
        assert_eq!(r.header("Content-Type"), Some("application/json"));
        assert!(
            r.body.starts_with("{\"ok\":false,\"error\":\""),
            "{}",
            r.body
        );
        r.status
    };
    assert_eq!(
        status_of(parcel(&inactive[0], "Created")),
        409,
        "inactive code"
    );
    assert_eq!(
        status_of(parcel(&active, "InTransit")),
        409,
        "not dropped yet"
    );
    assert_eq!(
        status_of(parcel(&active, "Teleported")),
        400,
        "unknown status"
    );
    assert_eq!(
        status_of(parcel("9999999999", "Created")),
        404,
        "unknown code"
    );
    assert_eq!(
        status_of(sb.hook("/_sandbox/parcel", &[("code", &active)])),
        400,
        "missing status"
    );
    assert_eq!(parcel(&active, "Created").status, 200);
    assert_eq!(status_of(parcel(&active, "Created")), 409, "dropped twice");
    // The old Paczkomat API vocabulary is accepted, including its typo.
    for s in [
        "Prepared",
        "Sent",
        "Stored",
        "Avizo",
        "Expired",
        "RetunedToAgency",
        "Cancelled",
        "Claimed",
        "ClaimProcessed",
    ] {
        assert_eq!(parcel(&active, s).status, 200, "{s}");
    }
    let get = sb.request("GET", "/_sandbox/parcel", &[], b"").reply();
    assert_eq!(get.status, 405);
    assert_eq!(get.header("Allow"), Some("POST"));
    assert_eq!(
        status_of(sb.request("POST", "/_sandbox/nothing", &[], b"").reply()),
        404
    );
}

#[test]
fn reset_and_health() {
    let sb = Sandbox::start(&[]);
    active_code(&sb, "x");
    inactive_codes(&sb, 3);
    let r = sb.request("POST", "/_sandbox/reset", &[], b"").reply();
    assert_eq!((r.status, r.body.as_str()), (200, "{\"ok\":true}"));
    assert!(report(&sb, "").is_empty());
    assert!(report(&sb, "<active>false</active>").is_empty());
    let h = sb.request("GET", "/_sandbox/health", &[], b"").reply();
    assert_eq!((h.status, h.body.as_str()), (200, "ok"));
    let head = sb.request("HEAD", "/_sandbox/health", &[], b"").reply();
    assert_eq!(
        (
            head.status,
            head.header("Content-Length"),
            head.body.as_str()
        ),
        (200, Some("2"), "")
    );
}

#[test]
fn keep_alive_and_chunked_requests() {
    use std::net::TcpStream;
    let sb = Sandbox::start(&[]);
    let mut stream = TcpStream::connect(&sb.addr).unwrap();
    let body = form(&[
        ("email", DEMO_EMAIL),
        ("password", DEMO_PASSWORD),
        ("content", &active_content("k")),
    ]);
    let ct = ("Content-Type", "application/x-www-form-urlencoded");
    for _ in 0..3 {
        write_request(
            &mut stream,
            &sb.addr,
            "POST",
            "/?do=revloggenerateactivecode",
            &[ct],
            body.as_bytes(),
            false,
        );
        let r = read_response(&mut stream).reply();
        assert_eq!(r.header("Connection"), Some("keep-alive"));
        assert_eq!(r.error_key_or_none(), None);
    }
    // Chunked body, split at an awkward place.
    let (a, b) = body.split_at(7);
    let chunked = format!("{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n", a.len(), b.len());
    write_request(
        &mut stream,
        &sb.addr,
        "POST",
        "/?do=revloggenerateactivecode",
        &[ct, ("Transfer-Encoding", "chunked")],
        chunked.as_bytes(),
        true,
    );
    let r = read_response(&mut stream).reply();
    assert_eq!(r.header("Connection"), Some("close"));
    assert_eq!(r.error_key_or_none(), None, "{}", r.body);
    assert_eq!(report(&sb, "").len(), 4);
}
