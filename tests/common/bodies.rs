//! Answer bodies for the benchmarks, the memory-bound test and the fuzz targets: a normal report
//! page, and the hostile shapes a careless proxy or an attacker can send. Shared by path
//! (`#[path]`) so that all three measure the same bodies.

#![allow(dead_code)]

use inpost_quick_returns::Operation;

/// A report page as InPost is documented to send it: records named `<0>`, `<1>`….
pub fn report(records: usize) -> String {
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<paczkomaty><return>\n");
    for i in 0..records {
        xml.push_str(&format!("<{i}>{}</{i}>\n", record_fields(i)));
    }
    xml.push_str("</return></paczkomaty>\n");
    xml
}

/// The thirteen elements of one report record.
fn record_fields(i: usize) -> String {
    format!(
        "<operatorEmail>sklep.internetowy@example.pl</operatorEmail>\
<reverseReturnPackCode>6707810972830000{i:08}</reverseReturnPackCode><code>{code}</code>\
<rma>ZAM/2026/{i:06}</rma><active>true</active><usedDate>2026-11-{day:02}T10:15:00</usedDate>\
<createDate>2026-11-{day:02}T09:00:00</createDate><senderPhone>600{i:06}</senderPhone>\
<senderEmail>klient.{i}@example.com</senderEmail><reverseReturnPackStatus>InTransit</reverseReturnPackStatus>\
<statusDate>2026-11-{day:02}T18:30:00</statusDate><returnDescription1>Zamówienie {i}: zwrot &amp; wymiana</returnDescription1>\
<used>true</used>",
        code = 1_000_000_000u64 + i as u64 * 7919,
        day = i % 28 + 1,
    )
}

/// `count` unknown empty elements under the root, cycling through `distinct` names (`<x/>` when
/// 1): the shape that made naming cubic.
pub fn repeated_names(count: usize, distinct: usize) -> String {
    let mut xml = String::from("<paczkomaty><valid>false</valid>");
    for i in 0..count {
        match distinct {
            0 | 1 => xml.push_str("<x/>"),
            _ => xml.push_str(&format!("<x{}/>", i % distinct)),
        }
    }
    xml.push_str("</paczkomaty>");
    xml
}

/// A report page whose records sit `wrappers` levels deeper than documented
/// (`<return><records><record>…`): one item, every field a dotted name repeated per record.
pub fn deeper_records(records: usize, wrappers: usize) -> String {
    let mut xml = String::from("<paczkomaty><return>");
    for level in 0..wrappers {
        xml.push_str(&format!("<w{level}>"));
    }
    for i in 0..records {
        xml.push_str(&format!("<record>{}</record>\n", record_fields(i)));
    }
    for level in (0..wrappers).rev() {
        xml.push_str(&format!("</w{level}>"));
    }
    xml.push_str("</return></paczkomaty>");
    xml
}

/// `containers` unknown elements under the root, each named by `name_len` bytes and holding
/// `children` short leaves: every leaf's dotted name repeats its parent's long name.
pub fn long_names(containers: usize, name_len: usize, children: usize) -> String {
    let mut xml = String::from("<paczkomaty><valid>false</valid>");
    for i in 0..containers {
        let mut name = format!("n{i}");
        name.push_str(&"n".repeat(name_len.saturating_sub(name.len())));
        xml.push_str(&format!("<{name}>"));
        for c in 0..children {
            xml.push_str(&format!("<c>{c}</c>"));
        }
        xml.push_str(&format!("</{name}>"));
    }
    xml.push_str("</paczkomaty>");
    xml
}

/// One report item holding `subtrees` chains of `depth` nested elements, each ending in a leaf.
pub fn deep_nesting(subtrees: usize, depth: usize) -> String {
    let mut xml = String::from("<paczkomaty><return><0><code>1</code>");
    for i in 0..subtrees {
        xml.push_str(&"<a>".repeat(depth));
        xml.push_str(&format!("<b>{i}</b>"));
        xml.push_str(&"</a>".repeat(depth));
    }
    xml.push_str("</0></return></paczkomaty>");
    xml
}

/// Report records whose every element carries `attributes` attributes.
pub fn many_attributes(records: usize, attributes: usize) -> String {
    let attrs: String = (0..attributes)
        .map(|a| format!(" a{a}=\"v>{a}\""))
        .collect();
    let mut xml = String::from("<paczkomaty><return>");
    for i in 0..records {
        xml.push_str(&format!(
            "<{i}{attrs}><code{attrs}>{i}</code><rma{attrs}>R{i}</rma><used{attrs}>true</used></{i}>"
        ));
    }
    xml.push_str("</return></paczkomaty>");
    xml
}

