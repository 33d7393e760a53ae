//! Every answer shape the API page describes, read from fixture files through the public API and
//! the JSON envelope.

use inpost_quick_returns::{envelope, parse_response, ErrorKind, Operation, Response};
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The envelope's value for a successful parse.
fn value(operation: &str, status: u16, name: &str) -> Value {
    let json: Value =
        serde_json::from_str(&envelope::parse_response(operation, status, &fixture(name))).unwrap();
    assert_eq!(json["ok"], true, "{json}");
    json["value"].clone()
}

/// The envelope's error for a failed parse.
fn error(operation: &str, status: u16, name: &str) -> Value {
    let json: Value =
        serde_json::from_str(&envelope::parse_response(operation, status, &fixture(name))).unwrap();
    assert_eq!(json["ok"], false, "{json}");
    json["error"].clone()
}

#[test]
fn documented_inactive_codes_answer_with_numbered_items() {
    let value = value(
        "generateInactiveCodes",
        200,
        "inactive_codes_documented.xml",
    );
    assert_eq!(
        value,
        serde_json::json!({"codes": [
            {"code": "1414764219", "active": false, "uuid": "12091fa7-61c0-4ebf-abf7-0fa80c53a3a5", "labelAttached": false, "extra": {}},
            {"code": "2687720481", "active": false, "uuid": "8bce4ad4-4249-4bcf-8f54-fb8c8b5f8e14", "labelAttached": false, "extra": {}},
        ]})
    );
}

#[test]
fn bom_crlf_indentation_and_loose_booleans_are_read() {
    let value = value("generateInactiveCodes", 200, "inactive_codes_bom_crlf.xml");
    let code = &value["codes"][0];
    assert_eq!(code["code"], "1414764219");
    assert_eq!(code["active"], false);
    assert_eq!(code["labelAttached"], false);
    assert_eq!(code["extra"]["note"], "line one\nline two");
}

#[test]
fn active_code_answer_keeps_unknown_elements() {
    let value = value("generateActiveCode", 200, "active_code.xml");
    assert_eq!(value["code"], "6397348744");
    assert_eq!(value["active"], true);
    assert_eq!(value["expirationDate"], "2022-10-10T11:00:00");
    assert_eq!(value["packType"], "A");
    assert_eq!(value["labelAttached"], false);
    assert_eq!(
        value["extra"],
        serde_json::json!({"qrCode": "iVBORw0KGgo="})
    );
}

#[test]
fn minimal_active_code_answer_has_nulls() {
    let value = value("generateActiveCode", 200, "active_code_minimal.xml");
    assert_eq!(value["code"], "6397348744");
    for absent in [
        "active",
        "expirationDate",
        "packType",
        "uuid",
        "labelAttached",
    ] {
        assert!(value[absent].is_null(), "{absent}");
    }
}

#[test]
fn activation_answer_is_read_tolerantly() {
    // InPost's answer to activation is undocumented: the same shape as the active code is read,
    // and an answer without a code is still a success.
    assert_eq!(
        value("activateCode", 200, "active_code.xml")["code"],
        "6397348744"
    );
    let value = value("activateCode", 200, "report_empty.xml");
    assert!(value["code"].is_null());
}

#[test]
fn invalidation_answer_has_valid_under_the_root() {
    assert_eq!(
        value("invalidateCode", 200, "invalidate_documented.xml"),
        serde_json::json!({"valid": false, "extra": {}})
    );
}

#[test]
fn report_records_map_known_fields_and_keep_the_rest_in_order() {
    let value = value("getReport", 200, "report.xml");
    let records = value["records"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    let first = &records[0];
    assert_eq!(first["operatorEmail"], "sklep@example.pl");
    assert_eq!(first["reverseReturnPackCode"], "670781097283000026014876");
    assert_eq!(first["reverseReturnPackStatus"], "InTransit");
    assert_eq!(first["used"], true);
    assert_eq!(
        first["returnDescription1"],
        "Zamówienie:312 <pilne> & szybkie"
    );
    assert_eq!(first["extra"].as_object().unwrap().len(), 4);
    // The JSON keeps InPost's order (serde_json's Value would sort it, so look at the text).
    let json = envelope::parse_response("getReport", 200, &fixture("report.xml"));
    let at = |name: &str| json.find(&format!("\"{name}\"")).unwrap();
    assert!(
        at("usedDate") < at("createDate")
            && at("createDate") < at("statusDate")
            && at("statusDate") < at("unknownColumn")
    );
    assert!(first["extra"]["unknownColumn"].is_null());
    let second = &records[1];
    assert!(second["reverseReturnPackCode"].is_null());
    assert_eq!(second["reverseReturnPackStatus"], "SomeNewStatus");
    assert_eq!(second["rma"], "Zwrot „124” <A>");
}

#[test]
fn report_items_with_a_repeated_name_are_read() {
    let value = value("getReport", 200, "report_repeated_names.xml");
    let codes: Vec<&str> = value["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["1", "2"]);
}

#[test]
fn empty_report_has_no_records() {
    assert_eq!(
        value("getReport", 200, "report_empty.xml"),
        serde_json::json!({"records": []})
    );
}

#[test]
fn documented_error_is_an_api_error_whatever_the_status() {
    for status in [200, 400, 500] {
        let error = error("getReport", status, "error_documented.xml");
        assert_eq!(error["kind"], "api");
        assert_eq!(error["key"], "NoPackageFound");
        assert_eq!(error["status"], status);
        assert!(error["message"]
            .as_str()
            .unwrap()
            .contains("Nie znaleziono paczki"));
    }
}

#[test]
fn error_without_key_is_still_an_api_error() {
    let error = error("invalidateCode", 200, "error_without_key.xml");
    assert_eq!(error["kind"], "api");
    assert!(error.get("key").is_none());
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("Błąd autoryzacji & brak dostępu"));
}

#[test]
fn html_error_page_is_an_unexpected_response_with_an_excerpt() {
    let error = error("generateActiveCode", 502, "bad_gateway.html");
    assert_eq!(error["kind"], "unexpected_response");
    assert_eq!(error["status"], 502);
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("502 Bad Gateway"), "{message}");
    assert!(message.len() < 400, "{message}");
}

