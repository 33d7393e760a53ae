//! Criterion benchmarks of the core: build one request, parse the documented inactive-codes
//! answer, parse a 1000-record report (typed, and through the JSON and PHP-format envelopes the C
//! ABI returns), and the `hostile` group: answers shaped to hurt (tests/common/bodies.rs), about
//! 1 MB each, beside the normal report measured in the same run.
//!
//! Run: `cargo bench --bench core` (or `make bench`); only the hostile group:
//! `cargo bench --bench core -- hostile`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use inpost_quick_returns::{
    build_request, envelope, parse_response, ActiveCodeInput, Address, Config, Operation, Request,
};
use std::hint::black_box;

const INACTIVE_CODES: &[u8] = include_bytes!("../tests/fixtures/inactive_codes_documented.xml");

#[path = "../tests/common/bodies.rs"]
mod bodies;

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
    let report = bodies::report(1000);
    group.throughput(Throughput::Bytes(report.len() as u64));
    group.bench_function("1000-record report, typed", |b| {
        b.iter(|| parse_response(Operation::GetReport, 200, black_box(report.as_bytes())).unwrap())
    });
    group.bench_function("1000-record report, JSON envelope", |b| {
        b.iter(|| envelope::parse_response("getReport", 200, black_box(report.as_bytes())))
    });
    // Into one reused buffer, as the C ABI writes each thread's PHP-format results.
    let mut out = Vec::new();
    group.bench_function("1000-record report, PHP serialize envelope", |b| {
        b.iter(|| {
            out.clear();
            envelope::parse_response_php(&mut out, "getReport", 200, black_box(report.as_bytes()));
            black_box(out.len())
        })
    });
    group.finish();
}

/// Hostile answers, each about 1 MB, against the normal report in the same run: the figure to
/// compare is the ratio of throughputs (the machine is shared, absolute figures are noisy).
fn hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    group.sample_size(20);
    let report = bodies::report(1800);
    group.throughput(Throughput::Bytes(report.len() as u64));
    group.bench_function("normal report", |b| {
        b.iter(|| parse_response(Operation::GetReport, 200, black_box(report.as_bytes())).unwrap())
    });
    for (shape, succeeds) in bodies::hostile_shapes(1_000_000) {
        let body = shape.body.as_bytes();
        assert_eq!(
            parse_response(shape.operation, 200, body).is_ok(),
            succeeds,
            "{}",
            shape.name
        );
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(shape.name, |b| {
            b.iter(|| parse_response(shape.operation, 200, black_box(body)).is_ok())
        });
    }
    group.finish();
}

criterion_group!(core, benches, hostile);
criterion_main!(core);
