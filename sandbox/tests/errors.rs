//! Every class of error, over real HTTP: InPost-style `<error key="…">` answers.

mod common;

use common::*;

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

/// Asserts an API error: HTTP 200, InPost's answer shape, this key, a Polish message.
fn assert_error(r: &Reply, key: &str) {
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.error_key().as_deref(), Some(key), "{}", r.body);
}

#[test]
fn validation_errors_of_generate_active_code() {
    let sb = Sandbox::start(&[]);
    let ok = active_content("123");
    let with = |from: &str, to: &str| {
        assert!(ok.contains(from), "{from}");
        ok.replace(from, to)
    };
    let address = |inner: &str| {
        ok.replace(
            "</paczkomaty>",
            &format!("<address>{inner}</address></paczkomaty>"),
        )
    };
    let full_address = "<name>Jan</name><surname>Nowak</surname><street>Polna</street><buildingNumber>1</buildingNumber><flatNumber>2</flatNumber><postCode>30-001</postCode><city>Kraków</city>";
    let cases: Vec<(String, &str)> = vec![
        (with("<rma>123</rma>", ""), "MissingField"),
        (with("<rma>123</rma>", "<rma>  </rma>"), "MissingField"),
        (with("<packType>A</packType>", ""), "MissingField"),
        (
            with("<senderEmail>szybkie.zwroty@inpost.pl</senderEmail>", ""),
            "MissingField",
        ),
        (with(">A<", ">D<"), "InvalidPackType"),
        (with(">A<", ">a<"), "InvalidPackType"),
        (with("333222111", "+48333222111"), "InvalidPhone"),
        (with("333222111", "33322211"), "InvalidPhone"),
        (with("333222111", "333 222 111"), "InvalidPhone"),
        (
            with("szybkie.zwroty@inpost.pl", "szybkie.zwroty.inpost.pl"),
            "InvalidEmail",
        ),
        (
            with("2030-10-10T11:00:00", "2030-02-30T11:00:00"),
            "InvalidDate",
        ),
        (
            with("2030-10-10T11:00:00", "2030-10-10 11:00:00"),
            "InvalidDate",
        ),
        (
            with("2030-10-10T11:00:00", "2030-10-10T25:00:00"),
            "InvalidDate",
        ),
        (
            with("<rma>", "<rmaa>").replace("</rma>", "</rmaa>"),
            "UnknownField",
        ),
        (
            with("<rma>123</rma>", "<rma>1</rma><rma>2</rma>"),
            "DuplicateField",
        ),
        (address(full_address), "OK"),
        (
            address(&full_address.replace("30-001", "30001")),
            "InvalidPostCode",
        ),
        (
            address(&full_address.replace("<city>Kraków</city>", "")),
            "MissingField",
        ),
        (
            address(&full_address.replace("<flatNumber>2</flatNumber>", "")),
            "MissingField",
        ),
        (
            address(&format!("{full_address}<phone>12</phone>")),
            "InvalidPhone",
        ),
        (
            address(&format!("{full_address}<email>x</email>")),
            "InvalidEmail",
        ),
        (
            address(&format!("{full_address}<country>PL</country>")),
            "UnknownField",
        ),
        (address(""), "MissingField"),
    ];
    for (content, key) in cases {
        let r = sb.demo("revloggenerateactivecode", &content);
        if key == "OK" {
            assert_eq!(r.error_key_or_none(), None, "{content}: {}", r.body);
        } else {
            assert_error(&r, key);
        }
    }
}

