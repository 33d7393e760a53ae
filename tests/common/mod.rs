//! Helpers shared by the integration tests: decoding what the library built, independently of it.

#![allow(dead_code)]

pub mod conformance;

#[allow(unused_imports)]
pub use conformance::form_decode;

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
