//! The committed C header must be exactly what cbindgen generates from `bindings/c/src/lib.rs`
//! and `bindings/c/cbindgen.toml`. Run with `UPDATE_HEADER=1` (`make header`) to rewrite it.

use std::path::Path;

#[test]
fn committed_header_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable and valid");
    // Parse only this crate's source: no `cargo metadata`, no dependency crates, deterministic.
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src/lib.rs"))
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("the header is UTF-8");

    for name in [
        "inpost_returns_build_request",
        "inpost_returns_parse_response",
        "inpost_returns_free",
        "inpost_returns_version",
    ] {
        assert!(
            generated.contains(name),
            "{name} missing from the generated header"
        );
    }
    assert!(
        !generated.contains("__cplusplus"),
        "PHP FFI::cdef cannot parse `#ifdef __cplusplus`"
    );

    let path = root.join("../../include/inpost_quick_returns.h");
    if std::env::var_os("UPDATE_HEADER").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("include/inpost_quick_returns.h is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/inpost_quick_returns.h is stale or missing; run `make header` and commit it.\n\
         --- generated ---\n{generated}"
    );
}