#[test]
fn validation_errors_of_the_other_functions() {
    let sb = Sandbox::start(&[]);
    let cases: &[(&str, &str, &str)] = &[
        ("revloggenerateinactivecodes", "<paczkomaty/>", "MissingField"),
        ("revloggenerateinactivecodes", "<paczkomaty><numberOfCodes>0</numberOfCodes></paczkomaty>", "InvalidNumberOfCodes"),
        ("revloggenerateinactivecodes", "<paczkomaty><numberOfCodes>two</numberOfCodes></paczkomaty>", "InvalidNumberOfCodes"),
        ("revloggenerateinactivecodes", "<paczkomaty><numberOfCodes>-3</numberOfCodes></paczkomaty>", "InvalidNumberOfCodes"),
        ("revloggenerateinactivecodes", "<paczkomaty><numberOfCodes>1001</numberOfCodes></paczkomaty>", "TooManyCodes"),
        ("revlogactivatecode", "<paczkomaty><packType>A</packType></paczkomaty>", "MissingField"),
        ("revloginvalidatecode", "<paczkomaty><code></code></paczkomaty>", "MissingField"),
        ("revloginvalidatecode", "<paczkomaty><code>1</code><rma>x</rma></paczkomaty>", "UnknownField"),
        ("revloggetreport", "<paczkomaty><used>yes</used></paczkomaty>", "InvalidBoolean"),
        ("revloggetreport", "<paczkomaty><active>1</active></paczkomaty>", "InvalidBoolean"),
        ("revloggetreport", "<paczkomaty><dateRange><startDate>2022-13-01</startDate></dateRange></paczkomaty>", "InvalidDate"),
        ("revloggetreport", "<paczkomaty><dateRange><endDate>2022-01-10T00:00:00</endDate></dateRange></paczkomaty>", "InvalidDate"),
        ("revloggetreport", "<paczkomaty><paging><limit>0</limit></paging></paczkomaty>", "InvalidPaging"),
        ("revloggetreport", "<paczkomaty><paging><limit>1001</limit></paging></paczkomaty>", "InvalidPaging"),
        ("revloggetreport", "<paczkomaty><paging><offset>-1</offset></paging></paczkomaty>", "InvalidPaging"),
        ("revloggetreport", "<paczkomaty><paging><page>1</page></paging></paczkomaty>", "UnknownField"),
        ("revloggetreport", "<paczkomaty><paging>10</paging></paczkomaty>", "InvalidXml"),
    ];
    for (function, content, key) in cases {
        let r = sb.demo(function, content);
        assert_eq!(
            r.error_key().as_deref(),
            Some(*key),
            "{function} {content}: {}",
            r.body
        );
        assert_eq!(r.status, 200);
    }
    // The per-request cap is the sandbox's own and says so.
    let r = sb.demo(
        "revloggenerateinactivecodes",
        "<paczkomaty><numberOfCodes>5000</numberOfCodes></paczkomaty>",
    );
    assert!(r.body.contains("limit piaskownicy"), "{}", r.body);
}

#[test]
fn malformed_xml() {
    let sb = Sandbox::start(&[]);
    for content in [
        "<paczkomaty><code>1</code>",
        "<paczkomaty><code>1</cod></paczkomaty>",
        "just text",
        "<other><code>1</code></other>",
        "<paczkomaty>stray<code>1</code></paczkomaty>",
        "<paczkomaty><code><b>1</b></code></paczkomaty>",
        "<paczkomaty><code>&nbsp;</code></paczkomaty>",
        "<!DOCTYPE paczkomaty [<!ENTITY x \"1\">]><paczkomaty><code>&x;</code></paczkomaty>",
        "<paczkomaty><0>1</0></paczkomaty>",
    ] {
        let r = sb.demo("revloginvalidatecode", content);
        assert_error(&r, "InvalidXml");
        assert!(r.body.contains("Nieprawidłowy dokument XML"), "{}", r.body);
    }
}

