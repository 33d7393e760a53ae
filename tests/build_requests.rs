//! Building requests through the public API and the JSON envelope: the exact wire format, and
//! every validation failure naming its field.

mod common;

use common::{field, form_decode, xml_leaves};
use inpost_quick_returns::{
    build_request, envelope, ActiveCodeInput, Config, Environment, Request,
};
use serde_json::{json, Value};

const CONFIG: &str =
    r#"{"environment": "production", "email": "sklep@example.pl", "password": "p&ss+word= 100%"}"#;

fn build(operation: &str, input: Value) -> Value {
    serde_json::from_str(&envelope::build_request(
        operation,
        CONFIG,
        &input.to_string(),
    ))
    .unwrap()
}

fn built(operation: &str, input: Value) -> (String, Vec<(String, String)>) {
    let envelope = build(operation, input);
    assert_eq!(envelope["ok"], true, "{envelope}");
    let request = &envelope["value"];
    assert_eq!(request["method"], "POST");
    assert_eq!(
        request["headers"],
        json!({"Content-Type": "application/x-www-form-urlencoded"})
    );
    let fields = form_decode(request["body"].as_str().unwrap());
    (request["url"].as_str().unwrap().to_owned(), fields)
}

fn content(operation: &str, input: Value) -> String {
    field(&built(operation, input).1, "content")
}

fn failure(operation: &str, config: &str, input: Value) -> Value {
    let envelope: Value = serde_json::from_str(&envelope::build_request(
        operation,
        config,
        &input.to_string(),
    ))
    .unwrap();
    assert_eq!(envelope["ok"], false, "{envelope}");
    envelope["error"].clone()
}

fn invalid_field(operation: &str, input: Value) -> String {
    let error = failure(operation, CONFIG, input);
    assert_eq!(error["kind"], "invalid_input", "{error}");
    let field = error["field"].as_str().unwrap().to_owned();
    assert!(
        error["message"].as_str().unwrap().starts_with(&field),
        "{error}"
    );
    field
}

fn active_input() -> Value {
    json!({
        "rma": "123", "packType": "A", "expirationDate": "2022-10-10T11:00:00",
        "senderPhone": "333222111", "senderEmail": "szybkie.zwroty@inpost.pl", "returnDescription1": "Zamówienie:312"
    })
}

#[test]
fn documented_active_code_example_is_reproduced_exactly() {
    let (url, fields) = built("generateActiveCode", active_input());
    assert_eq!(
        url,
        "https://api.paczkomaty.pl/?do=revloggenerateactivecode"
    );
    let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["email", "password", "content"]);
    assert_eq!(field(&fields, "email"), "sklep@example.pl");
    assert_eq!(field(&fields, "password"), "p&ss+word= 100%");
    assert_eq!(
        field(&fields, "content"),
        "<paczkomaty><rma>123</rma><packType>A</packType><expirationDate>2022-10-10T11:00:00</expirationDate><senderPhone>333222111</senderPhone><senderEmail>szybkie.zwroty@inpost.pl</senderEmail><returnDescription1>Zamówienie:312</returnDescription1></paczkomaty>"
    );
}

#[test]
fn each_operation_calls_its_function() {
    let inputs = [
        (
            "generateActiveCode",
            active_input(),
            "revloggenerateactivecode",
        ),
        (
            "generateInactiveCodes",
            json!({"numberOfCodes": 2}),
            "revloggenerateinactivecodes",
        ),
        (
            "activateCode",
            json!({"code": "2991513940", "packType": "b", "expirationDate": "2022-10-10T11:00:00", "senderPhone": "+48 600-100-200", "senderEmail": "a@b.pl"}),
            "revlogactivatecode",
        ),
        (
            "invalidateCode",
            json!({"code": "2991513940"}),
            "revloginvalidatecode",
        ),
        ("getReport", json!({}), "revloggetreport"),
    ];
    for (operation, input, function) in inputs {
        let (url, _) = built(operation, input);
        assert_eq!(url, format!("https://api.paczkomaty.pl/?do={function}"));
    }
}

