//! Criterion benchmarks of the core: build one request, parse the documented inactive-codes
//! answer, parse a 1000-record report (typed, and through the JSON and PHP-format envelopes the C
//! ABI returns).
//!
//! Run: `cargo bench --bench core` (or `make bench`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use inpost_quick_returns::{
    build_request, envelope, parse_response, ActiveCodeInput, Address, Config, Operation, Request,
};
use std::hint::black_box;

const INACTIVE_CODES: &[u8] = include_bytes!("../tests/fixtures/inactive_codes_documented.xml");

/// A report page as InPost is documented to send it: 1000 records named `<0>`…`<999>`.
fn report(records: usize) -> String {
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<paczkomaty><return>\n");
    for i in 0..records {
        xml.push_str(&format!(
            "<{i}><operatorEmail>sklep.internetowy@example.pl</operatorEmail>\
<reverseReturnPackCode>6707810972830000{i:08}</reverseReturnPackCode><code>{code}</code>\
<rma>ZAM/2026/{i:06}</rma><active>true</active><usedDate>2026-11-{day:02}T10:15:00</usedDate>\
<createDate>2026-11-{day:02}T09:00:00</createDate><senderPhone>600{i:06}</senderPhone>\
<senderEmail>klient.{i}@example.com</senderEmail><reverseReturnPackStatus>InTransit</reverseReturnPackStatus>\
<statusDate>2026-11-{day:02}T18:30:00</statusDate><returnDescription1>Zamówienie {i}: zwrot &amp; wymiana</returnDescription1>\
<used>true</used></{i}>\n",
            code = 1_000_000_000u64 + i as u64 * 7919,
            day = i % 28 + 1,
        ));
    }
    xml.push_str("</return></paczkomaty>\n");
    xml
}

fn benches(c: &mut Criterion) {
    let config = Config::with_base_url(
        "https://api.paczkomaty.pl/",
        "sklep@example.pl",
        "tajne&haslo",
    );
    let request = Request::GenerateActiveCode(ActiveCodeInput {
        rma: "ZAM/2026/000312".into(),
        pack_type: "a".into(),
        expiration_date: "2026-12-31T23:59:59".into(),
        sender_phone: "+48 600-100-200".into(),
        sender_email: "jan.kowalski@example.pl".into(),
        return_description1: Some("Zamówienie:312 — zwrot".into()),
        address: Some(Address {
            name: "Jan".into(),
            surname: "Kowalski".into(),
            street: "Prosta".into(),
            building_number: "1".into(),
            flat_number: "2".into(),
            post_code: "00-950".into(),
            city: "Warszawa".into(),
            ..Default::default()
        }),
    });
    c.bench_function("build generateActiveCode (with address)", |b| {
        b.iter(|| build_request(black_box(&config), black_box(&request)).unwrap())
    });

    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(INACTIVE_CODES.len() as u64));
    group.bench_function("documented inactive codes", |b| {
        b.iter(|| {
            parse_response(
                Operation::GenerateInactiveCodes,
                200,
                black_box(INACTIVE_CODES),
            )
            .unwrap()
        })
    });
    let report = report(1000);
    group.throughput(Throughput::Bytes(report.len() as u64));
    group.bench_function("1000-record report, typed", |b| {
        b.iter(|| parse_response(Operation::GetReport, 200, black_box(report.as_bytes())).unwrap())
    });
    group.bench_function("1000-record report, JSON envelope", |b| {
        b.iter(|| envelope::parse_response("getReport", 200, black_box(report.as_bytes())))
    });
    group.bench_function("1000-record report, PHP serialize envelope", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            envelope::parse_response_php(&mut out, "getReport", 200, black_box(report.as_bytes()));
            out
        })
    });
    group.finish();
}

criterion_group!(core, benches);
criterion_main!(core);