/// An `<error>` whose key comes after `attributes` other attributes.
pub fn error_with_many_attributes(attributes: usize) -> String {
    let attrs: String = (0..attributes).map(|a| format!(" a{a}=\"{a}\"")).collect();
    format!("<paczkomaty><error{attrs} key=\"Late\">Błąd</error></paczkomaty>")
}

/// Report records whose text is `entities` references each.
pub fn many_entities(records: usize, entities: usize) -> String {
    let text: String = ["&amp;", "&lt;", "&#x105;", "&#261;", "&quot;", "&#13;"]
        .iter()
        .cycle()
        .take(entities)
        .copied()
        .collect();
    let mut xml = String::from("<paczkomaty><return>");
    for i in 0..records {
        xml.push_str(&format!(
            "<{i}><code>{i}</code><returnDescription1>{text}</returnDescription1><note>{text}</note></{i}>"
        ));
    }
    xml.push_str("</return></paczkomaty>");
    xml
}

/// A message of `len` stray ampersands: each once looked for its `;` through the rest.
pub fn stray_ampersands(len: usize) -> String {
    format!(
        "<paczkomaty><error key=\"X\">{}</error></paczkomaty>",
        "&".repeat(len)
    )
}

/// `count` report items of one empty element each: the most records per byte.
pub fn tiny_items(count: usize) -> String {
    let mut xml = String::from("<paczkomaty><return>");
    for _ in 0..count {
        xml.push_str("<0><a/></0>");
    }
    xml.push_str("</return></paczkomaty>");
    xml
}

/// One body of a shape, named for reports.
pub struct Shape {
    pub name: &'static str,
    pub operation: Operation,
    pub body: String,
}

/// Every hostile shape at about `bytes` bytes, and whether parsing it succeeds (`false`: an
/// `<error>` answer, or refused by design).
pub fn hostile_shapes(bytes: usize) -> Vec<(Shape, bool)> {
    let report_record = record_fields(0).len() + 20;
    let shape = |name, operation, body| Shape {
        name,
        operation,
        body,
    };
    vec![
        (
            shape(
                "repeated names",
                Operation::InvalidateCode,
                repeated_names(bytes / 4, 1),
            ),
            true,
        ),
        (
            shape(
                "three names taking turns",
                Operation::InvalidateCode,
                repeated_names(bytes / 5, 3),
            ),
            true,
        ),
        (
            shape(
                "all names distinct",
                Operation::InvalidateCode,
                repeated_names(bytes / 8, usize::MAX),
            ),
            true,
        ),
        (
            shape(
                "records one level deeper",
                Operation::GetReport,
                deeper_records(bytes / report_record, 1),
            ),
            true,
        ),
        (
            shape(
                "records three levels deeper",
                Operation::GetReport,
                deeper_records(bytes / report_record, 3),
            ),
            true,
        ),
        (
            shape(
                "1 KiB names, 4 children each",
                Operation::InvalidateCode,
                long_names(bytes / 2100 + 1, 1024, 4),
            ),
            true,
        ),
        (
            shape(
                "1 KiB name, many children (refused)",
                Operation::InvalidateCode,
                long_names(1, 1024, bytes / 8),
            ),
            false,
        ),
        (
            shape(
                "nesting at the depth limit",
                Operation::GetReport,
                deep_nesting(bytes / 210 + 1, 28),
            ),
            true,
        ),
        (
            shape(
                "20 attributes per element",
                Operation::GetReport,
                many_attributes(bytes / 880 + 1, 20),
            ),
            true,
        ),
        (
            shape(
                "error key after many attributes",
                Operation::GetReport,
                error_with_many_attributes(bytes / 12),
            ),
            false,
        ),
        (
            shape(
                "text of entities",
                Operation::GetReport,
                many_entities(bytes / 1100 + 1, 200),
            ),
            true,
        ),
        (
            shape(
                "stray ampersands",
                Operation::GetReport,
                stray_ampersands(bytes),
            ),
            false,
        ),
        (
            shape("tiny items", Operation::GetReport, tiny_items(bytes / 11)),
            true,
        ),
    ]
}
