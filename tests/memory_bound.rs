//! The memory bound: the peak heap of one `parse_response` (and of the JSON and PHP-format
//! envelopes the C ABI and the wasm module return) is at most a small constant times the body's
//! length plus a fixed allowance, for the normal report and every hostile shape; the PHP-format
//! envelope of a report holds little beyond its output. Its own test binary: the counting
//! allocator below serves the whole binary.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use common::bodies::{self, Shape};
use inpost_quick_returns::{envelope, parse_response, Operation};

/// Peak heap of a typed parse, per byte of body.
const TYPED_BYTES_PER_BODY_BYTE: usize = 48;
/// Peak heap of the JSON envelope (typed value and the JSON written from it), per byte of body.
const ENVELOPE_BYTES_PER_BODY_BYTE: usize = 96;
/// Plus this, whatever the body.
const ALLOWANCE: usize = 256 * 1024;
/// What the PHP-format envelope of a normal report may hold beyond its output: one record.
const RECORD_ALLOWANCE: usize = 16 * 1024;

/// Counts the bytes allocated by the current thread (tests run on several threads). A `realloc`
/// counts as holding the old and the new block at once, as a copying allocator does.
struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grow(bytes: usize) {
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + bytes);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

fn shrink(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(bytes)));
}

// SAFETY: every call is forwarded to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            grow(new_size);
            shrink(layout.size());
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak heap `f` reaches above what was live when it started.
fn peak_of(f: impl FnOnce()) -> usize {
    let base = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    f();
    PEAK.with(Cell::get) - base
}

fn shapes(bytes: usize) -> Vec<Shape> {
    let mut shapes: Vec<Shape> = bodies::hostile_shapes(bytes)
        .into_iter()
        .map(|(shape, _)| shape)
        .collect();
    shapes.push(Shape {
        name: "normal report",
        operation: Operation::GetReport,
        body: bodies::report(bytes / 560 + 1),
    });
    shapes
}

fn check(shape: &Shape) -> (f64, f64) {
    let body = shape.body.as_bytes();
    let typed = peak_of(|| drop(parse_response(shape.operation, 200, body)));
    let json = peak_of(|| drop(envelope::parse_response(shape.operation.name(), 200, body)));
    assert!(
        typed <= TYPED_BYTES_PER_BODY_BYTE * body.len() + ALLOWANCE,
        "{}: {typed} bytes at peak for a {}-byte body",
        shape.name,
        body.len()
    );
    assert!(
        json <= ENVELOPE_BYTES_PER_BODY_BYTE * body.len() + ALLOWANCE,
        "{} (envelope): {json} bytes at peak for a {}-byte body",
        shape.name,
        body.len()
    );
    // The PHP-format envelope of a report is written while the answer is read: beyond the
    // output itself, its peak is one record's, whatever the report's size.
    let mut php = Vec::new();
    let php_peak = peak_of(|| {
        envelope::parse_response_php(&mut php, shape.operation.name(), 200, body);
    });
    assert!(
        php_peak <= ENVELOPE_BYTES_PER_BODY_BYTE * body.len() + ALLOWANCE,
        "{} (PHP envelope): {php_peak} bytes at peak for a {}-byte body",
        shape.name,
        body.len()
    );
    if shape.operation == Operation::GetReport && shape.name == "normal report" {
        assert!(
            php_peak <= php.capacity() + RECORD_ALLOWANCE,
            "{} (PHP envelope): {php_peak} bytes at peak for {} bytes of output",
            shape.name,
            php.capacity()
        );
    }
    let per_byte = |peak: usize| peak as f64 / body.len() as f64;
    (per_byte(typed), per_byte(json))
}

#[test]
fn peak_heap_is_linear_in_the_body_for_every_shape() {
    for bytes in [4 * 1024, 64 * 1024, 1024 * 1024] {
        for shape in shapes(bytes) {
            let (typed, json) = check(&shape);
            // `cargo test --test memory_bound -- --nocapture` prints the figures.
            println!(
                "{:>8} B {:40} typed {typed:5.1} B/B, envelope {json:5.1} B/B",
                shape.body.len(),
                shape.name
            );
        }
    }
}

#[test]
fn long_names_with_many_children_stay_bounded_at_any_name_length() {
    // The shape that once peaked at 312 MB for 2 MB: the cost no longer follows the name length.
    for name_len in [16, 256, 1024] {
        let shape = Shape {
            name: "long container, many children",
            operation: Operation::InvalidateCode,
            body: bodies::long_names(1, name_len, 200_000),
        };
        check(&shape);
    }
}
