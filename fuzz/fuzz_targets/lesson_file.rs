//! Fuzz target `lesson_file`: the body is `scalelab_web::fuzzing::lesson_file`, which
//! `web/tests/fuzz_corpus.rs` also runs over the checked-in corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| scalelab_web::fuzzing::lesson_file(data));