#[test]
fn truncated_and_empty_bodies_are_unexpected() {
    let error = error("generateInactiveCodes", 200, "truncated.xml");
    assert_eq!(error["kind"], "unexpected_response");
    assert!(
        error["message"].as_str().unwrap().contains("truncated"),
        "{error}"
    );
    for body in [&b""[..], b"   \n", b"Service Unavailable", b"\xff\xfe<\x00"] {
        let err = parse_response(Operation::GetReport, 503, body).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{body:?}");
        assert_eq!(err.status(), Some(503));
    }
}

#[test]
fn entities_are_never_expanded() {
    for name in ["entity_expansion.xml", "external_entity.xml"] {
        let error = error("getReport", 200, name);
        assert_eq!(error["kind"], "unexpected_response", "{name}");
        assert!(
            error["message"].as_str().unwrap().contains("not expanded"),
            "{error}"
        );
        assert!(
            !error["message"].as_str().unwrap().contains("root:"),
            "{error}"
        );
    }
}

#[test]
fn answers_lacking_what_the_operation_needs_are_unexpected() {
    for (operation, body) in [
        (
            Operation::GenerateActiveCode,
            &b"<paczkomaty><return><active>true</active></return></paczkomaty>"[..],
        ),
        (
            Operation::GenerateInactiveCodes,
            b"<paczkomaty><return><0><uuid>x</uuid></0></return></paczkomaty>",
        ),
        (Operation::InvalidateCode, b"<paczkomaty/>"),
        (
            Operation::InvalidateCode,
            b"<paczkomaty><valid>maybe</valid></paczkomaty>",
        ),
        (Operation::GetReport, b"<html><body>hi</body></html>"),
    ] {
        let err = parse_response(operation, 200, body).unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::UnexpectedResponse,
            "{operation} {}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn success_status_is_required_without_an_error_element() {
    let err = parse_response(
        Operation::InvalidateCode,
        500,
        &fixture("invalidate_documented.xml"),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(err.status(), Some(500));
}

#[test]
fn deep_nesting_is_refused_not_recursed() {
    let body = format!(
        "<paczkomaty>{}{}</paczkomaty>",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    let err = parse_response(Operation::GetReport, 200, body.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
    assert!(err.to_string().contains("nested"), "{err}");
}

#[test]
fn unknown_nested_elements_are_flattened_into_extra() {
    let body = b"<paczkomaty><return><0><code>1</code><label><format>pdf</format><pages>2</pages></label><a>x</a><a>y</a></0></return></paczkomaty>";
    let Response::InactiveCodes(list) =
        parse_response(Operation::GenerateInactiveCodes, 200, body).unwrap()
    else {
        panic!()
    };
    let extra = &list.codes[0].extra;
    assert_eq!(extra.get("label.format"), Some("pdf"));
    assert_eq!(extra.get("label.pages"), Some("2"));
    assert_eq!(extra.get("a"), Some("x"));
    assert_eq!(extra.get("a#2"), Some("y"));
}

#[test]
fn text_is_borrowed_from_the_body_when_nothing_needs_unescaping() {
    let body = fixture("inactive_codes_documented.xml");
    let Response::InactiveCodes(list) =
        parse_response(Operation::GenerateInactiveCodes, 200, &body).unwrap()
    else {
        panic!()
    };
    assert!(matches!(
        list.codes[0].code,
        Some(std::borrow::Cow::Borrowed(_))
    ));
    let owned = Response::InactiveCodes(list).into_owned();
    drop(body);
    let Response::InactiveCodes(list) = owned else {
        panic!()
    };
    assert_eq!(list.codes[1].code.as_deref(), Some("2687720481"));
}

#[test]
fn unknown_operation_is_a_usage_error() {
    let json: Value = serde_json::from_str(&envelope::parse_response(
        "generateCode",
        200,
        b"<paczkomaty/>",
    ))
    .unwrap();
    assert_eq!(json["error"]["kind"], "usage");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("generateActiveCode"));
}
