//! Project automation, the README's two commands:
//!
//! - `cargo xtask serve` — install what is missing, then `trunk serve` the playground;
//! - `cargo xtask test`  — install what tests need, then run every test;
//! - `cargo xtask bench` — measure every performance budget (see `bench.rs`);
//! - `cargo xtask fuzz`  — run the libFuzzer targets in `fuzz/` (see `fuzz.rs`).
//!
//! Installs are skipped when the right version is already there, so a second run starts at
//! once. Every tool comes from a package registry (crates.io, npm, Debian): this machine
//! cannot download release binaries.

mod bench;
mod fuzz;
mod install;
mod loader;
mod run;
mod shell;
mod wasm_names;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup      install what is missing (wasm32 target, trunk, wasm-bindgen-cli, wasm-opt)
  serve      setup, then `trunk serve` the playground on http://127.0.0.1:8080
  test       setup (plus Chromium and ChromeDriver), then run every test:
             fmt, clippy, native tests, wasm32 tests in headless Chromium, a release build
  build      setup, then a release build into dist/ and its gzipped size
  bench      setup (plus Chromium), then measure every performance budget and write the
             table into BENCHMARKS.md; `bench --quick` for short criterion times and a
             1-minute memory run instead of 10
  fuzz       install cargo-fuzz, then run each fuzz target: `fuzz --smoke` (default, also
             part of `test`) briefly, `fuzz --long` for 1 000 000 executions each";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => install::tools(install::Needs::SERVE),
        Some("serve") => {
            install::tools(install::Needs::SERVE).and_then(|()| run::serve(&args[1..]))
        }
        Some("test") => install::tools(install::Needs::TEST).and_then(|()| run::test()),
        Some("build") => {
            install::tools(install::Needs::SERVE).and_then(|()| run::release_build().map(drop))
        }
        Some("fuzz") => install::cargo_fuzz().and_then(|()| fuzz::fuzz(&args[1..])),
        Some("bench") => {
            install::tools(install::Needs::TEST).and_then(|()| bench::bench(&args[1..]))
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