#[test]
fn documented_small_requests() {
    assert_eq!(
        content("generateInactiveCodes", json!({"numberOfCodes": 2})),
        "<paczkomaty><numberOfCodes>2</numberOfCodes></paczkomaty>"
    );
    assert_eq!(
        content("invalidateCode", json!({"code": "2991513940"})),
        "<paczkomaty><code>2991513940</code></paczkomaty>"
    );
    assert_eq!(content("getReport", json!({})), "<paczkomaty></paczkomaty>");
}

#[test]
fn activation_normalises_phone_and_pack_type_and_omits_missing_rma() {
    let content = content(
        "activateCode",
        json!({"code": "2991513940", "packType": "c", "expirationDate": "2022-10-10T11:00:00", "senderPhone": "0048 600 100 200", "senderEmail": "a@b.pl"}),
    );
    assert_eq!(
        content,
        "<paczkomaty><code>2991513940</code><packType>C</packType><expirationDate>2022-10-10T11:00:00</expirationDate><senderPhone>600100200</senderPhone><senderEmail>a@b.pl</senderEmail></paczkomaty>"
    );
}

#[test]
fn report_filters_are_written_in_the_documented_order() {
    let content = content(
        "getReport",
        json!({"rma": "123", "code": "6397348744", "used": true, "active": false, "packCode": "670781097283000026014876",
               "paging": {"offset": 0, "limit": 1000}, "dateRange": {"startDate": "2022-01-10", "endDate": "2022-07-20"}}),
    );
    assert_eq!(
        content,
        "<paczkomaty><used>true</used><active>false</active><packCode>670781097283000026014876</packCode><code>6397348744</code><rma>123</rma><dateRange><startDate>2022-01-10</startDate><endDate>2022-07-20</endDate></dateRange><paging><limit>1000</limit><offset>0</offset></paging></paczkomaty>"
    );
}

