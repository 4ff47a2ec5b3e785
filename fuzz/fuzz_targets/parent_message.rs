//! Fuzz target `parent_message`: the body is `scalelab_web::fuzzing::parent_message`, which
//! `web/tests/fuzz_corpus.rs` also runs over the checked-in corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scalelab_web::fuzzing::parent_message(data));