#[test]
fn credentials_and_form_fields() {
    let sb = Sandbox::start(&[]);
    let content = "<paczkomaty/>";
    assert_error(
        &sb.call("revloggetreport", DEMO_EMAIL, "wrong", content),
        "Unauthorized",
    );
    assert_error(
        &sb.call(
            "revloggetreport",
            "other@example.com",
            DEMO_PASSWORD,
            content,
        ),
        "Unauthorized",
    );
    assert_error(
        &sb.call("revloggetreport", DEMO_EMAIL, "", content),
        "MissingField",
    );
    assert_error(
        &sb.call("revloggetreport", DEMO_EMAIL, DEMO_PASSWORD, ""),
        "MissingField",
    );
    let post = |body: &[u8]| {
        sb.request("POST", "/?do=revloggetreport", &[FORM], body)
            .reply()
    };
    assert_error(
        &post(b"email=demo%40example.com&content=%3Cpaczkomaty%2F%3E"),
        "MissingField",
    );
    assert_error(&post(b""), "MissingField");
    // Credentials are checked before the XML is even read.
    assert_error(
        &sb.call("revloggetreport", DEMO_EMAIL, "wrong", "not xml"),
        "Unauthorized",
    );
    // Broken encodings.
    assert_error(
        &post(b"email=demo%40example.com&password=demo-password&content=%ZZ"),
        "InvalidFormEncoding",
    );
    assert_error(
        &post(b"email=demo%40example.com&password=demo-password&content=%FF%FE"),
        "InvalidFormEncoding",
    );
    assert_error(
        &post(b"email=demo%40example.com&password=demo-password&content=\xff"),
        "InvalidFormEncoding",
    );
    assert_error(
        &post(b"email=a&email=b&password=demo-password&content=x"),
        "DuplicateField",
    );
    // A client that does not encode `&` in a password: `password=p&ss` is `p` plus a stray field.
    let sb2 = Sandbox::start(&["--account", "shop@example.com:p&ss"]);
    let raw = b"email=shop@example.com&password=p&ss&content=%3Cpaczkomaty%2F%3E";
    let r = sb2
        .request("POST", "/?do=revloggetreport", &[FORM], raw)
        .reply();
    assert_error(&r, "Unauthorized");
}

#[test]
fn transport_level_errors() {
    let sb = Sandbox::start(&[]);
    let body = form(&[
        ("email", DEMO_EMAIL),
        ("password", DEMO_PASSWORD),
        ("content", "<paczkomaty/>"),
    ]);
    // Wrong or missing Content-Type.
    let r = sb
        .request(
            "POST",
            "/?do=revloggetreport",
            &[("Content-Type", "text/xml")],
            body.as_bytes(),
        )
        .reply();
    assert_error(&r, "InvalidContentType");
    let r = sb
        .request("POST", "/?do=revloggetreport", &[], body.as_bytes())
        .reply();
    assert_error(&r, "InvalidContentType");
    // Parameters on the content type are fine.
    let ct = (
        "Content-Type",
        "application/x-www-form-urlencoded; charset=UTF-8",
    );
    let r = sb
        .request("POST", "/?do=revloggetreport", &[ct], body.as_bytes())
        .reply();
    assert_eq!(r.error_key_or_none(), None);
    // Unknown or missing function (names are exact, lower case).
    for target in [
        "/?do=revloggetreports",
        "/?do=revlogGetReport",
        "/",
        "/?foo=bar",
    ] {
        let r = sb.request("POST", target, &[FORM], body.as_bytes()).reply();
        assert_error(&r, "UnknownFunction");
    }
    // Non-POST.
    for method in ["GET", "PUT", "DELETE"] {
        let r = sb.request(method, "/?do=revloggetreport", &[], b"").reply();
        assert_eq!(r.status, 405);
        assert_eq!(r.header("Allow"), Some("POST"));
        assert_eq!(r.error_key().as_deref(), Some("MethodNotAllowed"));
    }
    // Unknown path.
    let r = sb
        .request("POST", "/api/?do=revloggetreport", &[FORM], body.as_bytes())
        .reply();
    assert_eq!(r.status, 404);
    assert_eq!(r.error_key().as_deref(), Some("NotFound"));
}