#[test]
fn address_uses_the_provisional_names_in_order() {
    let mut input = active_input();
    input["address"] = json!({
        "companyName": "Sklep & Syn", "name": "Jan", "surname": "Kowalski", "email": "zwroty@sklep.pl", "phone": "+48 600 100 200",
        "street": "Prosta", "buildingNumber": "1", "flatNumber": "2", "postCode": "00-950", "city": "Warszawa", "province": "mazowieckie"
    });
    let leaves = xml_leaves(&content("generateActiveCode", input));
    let address: Vec<(String, String)> = leaves
        .into_iter()
        .filter(|(path, _)| path.starts_with("address/"))
        .collect();
    let expected = [
        ("companyName", "Sklep & Syn"),
        ("name", "Jan"),
        ("surname", "Kowalski"),
        ("email", "zwroty@sklep.pl"),
        ("phone", "600100200"),
        ("street", "Prosta"),
        ("buildingNumber", "1"),
        ("flatNumber", "2"),
        ("postCode", "00-950"),
        ("city", "Warszawa"),
        ("province", "mazowieckie"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(n, v)| (format!("address/{n}"), v.to_string()))
        .collect();
    assert_eq!(address, expected);
}

#[test]
fn empty_optional_address_fields_are_absent() {
    // HTML forms send "" for an input left empty: optional e-mail and phone are then left out,
    // like every other optional field, instead of being refused as required.
    let mut input = active_input();
    input["address"] = json!({
        "companyName": "", "name": "Jan", "surname": "Kowalski", "email": "", "phone": "",
        "street": "Prosta", "buildingNumber": "1", "flatNumber": "2", "postCode": "00-950", "city": "Warszawa", "province": ""
    });
    let address: Vec<String> = xml_leaves(&content("generateActiveCode", input))
        .into_iter()
        .filter_map(|(path, _)| path.strip_prefix("address/").map(str::to_owned))
        .collect();
    assert_eq!(
        address,
        [
            "name",
            "surname",
            "street",
            "buildingNumber",
            "flatNumber",
            "postCode",
            "city"
        ]
    );
    for (name, blank) in [("email", " "), ("phone", "  ")] {
        let mut input = active_input();
        input["address"] = json!({
            "name": "Jan", "surname": "Kowalski", "street": "Prosta", "buildingNumber": "1",
            "flatNumber": "2", "postCode": "00-950", "city": "Warszawa", name: blank
        });
        assert_eq!(
            invalid_field("generateActiveCode", input),
            format!("address.{name}")
        );
    }
}

#[test]
fn tricky_text_survives_form_and_xml_decoding() {
    let tricky = "a&b <c> ]]> \"q\" 'a' ąęłóżźćń 😀 tab\there\r\nnew line &amp; %41 +";
    let mut input = active_input();
    input["rma"] = json!(tricky);
    input["returnDescription1"] = json!(tricky);
    let leaves = xml_leaves(&content("generateActiveCode", input));
    assert_eq!(leaves[0], ("rma".to_owned(), tricky.to_owned()));
    assert_eq!(
        leaves.last().unwrap(),
        &("returnDescription1".to_owned(), tricky.to_owned())
    );
}

#[test]
fn every_invalid_value_names_its_field() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("generateActiveCode", json!({}), "rma"),
        ("generateActiveCode", json!({"rma": "  "}), "rma"),
        (
            "generateActiveCode",
            with(active_input(), "packType", json!("D")),
            "packType",
        ),
        (
            "generateActiveCode",
            with(
                active_input(),
                "expirationDate",
                json!("2022-02-30T10:00:00"),
            ),
            "expirationDate",
        ),
        (
            "generateActiveCode",
            with(active_input(), "expirationDate", json!("2022-10-10 11:00")),
            "expirationDate",
        ),
        (
            "generateActiveCode",
            with(active_input(), "senderPhone", json!("+49 600 100 200")),
            "senderPhone",
        ),
        (
            "generateActiveCode",
            with(active_input(), "senderPhone", json!(600100200)),
            "senderPhone",
        ),
        (
            "generateActiveCode",
            with(active_input(), "senderEmail", json!("nobody")),
            "senderEmail",
        ),
        (
            "generateActiveCode",
            with(active_input(), "returnDescription1", json!("bell\u{7}")),
            "returnDescription1",
        ),
        (
            "generateActiveCode",
            with(active_input(), "sendrPhone", json!("1")),
            "sendrPhone",
        ),
        (
            "generateActiveCode",
            with(active_input(), "address", json!({"name": "Jan"})),
            "address.surname",
        ),
        (
            "generateActiveCode",
            with(
                active_input(),
                "address",
                json!({"name": "J", "surname": "K", "street": "S", "buildingNumber": "1", "flatNumber": "2", "postCode": "00950", "city": "W"}),
            ),
            "address.postCode",
        ),
        (
            "generateActiveCode",
            with(
                active_input(),
                "address",
                json!({"name": "J", "surname": "K", "street": "S", "buildingNumber": "1", "flatNumber": "2", "postCode": "00-950", "city": "W", "phone": "12"}),
            ),
            "address.phone",
        ),
        (
            "generateActiveCode",
            with(active_input(), "address", json!({"zip": "00-950"})),
            "address.zip",
        ),
        (
            "activateCode",
            with(active_input(), "code", json!("")),
            "code",
        ),
        ("generateInactiveCodes", json!({}), "numberOfCodes"),
        (
            "generateInactiveCodes",
            json!({"numberOfCodes": 0}),
            "numberOfCodes",
        ),
        (
            "generateInactiveCodes",
            json!({"numberOfCodes": -1}),
            "numberOfCodes",
        ),
        (
            "generateInactiveCodes",
            json!({"numberOfCodes": "2"}),
            "numberOfCodes",
        ),
        ("invalidateCode", json!({"code": null}), "code"),
        ("getReport", json!({"paging": {"limit": 0}}), "paging.limit"),
        (
            "getReport",
            json!({"paging": {"limit": 1001}}),
            "paging.limit",
        ),
        (
            "getReport",
            json!({"paging": {"offset": -1}}),
            "paging.offset",
        ),
        (
            "getReport",
            json!({"dateRange": {"startDate": "2022-07-20", "endDate": "2022-01-10"}}),
            "dateRange.endDate",
        ),
        (
            "getReport",
            json!({"dateRange": {"startDate": "2022-13-01"}}),
            "dateRange.startDate",
        ),
        ("getReport", json!({"used": "yes"}), "used"),
        ("getReport", json!([]), "input"),
        // A section given as an array is refused, not read field by field by position.
        (
            "generateActiveCode",
            with(active_input(), "address", json!(["Firma", "Jan"])),
            "address",
        ),
        (
            "getReport",
            json!({"dateRange": ["2022-01-10"]}),
            "dateRange",
        ),
        ("getReport", json!({"paging": [10, 0]}), "paging"),
        ("getReport", json!({"paging": "10"}), "paging"),
    ];
    for (operation, input, expected) in cases {
        assert_eq!(
            invalid_field(operation, input.clone()),
            expected,
            "{operation} {input}"
        );
    }
}

