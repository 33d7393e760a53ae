//! Helpers shared by the integration tests: decoding what the library built, independently of it.

#![allow(dead_code)]

/// Decodes an `application/x-www-form-urlencoded` body into its fields, in order.
pub fn form_decode(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').expect("name=value");
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("hex escape"));
                i += 2;
            }
            b => {
                assert!(
                    b.is_ascii_alphanumeric() || b"*-._".contains(&b),
                    "unencoded byte {b}"
                );
                out.push(b);
            }
        }
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8")
}

/// The form field `name`.
pub fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no field {name}"))
        .1
        .clone()
}

/// Parses `content` with a strict, independent XML parser and returns `(path, text)` of every
/// leaf element, e.g. `("address/postCode", "00-950")`.
pub fn xml_leaves(content: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(content).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "paczkomaty");
    let mut out = Vec::new();
    for node in doc
        .root_element()
        .descendants()
        .filter(|n| n.is_element() && n != &doc.root_element())
    {
        if node.children().all(|c| !c.is_element()) {
            let path: Vec<&str> = node
                .ancestors()
                .filter(|a| a.is_element() && a != &doc.root_element())
                .map(|a| a.tag_name().name())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            out.push((path.join("/"), node.text().unwrap_or_default().to_owned()));
        }
    }
    out
}

pub mod bodies;
pub mod echoes;
