//! `cargo xtask bench [--quick]`: every performance budget measured in one run, printed as a
//! table and written into BENCHMARKS.md's "Performance budgets" section.
//!
//! - core hot paths vs peer crates: criterion (`core/benches/`), medians from
//!   `<target>/criterion/**/new/estimates.json`;
//! - the same 1 000 000-request pipeline natively (`core/benches/pipeline.rs`) and in headless
//!   Chromium (`core/tests/wasm_pipeline.rs`, release mode);
//! - the gzipped size of what each page downloads ([`crate::run::release_build`]);
//! - page load, fast-forward speed, frame time, every scene's frames and page load with the
//!   CPU throttled 4× (the load also on a slow network), and memory in headless Chromium
//!   (`tests/src/bin/bench.rs` on that bundle).
//!
//! `--quick` shortens criterion's times and the memory run (1 minute instead of 10).

use crate::run::{release_build, wasm_runner_env};
use crate::shell::{cmd, workspace_root};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

/// `key=value` pairs from every `BENCH …` line.
type Figures = BTreeMap<String, String>;

fn collect(out: &str, into: &mut Figures) {
    for line in out.lines() {
        if let Some(rest) = line.trim().strip_prefix("BENCH ") {
            for pair in rest.split_whitespace() {
                if let Some((k, v)) = pair.split_once('=') {
                    into.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
}

fn collect_all(from: &Figures, into: &mut Figures) {
    into.extend(from.iter().map(|(k, v)| (k.clone(), v.clone())));
}

fn num(f: &Figures, key: &str) -> Result<f64, String> {
    f.get(key)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("the benchmarks did not report `{key}`"))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The median (ns) criterion wrote for one benchmark in this run.
fn criterion_median(id: &str, since: SystemTime) -> Result<f64, String> {
    let file = target_dir()
        .join("criterion")
        .join(id)
        .join("new/estimates.json");
    let fresh = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t >= since);
    if !fresh {
        return Err(format!("criterion wrote no fresh {}", file.display()));
    }
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    // `{"mean":{…},"median":{"confidence_interval":{…},"point_estimate":<ns>,…},…}`
    let median = text
        .find("\"median\"")
        .map(|i| &text[i..])
        .and_then(|t| t.find("\"point_estimate\":").map(|j| &t[j + 17..]))
        .and_then(|t| {
            let end = t
                .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+')))
                .unwrap_or(t.len());
            t[..end].parse::<f64>().ok()
        });
    median.ok_or_else(|| format!("no median in {}", file.display()))
}

/// (case, ours, theirs, peer label): criterion ids (directories under `criterion/`).
const PEER_CASES: &[(&str, &str, &str, &str)] = &[
    (
        "L1 LRU get (hit), 1 000 entries, 10 000 ops",
        "cache_vs_lru/scalelab_get-hit/1000",
        "cache_vs_lru/lru-crate_get-hit/1000",
        "`lru` 0.19",
    ),
    (
        "L1 LRU put (evicting), 1 000 entries, 10 000 ops",
        "cache_vs_lru/scalelab_put-evict/1000",
        "cache_vs_lru/lru-crate_put-evict/1000",
        "`lru` 0.19",
    ),
    (
        "L1 LRU get (hit), 100 000 entries, 10 000 ops",
        "cache_vs_lru/scalelab_get-hit/100000",
        "cache_vs_lru/lru-crate_get-hit/100000",
        "`lru` 0.19",
    ),
    (
        "L1 LRU put (evicting), 100 000 entries, 10 000 ops",
        "cache_vs_lru/scalelab_put-evict/100000",
        "cache_vs_lru/lru-crate_put-evict/100000",
        "`lru` 0.19",
    ),
    (
        "ring lookup, 16 shards × 100 vnodes, 1 000 keys",
        "ring lookup (16 shards x 100 vnodes, 1000 keys)/scalelab ring",
        "ring lookup (16 shards x 100 vnodes, 1000 keys)/hashring 0.3",
        "`hashring` 0.3",
    ),
    (
        "jump hash, 16 buckets, 1 000 keys",
        "jump hash (16 buckets, 1000 keys)/scalelab jump",
        "jump hash (16 buckets, 1000 keys)/jumphash 0.1",
        "`jumphash` 0.1",
    ),
];

fn time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "pass"
    } else {
        "**MISS**"
    }
}

pub fn bench(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let minutes = if quick { 1.0 } else { 10.0 };
    let started = Instant::now();
    let since = SystemTime::now();
    let mut figures = Figures::new();

    // 1. Core hot paths vs peer crates (criterion, short times).
    let (measure, warm) = if quick { ("1", "0.5") } else { ("2", "1") };
    for bench in ["cache_vs_lru", "sharding_vs_peers"] {
        cmd(
            "cargo",
            &[
                "bench",
                "-p",
                "scalelab-core",
                "--bench",
                bench,
                "--",
                "--measurement-time",
                measure,
                "--warm-up-time",
                warm,
                "--noplot",
            ],
        )
        .run()?;
    }
    let mut peers = Vec::new();
    for (case, ours, theirs, peer) in PEER_CASES {
        let (a, b) = (
            criterion_median(ours, since)?,
            criterion_median(theirs, since)?,
        );
        peers.push((*case, a, b, *peer));
    }

    // 2. The pipeline, natively and in headless Chromium (both release, same profile). The
    //    native runs come before and after the browser's, and their two medians are averaged:
    //    the two cores are shared, and a load that comes or goes during the browser's runs
    //    then weighs on both sides of the ratio instead of on one.
    let runs = if quick { "3" } else { "5" };
    let native_pipeline = || -> Result<Figures, String> {
        let out = cmd(
            "cargo",
            &[
                "bench",
                "-p",
                "scalelab-core",
                "--bench",
                "pipeline",
                "--",
                runs,
            ],
        )
        .run_capture()?;
        let mut f = Figures::new();
        collect(&out, &mut f);
        Ok(f)
    };
    let native_before = native_pipeline()?;
    collect_all(&native_before, &mut figures);
    let native_digest = figures.get("digest").cloned();
    let mut wasm = cmd(
        "cargo",
        &[
            "test",
            "--release",
            "-p",
            "scalelab-core",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "wasm_pipeline",
            "--",
            "--include-ignored",
            "--nocapture",
        ],
    );
    for (k, v) in wasm_runner_env() {
        wasm = wasm.env(k, v);
    }
    let out = wasm.run_capture()?;
    collect(&out, &mut figures);
    let native_after = native_pipeline()?;
    let (before_ms, after_ms) = (
        num(&native_before, "pipeline_native_ms")?,
        num(&native_after, "pipeline_native_ms")?,
    );
    figures.insert(
        "pipeline_native_ms".to_string(),
        format!("{:.3}", (before_ms + after_ms) / 2.0),
    );
    if figures.get("digest") != native_digest.as_ref() {
        return Err(format!(
            "the wasm pipeline's digest {:?} differs from the native one {native_digest:?}",
            figures.get("digest")
        ));
    }

    // 3. The release bundle, then the browser figures on it.
    let pages = release_build()?;
    let bundle_kb = pages.iter().map(|p| p.gz_bytes).max().unwrap_or(0) as f64 / 1024.0;
    let per_page: Vec<String> = pages
        .iter()
        .map(|p| format!("{} {:.0}", p.page, p.gz_bytes as f64 / 1024.0))
        .collect();
    let lessons_kb =
        crate::run::bundle_gz_bytes(&workspace_root().join("dist"), "lessons")? as f64 / 1024.0;
    let minutes_arg = format!("{minutes}");
    let out = cmd(
        "cargo",
        &[
            "run",
            "-p",
            "scalelab-e2e",
            "--bin",
            "bench",
            "--",
            "--minutes",
            &minutes_arg,
        ],
    )
    .env("SCALELAB_E2E_DIST", workspace_root().join("dist"))
    .run_capture()?;
    collect(&out, &mut figures);

    // The table.
    let native = num(&figures, "pipeline_native_ms")?;
    let wasm_ms = num(&figures, "pipeline_wasm_ms")?;
    let ratio = wasm_ms / native;
    let ff = num(&figures, "ff_requests_per_s")?;
    let load = num(&figures, "page_load_ms")?;
    let load_cold = num(&figures, "page_load_cold_ms")?;
    let lesson_load = num(&figures, "lesson_load_ms")?;
    let lesson_cold = num(&figures, "lesson_load_cold_ms")?;
    let frame = num(&figures, "frame_p95_ms")?;
    let in_flight = num(&figures, "in_flight")?;
    let interval = num(&figures, "frame_interval_p95_ms")?;
    let (warm_mb, end_mb, max_mb) = (
        num(&figures, "mem_warm_mb")?,
        num(&figures, "mem_end_mb")?,
        num(&figures, "mem_max_mb")?,
    );
    let (warm_at, end_at) = (
        num(&figures, "mem_warm_at_s")?,
        num(&figures, "mem_end_at_s")?,
    );
    // Flat: at most 5 % (and at least 1 MB of slack) above the first sample after warm-up.
    let flat = end_mb <= warm_mb + (warm_mb * 0.05).max(1.0);

    let mut rows = vec![
        "| figure | how | measured | budget | |".to_string(),
        "|---|---|---|---|---|".to_string(),
    ];
    for (case, ours, theirs, peer) in &peers {
        let r = ours / theirs;
        rows.push(format!(
            "| {case} | criterion medians, same run: ours {} vs {peer} {} | **{r:.2}** | ours ÷ theirs ≤ 1.0 | {} |",
            time(*ours),
            time(*theirs),
            verdict(r <= 1.0)
        ));
    }
    rows.push(format!(
        "| 1 000 000-request pipeline, wasm vs native | balancer → L1/L2 cache → 16-shard ring (`scalelab_core::pipeline::run`), release; median wasm {wasm_ms:.0} ms (headless Chromium) vs native {native:.0} ms (the mean of the medians before and after the browser's runs, {before_ms:.0} / {after_ms:.0} ms), same digest | **{ratio:.2}** | wasm ÷ native ≤ 1.5 | {} |",
        verdict(ratio <= 1.5)
    ));
    rows.push(format!(
        "| fast-forward speed in the browser | balancing scene at speed max for 10 s (drawing skipped); requests = highest request id exported | **{:.2} M requests/s** ({:.2} M steps/s) | ≥ 5 M/s | {} |",
        ff / 1e6,
        num(&figures, "ff_steps_per_s")? / 1e6,
        verdict(ff >= 5e6)
    ));
    let system_ff = num(&figures, "system_ff_requests_per_s")?;
    rows.push(format!(
        "| system scene fast-forward in the browser | the system scene (balancer → autoscaled app tier with L1s → L2 → 8 shards) at its defaults, speed max for 10 s (drawing skipped); requests = highest request id exported | **{:.2} M requests/s** ({:.2} M steps/s) | ≥ 2 M/s | {} |",
        system_ff / 1e6,
        num(&figures, "system_ff_steps_per_s")? / 1e6,
        verdict(system_ff >= 2e6)
    ));
    let system_kb = pages
        .iter()
        .find(|p| p.page == "system")
        .map_or(f64::NAN, |p| p.gz_bytes as f64 / 1024.0);
    rows.push(format!(
        "| system scene page | what the system scene's page downloads (loader + its wasm + js), gzip -9 | **{system_kb:.1} KB** | ≤ 150 KB | {} |",
        verdict(system_kb <= 150.0)
    ));
    rows.push(format!(
        "| release bundle | what one page downloads (loader + its wasm + js) after wasm-opt, gzip -9 (`cargo xtask build`); largest page shown, per page KB: {} | **{bundle_kb:.1} KB** | ≤ 150 KB | {} |",
        per_page.join(", "),
        verdict(bundle_kb <= 150.0)
    ));
    rows.push(format!(
        "| page load | navigation start → scene controls in the DOM (`performance.now()` from a MutationObserver installed before the page), localhost, median of 5 warm loads (first load {load_cold:.0} ms) | **{load:.0} ms** | ≤ 300 ms | {} |",
        verdict(load <= 300.0)
    ));
    rows.push(format!(
        "| lesson page load | navigation start → a lesson's step on screen beside its scene (the scene's bundle, then the lessons bundle, {lessons_kb:.1} KB, and the lesson file), same probe, median of 5 warm loads (first load {lesson_cold:.0} ms) | **{lesson_load:.0} ms** | ≤ 600 ms | {} |",
        verdict(lesson_load <= 600.0)
    ));
    rows.push(format!(
        "| animation | 32 servers at 1/20× (≈ 1 200 steps/s), ≈ {in_flight:.0} requests in flight; main-thread time per frame (rAF timestamp → message posted from rAF) over 5 s; rAF interval p95 {interval:.1} ms | **p95 {frame:.1} ms** | ≤ 8 ms | {} |",
        verdict(frame <= 8.0)
    ));
    for scene in THROTTLED_SCENES {
        let fps = num(&figures, &format!("throttled_fps_{scene}"))?;
        let p95 = num(&figures, &format!("throttled_interval_p95_{scene}"))?;
        let typical = num(&figures, &format!("throttled_fps_median_{scene}"))?;
        rows.push(format!(
            "| animation, CPU throttled 4×: {scene} | the scene at its default settings and speed, playing; rAF intervals over 5 s with Chromium's CPU throttling at 4× (`Emulation.setCPUThrottlingRate`); 3 rounds of every scene, the fastest run (median {typical:.1} frames/s) | **{fps:.1} frames/s, interval p95 {p95:.1} ms** | ≥ 58 frames/s, p95 ≤ 17 ms | {} |",
            verdict(fps >= 58.0 && p95 <= 17.0)
        ));
    }
    let mut throttled_loads = Vec::new();
    for scene in THROTTLED_SCENES {
        throttled_loads.push((scene, num(&figures, &format!("throttled_load_{scene}"))?));
    }
    let slowest = throttled_loads.iter().map(|l| l.1).fold(0.0, f64::max);
    rows.push(format!(
        "| page load, CPU throttled 4×, slow network | navigation start → scene controls in the DOM, CPU throttled 4×, network emulated at 1.6 Mbit/s with a 150 ms round trip, cache off, files served gzip -9; median of 3 per scene: {} | **{slowest:.0} ms** (slowest scene) | ≤ 1 500 ms | {} |",
        throttled_loads
            .iter()
            .map(|(scene, ms)| format!("{scene} {ms:.0}"))
            .collect::<Vec<_>>()
            .join(", "),
        verdict(slowest <= 1_500.0)
    ));
    rows.push(format!(
        "| memory | JS heap (after forced GC) + wasm memory, playing at speed max for {minutes} min, sampled every 10 s: {warm_mb:.1} MB at {warm_at:.0} s (after warm-up) → {end_mb:.1} MB at {end_at:.0} s | **max {max_mb:.1} MB, {}** | flat, ≤ 64 MB | {} |",
        if flat { "flat" } else { "growing" },
        verdict(flat && max_mb <= 64.0)
    ));
    let table = rows.join("\n");
    let command = if quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    println!("\n{table}\n");
    write_section(command, &table)?;
    eprintln!(
        "bench: done in {:.0} s; table written to BENCHMARKS.md",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

const SECTION: &str = "## Performance budgets";

/// The scenes whose throttled frames and load the browser bench reports.
const THROTTLED_SCENES: [&str; 5] = ["balancing", "caching", "scaling", "sharding", "system"];

/// Replaces (or appends) the "Performance budgets" section of BENCHMARKS.md.
fn write_section(command: &str, table: &str) -> Result<(), String> {
    let file = workspace_root().join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&file).map_err(|e| format!("BENCHMARKS.md: {e}"))?;
    let section = format!(
        "{SECTION}\n\nOne command measures every budget side by side and rewrites this section:\n\n\
```sh\ncargo xtask bench           # memory run: 10 minutes\ncargo xtask bench --quick   # shorter criterion times, 1-minute memory run\n```\n\n\
Last run: `{command}` on the project's 2-core machine (headless Chromium; absolute times move \
with machine load, ratios less so).\n\n{table}\n"
    );
    let new = match text.find(SECTION) {
        Some(start) => {
            let rest = &text[start + SECTION.len()..];
            let end = rest
                .find("\n## ")
                .map(|i| start + SECTION.len() + i + 1)
                .unwrap_or(text.len());
            format!("{}{section}{}", &text[..start], {
                let tail = &text[end..];
                if tail.is_empty() {
                    String::new()
                } else {
                    format!("\n{tail}")
                }
            })
        }
        None => format!(
            "{}\n{section}",
            text.trim_end_matches('\n').to_string() + "\n"
        ),
    };
    std::fs::write(&file, new).map_err(|e| format!("BENCHMARKS.md: {e}"))
}
