//! Answers a careless proxy or an attacker can send: each hostile shape parses or is refused as
//! designed, unknown elements keep their names (`name#2` …), the answer's structure rules hold
//! (nothing after the root element, at least one inactive code, names of at most 1 KiB, `&#13;`
//! decoded the same whatever else the body holds). Time is measured by the `hostile` benchmark
//! group and memory by `tests/memory_bound.rs`.

mod common;

use common::bodies;
use inpost_quick_returns::{envelope, parse_response, ErrorKind, Operation, Response};
use proptest::prelude::*;

fn unexpected(operation: Operation, body: &str) -> String {
    let err = parse_response(operation, 200, body.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    err.to_string()
}

#[test]
fn every_hostile_shape_parses_or_is_refused_as_designed() {
    for (shape, succeeds) in bodies::hostile_shapes(64 * 1024) {
        let result = parse_response(shape.operation, 200, shape.body.as_bytes());
        assert_eq!(result.is_ok(), succeeds, "{}: {result:?}", shape.name);
    }
}

#[test]
fn the_issues_repeated_names_are_numbered() {
    let body = bodies::repeated_names(2000, 1);
    let Response::Invalidation(answer) =
        parse_response(Operation::InvalidateCode, 200, body.as_bytes()).unwrap()
    else {
        panic!()
    };
    assert_eq!(answer.valid, Some(false));
    assert_eq!(answer.extra.len(), 2000);
    assert_eq!(answer.extra.get("x"), None); // present, empty
    assert!(answer.extra.iter().any(|(name, _)| name == "x#2000"));
    let json = envelope::parse_response("invalidateCode", 200, body.as_bytes());
    assert!(
        json.contains(r#""x":null,"x#2":null,"x#3":null"#),
        "{json:.200}"
    );
    assert!(json.ends_with(r#""x#2000":null}}}"#), "{json:.200}");
}

#[test]
fn records_one_level_deeper_keep_every_field() {
    // `<return><records><record>…`: one item whose fields repeat per record.
    let body = bodies::deeper_records(100, 1);
    let Response::Report(report) =
        parse_response(Operation::GetReport, 200, body.as_bytes()).unwrap()
    else {
        panic!()
    };
    assert_eq!(report.records.len(), 1);
    let extra = &report.records[0].extra;
    assert_eq!(extra.len(), 100 * 13);
    assert_eq!(extra.get("record.code"), Some("1000000000"));
    assert_eq!(extra.get("record.code#100"), Some("1000783981"));
    assert_eq!(extra.get("record.code#101"), None);
}

/// The names the library gave unknown elements before it numbered them in O(1): the first
/// `name`, then the smallest `name#n` (n ≥ 2) not yet taken.
fn reference_names(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let mut candidate = name.clone();
        let mut n = 2;
        while out.contains(&candidate) {
            candidate = format!("{name}#{n}");
            n += 1;
        }
        out.push(candidate);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn unknown_elements_are_named_as_before(
        picks in proptest::collection::vec(0usize..40, 0..200),
        distinct in 1usize..40,
    ) {
        // Names nested or not, many or few, in runs, patterns or at random.
        let pool: Vec<String> = (0..distinct)
            .map(|i| if i % 3 == 0 { format!("w.n{i}") } else { format!("n{i}") })
            .collect();
        let names: Vec<String> = picks.iter().map(|&p| pool[p % distinct].clone()).collect();
        let mut body = String::from("<paczkomaty><return><0><code>1</code>");
        for name in &names {
            match name.split_once('.') {
                Some((parent, child)) => body.push_str(&format!("<{parent}><{child}/></{parent}>")),
                None => body.push_str(&format!("<{name}>v</{name}>")),
            }
        }
        body.push_str("</0></return></paczkomaty>");
        let Response::Report(report) =
            parse_response(Operation::GetReport, 200, body.as_bytes()).unwrap()
        else {
            panic!()
        };
        let got: Vec<String> = report.records[0].extra.iter().map(|(n, _)| n.into_owned()).collect();
        prop_assert_eq!(got, reference_names(&names));
    }
}

#[test]
fn content_after_the_root_element_is_unexpected() {
    for body in [
        r#"<paczkomaty><valid>false</valid></paczkomaty><error key="X">no</error>"#,
        "<paczkomaty><valid>false</valid></paczkomaty>trailing text",
        "<paczkomaty><valid>false</valid></paczkomaty><paczkomaty/>",
        "<paczkomaty/><x>",
    ] {
        let message = unexpected(Operation::InvalidateCode, body);
        assert!(message.contains("after the root element"), "{message}");
    }
    // White space, comments and processing instructions may follow.
    let body = "<paczkomaty><valid>false</valid></paczkomaty>\n<!-- served by x -->\r\n<?pi?>\n";
    assert!(parse_response(Operation::InvalidateCode, 200, body.as_bytes()).is_ok());
}

#[test]
fn an_inactive_codes_answer_without_any_code_is_unexpected() {
    for body in [
        "<paczkomaty/>",
        "<paczkomaty></paczkomaty>",
        "<paczkomaty><return/></paczkomaty>",
        "<paczkomaty><return>\n</return></paczkomaty>",
    ] {
        let message = unexpected(Operation::GenerateInactiveCodes, body);
        assert!(message.contains("no code"), "{message}");
    }
}

#[test]
fn element_names_longer_than_1_kib_are_unexpected() {
    let ok = format!(
        "<paczkomaty><valid>false</valid><{0}/></paczkomaty>",
        "n".repeat(1024)
    );
    assert!(parse_response(Operation::InvalidateCode, 200, ok.as_bytes()).is_ok());
    let long = format!(
        "<paczkomaty><valid>false</valid><{0}/></paczkomaty>",
        "n".repeat(1025)
    );
    let message = unexpected(Operation::InvalidateCode, &long);
    assert!(message.contains("longer than 1024 bytes"), "{message}");
    assert!(message.len() < 400, "{message}");
}

#[test]
fn long_names_with_many_children_are_refused_once_their_paths_outgrow_the_body() {
    let message = unexpected(
        Operation::InvalidateCode,
        &bodies::long_names(1, 1024, 10_000),
    );
    assert!(message.contains("dotted names"), "{message}");
    // The same children under a short name are fine, and so are long names with few children.
    assert!(parse_response(
        Operation::InvalidateCode,
        200,
        bodies::long_names(1, 8, 10_000).as_bytes()
    )
    .is_ok());
    assert!(parse_response(
        Operation::InvalidateCode,
        200,
        bodies::long_names(100, 1024, 4).as_bytes()
    )
    .is_ok());
}

#[test]
fn nothing_is_built_for_what_the_operation_discards() {
    // invalidateCode uses no list item, generateActiveCode only the first: what the others hold
    // cannot make the call fail.
    let items = format!(
        "<0><code>1</code></0><1>{}</1>",
        bodies::long_names(1, 1024, 10_000)
            .trim_start_matches("<paczkomaty><valid>false</valid>")
            .trim_end_matches("</paczkomaty>")
    );
    let body = format!("<paczkomaty><valid>false</valid><return>{items}</return></paczkomaty>");
    assert!(parse_response(Operation::InvalidateCode, 200, body.as_bytes()).is_ok());
    let body = format!("<paczkomaty><return>{items}</return></paczkomaty>");
    let Response::ReturnCode(code) =
        parse_response(Operation::GenerateActiveCode, 200, body.as_bytes()).unwrap()
    else {
        panic!()
    };
    assert_eq!(code.code.as_deref(), Some("1"));
}

#[test]
fn a_carriage_return_reference_decodes_the_same_whatever_else_the_body_holds() {
    // Once `&#13;` became `\n` whenever the body held a carriage return anywhere else.
    for line_end in ["\n", "\r\n", "\r"] {
        let body = format!(
            "<paczkomaty>{line_end}<return><0><code>1</code><note>a&#13;b&#xD;&#10;c{line_end}d</note>\
             <cdata><![CDATA[e{line_end}f]]></cdata></0></return></paczkomaty>"
        );
        let Response::InactiveCodes(list) =
            parse_response(Operation::GenerateInactiveCodes, 200, body.as_bytes()).unwrap()
        else {
            panic!()
        };
        let extra = &list.codes[0].extra;
        assert_eq!(extra.get("note"), Some("a\rb\r\nc\nd"), "{line_end:?}");
        assert_eq!(extra.get("cdata"), Some("e\nf"), "{line_end:?}");
    }
}

#[test]
fn a_name_with_a_hash_is_refused() {
    // `#` is no XML name character; accepting it would make `x#2` ambiguous in `extra`.
    unexpected(
        Operation::InvalidateCode,
        "<paczkomaty><valid>false</valid><x/><x#2/><x/></paczkomaty>",
    );
}