fn with(mut input: Value, name: &str, value: Value) -> Value {
    input[name] = value;
    input
}

#[test]
fn config_problems_name_the_config_field_and_never_echo_credentials() {
    let cases = [
        (
            r#"{"environment": "production", "email": "sklep@example.pl"}"#,
            "config.password",
        ),
        (
            r#"{"environment": "production", "email": "", "password": "x"}"#,
            "config.email",
        ),
        (
            r#"{"email": "a@b.pl", "password": "x"}"#,
            "config.environment",
        ),
        (
            r#"{"environment": "prod", "email": "a@b.pl", "password": "x"}"#,
            "config.environment",
        ),
        (
            r#"{"baseUrl": "http://example.com/", "email": "a@b.pl", "password": "x"}"#,
            "config.baseUrl",
        ),
        (
            r#"{"environment": "sandbox", "email": "a@b.pl", "password": 987654321}"#,
            "config.password",
        ),
        (
            r#"{"environment": "sandbox", "email": "a@b.pl", "password": "x", "timeout": 5}"#,
            "config.timeout",
        ),
    ];
    for (config, expected) in cases {
        let error = failure("invalidateCode", config, json!({"code": "1"}));
        assert_eq!(error["kind"], "invalid_input", "{config}");
        assert_eq!(error["field"], expected, "{config}");
        assert!(!error.to_string().contains("987654321"), "{error}");
    }
}

#[test]
fn a_lone_surrogate_escape_is_invalid_input_naming_the_field() {
    // As the wasm face answers a JavaScript string holding one (docs/contract.md, "Shapes").
    let envelope: Value = serde_json::from_str(&envelope::build_request(
        "invalidateCode",
        CONFIG,
        r#"{"code": "12\ud800"}"#,
    ))
    .unwrap();
    assert_eq!(envelope["error"]["kind"], "invalid_input", "{envelope}");
    assert_eq!(envelope["error"]["field"], "code", "{envelope}");
}

#[test]
fn text_that_is_not_json_and_unknown_operations_are_usage_errors() {
    for (operation, config, input) in [
        ("getReport", "{", "{}"),
        ("getReport", CONFIG, "not json"),
        ("getReport", CONFIG, "{} {}"),
        ("report", CONFIG, "{}"),
    ] {
        let error = failure(operation, config, json!(null));
        let envelope: Value =
            serde_json::from_str(&envelope::build_request(operation, config, input)).unwrap();
        assert_eq!(
            envelope["error"]["kind"], "usage",
            "{operation} {config} {input}"
        );
        let _ = error;
    }
}

#[test]
fn debug_output_never_shows_the_password() {
    let config = Config::new(Environment::Sandbox, "sklep@example.pl", "tajne-haslo");
    let request = build_request(
        &config,
        &Request::GenerateActiveCode(
            serde_json::from_value::<ActiveCodeInput>(active_input()).unwrap(),
        ),
    )
    .unwrap();
    assert!(request.body.contains("tajne-haslo"));
    for debug in [
        format!("{config:?}"),
        format!("{request:?}"),
        format!("{request:#?}"),
    ] {
        assert!(
            !debug.contains("tajne-haslo") && !debug.contains("sklep@example.pl"),
            "{debug}"
        );
    }
}
