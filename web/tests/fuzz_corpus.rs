//! Every fuzz target's body over every checked-in corpus file (`fuzz/corpus/<target>/`), so
//! the corpus is exercised by `cargo test` without libFuzzer (see `fuzz/README.md`).
#![cfg(not(target_arch = "wasm32"))]
// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

fn run_corpus(target: &str, body: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{}: too few seeds", dir.display());
    for file in files {
        let data = std::fs::read(&file).expect("corpus file");
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(outcome.is_ok(), "{} fails on {}", target, file.display());
    }
}

#[test]
fn url_state_corpus() {
    run_corpus("url_state", scalelab_web::fuzzing::url_state);
}

#[test]
fn scenario_import_corpus() {
    run_corpus("scenario_import", scalelab_web::fuzzing::scenario_import);
}

#[test]
fn parent_message_corpus() {
    run_corpus("parent_message", scalelab_web::fuzzing::parent_message);
}

#[test]
fn link_player_corpus() {
    run_corpus("link_player", scalelab_web::fuzzing::link_player);
}

#[test]
fn lesson_file_corpus() {
    run_corpus("lesson_file", scalelab_web::fuzzing::lesson_file);
}