#[test]
fn huge_bodies_are_refused() {
    let sb = Sandbox::start(&[]);
    // Announced too large: refused before the body is read.
    let r = sb
        .request(
            "POST",
            "/?do=revloggetreport",
            &[FORM, ("Content-Length", "2097152")],
            b"",
        )
        .reply();
    assert_eq!(r.status, 413);
    assert_eq!(r.error_key().as_deref(), Some("RequestTooLarge"));
    assert_eq!(r.header("Connection"), Some("close"));
    // Actually sent: 1.5 MiB of form data.
    let mut big = form(&[("email", DEMO_EMAIL), ("password", DEMO_PASSWORD)]).into_bytes();
    big.extend_from_slice(b"&content=");
    big.extend(vec![b'a'; 1536 * 1024]);
    let r = sb
        .request("POST", "/?do=revloggetreport", &[FORM], &big)
        .reply();
    assert_eq!(r.status, 413);
    // Just under the cap is read (and then fails as XML, which is fine).
    let mut under = form(&[("email", DEMO_EMAIL), ("password", DEMO_PASSWORD)]).into_bytes();
    under.extend_from_slice(b"&content=");
    under.extend(vec![b'a'; 1000 * 1024]);
    let r = sb
        .request("POST", "/?do=revloggetreport", &[FORM], &under)
        .reply();
    assert_error(&r, "InvalidXml");
    // The server is still fine.
    assert_eq!(
        sb.request("GET", "/_sandbox/health", &[], b"")
            .reply()
            .status,
        200
    );
}

#[test]
fn garbage_on_the_wire_is_answered_and_survived() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    let sb = Sandbox::start(&[]);
    for raw in [
        &b"\x00\x01\x02 nonsense\r\n\r\n"[..],
        b"POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nnothex\r\n",
    ] {
        let mut s = TcpStream::connect(&sb.addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(60)))
            .unwrap();
        s.write_all(raw).unwrap();
        let mut got = Vec::new();
        let _ = s.read_to_end(&mut got);
        let got = String::from_utf8_lossy(&got);
        assert!(got.starts_with("HTTP/1.1 400 "), "{got}");
    }
    // A client that connects and leaves.
    drop(TcpStream::connect(&sb.addr).unwrap());
    assert_eq!(
        sb.request("GET", "/_sandbox/health", &[], b"")
            .reply()
            .status,
        200
    );
}

#[test]
fn random_bytes_do_not_hurt_the_server() {
    use inpost_returns_sandbox::rng::XorShift;
    use std::io::{Read, Write};
    use std::net::{Shutdown, TcpStream};
    let sb = Sandbox::start(&[]);
    let mut rng = XorShift::new(5);
    for i in 0..60 {
        let len = 1 + rng.below(600) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
        if i % 2 == 0 {
            // Half of them start like a real request, so the garbage reaches the header parser.
            let mut real = b"POST /?do=revloggetreport HTTP/1.1\r\n".to_vec();
            real.append(&mut bytes);
            bytes = real;
        }
        let mut s = TcpStream::connect(&sb.addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(60)))
            .unwrap();
        let _ = s.write_all(&bytes);
        let _ = s.shutdown(Shutdown::Write);
        let mut got = Vec::new();
        let _ = s.read_to_end(&mut got);
        assert!(got.is_empty() || got.starts_with(b"HTTP/1.1 "), "{got:?}");
    }
    let r = sb.demo("revloggetreport", "<paczkomaty/>");
    assert_eq!(r.status, 200);
    assert_eq!(r.error_key_or_none(), None);
}

#[test]
fn code_state_errors() {
    let sb = Sandbox::start(&[]);
    let codes = inactive_codes(&sb, 2);
    assert_error(
        &sb.demo("revlogactivatecode", &activate_content("0000000001")),
        "CodeNotFound",
    );
    sb.demo("revlogactivatecode", &activate_content(&codes[0]));
    assert_error(
        &sb.demo("revlogactivatecode", &activate_content(&codes[0])),
        "CodeAlreadyActive",
    );
    sb.demo(
        "revloginvalidatecode",
        &format!("<paczkomaty><code>{}</code></paczkomaty>", codes[1]),
    );
    assert_error(
        &sb.demo("revlogactivatecode", &activate_content(&codes[1])),
        "CodeInvalidated",
    );
    sb.hook(
        "/_sandbox/parcel",
        &[("code", &codes[0]), ("status", "Created")],
    );
    assert_error(
        &sb.demo(
            "revloginvalidatecode",
            &format!("<paczkomaty><code>{}</code></paczkomaty>", codes[0]),
        ),
        "CodeAlreadyUsed",
    );
}
