//! Fuzz target `url_state`: the body is `scalelab_web::fuzzing::url_state`, which
//! `web/tests/fuzz_corpus.rs` also runs over the checked-in corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scalelab_web::fuzzing::url_state(data));
