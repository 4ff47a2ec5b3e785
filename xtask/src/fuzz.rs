//! `cargo xtask fuzz [--smoke|--long] [target…]`: the libFuzzer targets in `fuzz/` (see
//! `fuzz/README.md`), each run in turn, with its executions and result printed.
//!
//! - `--smoke` (the default, and part of `cargo xtask test`): each target for a short
//!   bounded run, so a crash on the seeds or near them fails the tests;
//! - `--long`: each parser target for 1 000 000 executions (`link_player`, which builds a
//!   model per input, for 20 minutes instead), the figures the resolve note records.
//!
//! Runs on the stable toolchain: `-s none` leaves out AddressSanitizer (which needs nightly's
//! `-Zsanitizer`); libFuzzer's coverage instrumentation needs only stable flags. `-a` keeps
//! debug assertions and overflow checks on, so arithmetic that overflows on some input is a
//! crash the fuzzer reports. Inputs found
//! go to `fuzz/target/corpus/<target>/` (ignored by git); the checked-in seeds in
//! `fuzz/corpus/<target>/` are only read. A crash leaves its input in `fuzz/artifacts/`.

use crate::shell::workspace_root;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The targets, fastest first; `link_player` is time-bounded in the long run.
pub const TARGETS: [&str; 5] = [
    "parent_message",
    "scenario_import",
    "lesson_file",
    "url_state",
    "link_player",
];

/// How long each run is: libFuzzer flags per target.
fn limits(target: &str, long: bool) -> Vec<String> {
    let mut args: Vec<String> = match (long, target) {
        (true, "link_player") => vec!["-max_total_time=1200".into()],
        (true, _) => vec!["-runs=1000000".into()],
        (false, "link_player") => vec!["-runs=500".into(), "-max_total_time=30".into()],
        (false, _) => vec!["-runs=20000".into(), "-max_total_time=20".into()],
    };
    // A hang is an input slower than 10 s; -max_len covers links past MAX_QUERY_LEN.
    args.extend(
        ["-timeout=10", "-max_len=8192", "-print_final_stats=1"]
            .iter()
            .map(|s| s.to_string()),
    );
    args
}

pub fn fuzz(args: &[String]) -> Result<(), String> {
    let mut long = false;
    let mut only: Vec<&str> = Vec::new();
    for a in args {
        match a.as_str() {
            "--smoke" => long = false,
            "--long" => long = true,
            t if TARGETS.contains(&t) => only.push(t),
            other => {
                return Err(format!(
                    "fuzz: unknown option {other} (--smoke or --long, then targets among {})",
                    TARGETS.join(", ")
                ))
            }
        }
    }
    let mut summary = Vec::new();
    for target in TARGETS {
        if only.is_empty() || only.contains(&target) {
            summary.push(run_target(target, long)?);
        }
    }
    eprintln!("\nfuzz {}:", if long { "long run" } else { "smoke run" });
    for line in &summary {
        eprintln!("  {line}");
    }
    Ok(())
}

/// One target; returns its summary line, or an error if libFuzzer found a crash.
fn run_target(target: &str, long: bool) -> Result<String, String> {
    let root = workspace_root();
    let found = root.join("fuzz/target/corpus").join(target);
    std::fs::create_dir_all(&found).map_err(|e| format!("cannot create {found:?}: {e}"))?;
    let seeds = format!("fuzz/corpus/{target}");
    let found = found.to_string_lossy().into_owned();
    let mut args: Vec<String> = [
        "fuzz", "run", "-s", "none", "-a", target, &found, &seeds, "--",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(limits(target, long));
    eprintln!("\n$ cargo {}", args.join(" "));
    let started = Instant::now();
    let mut child = Command::new("cargo")
        .args(&args)
        .current_dir(&root)
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start cargo fuzz: {e}"))?;
    let (mut runs, mut rate) = (String::from("?"), String::from("?"));
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            // libFuzzer's progress lines (`#1234 NEW ...`) are many; the rest is worth seeing.
            let progress = line.starts_with('#') && !line.contains("DONE");
            if !progress {
                eprintln!("{line}");
            }
            if let Some(v) = line.strip_prefix("stat::number_of_executed_units:") {
                runs = v.trim().to_string();
            }
            if let Some(v) = line.strip_prefix("stat::average_exec_per_sec:") {
                rate = v.trim().to_string();
            }
        }
    }
    let status = child.wait().map_err(|e| format!("cargo fuzz: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    // libFuzzer's average is a whole division by whole seconds: 0 for a run under 1 s.
    if rate == "0" {
        rate = format!("over {runs} (all in under 1 s)");
    }
    let line = format!("{target}: {runs} executions, {rate} exec/s, {secs:.0} s with the build");
    if status.success() {
        Ok(format!("{line}, no crash"))
    } else {
        Err(format!(
            "{line}: FAILED ({status}); the input is in fuzz/artifacts/{target}/"
        ))
    }
}
