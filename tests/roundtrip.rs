//! Property: any text a user can give survives building exactly — through form decoding and a
//! strict, independent XML parser — and any credentials survive form decoding.

mod common;

use common::{field, form_decode, xml_leaves};
use inpost_quick_returns::{build_request, ActiveCodeInput, Config, ReportQuery, Request};
use proptest::prelude::*;

/// Text XML 1.0 can carry, not blank (blank required values are refused by design).
fn xml_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "[\\t\\n\\r\\x20-\\x7e\\u{a0}-\\u{d7ff}\\u{e000}-\\u{fffd}\\u{10000}-\\u{10ffff}]{1,40}",
    )
    .unwrap()
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

/// The fields form-encoded as browsers do it (alphanumerics and `*-._` kept, space `+`, every
/// other byte `%XX` in upper case): the one encoding of a body, so a body equal to this of its own
/// decoded fields was encoded exactly so.
fn canonical(fields: &[(String, String)]) -> String {
    let encode = |text: &str| {
        text.bytes()
            .map(|b| match b {
                b if b.is_ascii_alphanumeric() || b"*-._".contains(&b) => (b as char).to_string(),
                b' ' => "+".to_owned(),
                b => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_text_round_trips(rma in xml_text(), description in xml_text(), code in xml_text()) {
        let config = Config::with_base_url("http://127.0.0.1:8787/", "a@b.pl", "x");
        let input = ActiveCodeInput {
            rma: rma.clone(),
            pack_type: "A".into(),
            expiration_date: "2030-01-01T00:00:00".into(),
            sender_phone: "600100200".into(),
            sender_email: "a@b.pl".into(),
            return_description1: Some(description.clone()),
            address: None,
        };
        let request = build_request(&config, &Request::GenerateActiveCode(input)).unwrap();
        prop_assert_eq!(&request.body, &canonical(&form_decode(&request.body)));
        let leaves = xml_leaves(&field(&form_decode(&request.body), "content"));
        prop_assert_eq!(&leaves[0], &("rma".to_owned(), rma));
        prop_assert_eq!(leaves.last().unwrap(), &("returnDescription1".to_owned(), description));

        let query = ReportQuery { code: Some(code.clone()), ..Default::default() };
        let request = build_request(&config, &Request::GetReport(query)).unwrap();
        let leaves = xml_leaves(&field(&form_decode(&request.body), "content"));
        prop_assert_eq!(leaves, vec![("code".to_owned(), code)]);
    }

    #[test]
    fn any_credentials_round_trip(email in "\\PC{1,30}", password in "\\PC{1,30}") {
        prop_assume!(!email.trim().is_empty());
        let config = Config::with_base_url("https://example.com/", email.clone(), password.clone());
        let request = build_request(&config, &Request::InvalidateCode(inpost_quick_returns::InvalidateCodeInput { code: "1".into() })).unwrap();
        let fields = form_decode(&request.body);
        prop_assert_eq!(&request.body, &canonical(&fields));
        prop_assert_eq!(field(&fields, "email"), email);
        prop_assert_eq!(field(&fields, "password"), password);
    }

    #[test]
    fn parsing_never_panics(body in proptest::collection::vec(any::<u8>(), 0..300), status in 100u16..600) {
        for operation in inpost_quick_returns::Operation::ALL {
            let _ = inpost_quick_returns::parse_response(operation, status, &body);
        }
    }
}
