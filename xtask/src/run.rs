//! Running the project's commands: serve, test, release build.

use crate::install::SIZE_TOOLCHAIN;
use crate::shell::{cmd, workspace_root};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub fn serve(extra: &[String]) -> Result<(), String> {
    let mut args = vec!["serve", "--offline"];
    args.extend(extra.iter().map(String::as_str));
    cmd("trunk", &args).run()
}

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The environment wasm-bindgen-test-runner needs to run wasm32 tests in headless Chromium.
pub fn wasm_runner_env() -> Vec<(&'static str, std::ffi::OsString)> {
    vec![
        (
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner".into(),
        ),
        ("CHROMEDRIVER", CHROMEDRIVER.into()),
        // Without these flags Chromium floods this machine's closed network at start-up.
        (
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            workspace_root().join("tests/webdriver.json").into(),
        ),
        ("WASM_BINDGEN_TEST_TIMEOUT", "300".into()),
    ]
}

/// wasm32 tests run by wasm-bindgen-test-runner in headless Chromium.
fn wasm_test(package: &str, only: &[&str]) -> Result<(), String> {
    let mut args = vec![
        "test",
        "--package",
        package,
        "--target",
        "wasm32-unknown-unknown",
    ];
    args.extend_from_slice(only);
    let mut c = cmd("cargo", &args);
    for (k, v) in wasm_runner_env() {
        c = c.env(k, v);
    }
    c.run()
}

pub fn test() -> Result<(), String> {
    let started = Instant::now();
    cmd("cargo", &["fmt", "--all", "--", "--check"]).run()?;
    cmd(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )
    .run()?;
    // The code only the browser compiles (`cfg(target_arch = "wasm32")`), and the wasm32
    // tests. The core's other tests are native-only (proptest).
    for (package, targets) in [
        ("scalelab-web", "--all-targets"),
        ("scalelab-core", "--lib"),
    ] {
        cmd(
            "cargo",
            &[
                "clippy",
                "--package",
                package,
                "--target",
                "wasm32-unknown-unknown",
                targets,
                "--",
                "-D",
                "warnings",
            ],
        )
        .run()?;
    }
    // The browser suite runs once, below, against the release bundle.
    cmd(
        "cargo",
        &["test", "--workspace", "--exclude", "scalelab-e2e"],
    )
    .run()?;
    // The core's library face: its documentation builds without a warning (every public
    // item documented, every link resolved) and each family's example runs.
    cmd("cargo", &["doc", "--package", "scalelab-core", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .run()?;
    let examples = std::fs::read_dir(workspace_root().join("core/examples"))
        .map_err(|e| format!("cannot read core/examples: {e}"))?;
    let mut names: Vec<String> = examples
        .flatten()
        .filter_map(|e| Some(e.file_name().to_str()?.strip_suffix(".rs")?.to_string()))
        .collect();
    names.sort();
    for example in &names {
        let args = ["run", "--quiet", "--package", "scalelab-core", "--example"];
        cmd("cargo", &[&args[..], &[example.as_str()]].concat()).run()?;
    }
    // Each fuzz target briefly (its seeds and what libFuzzer finds near them).
    crate::fuzz::fuzz(&["--smoke".into()])?;
    // The core's property tests and benches are native-only; its wasm32 run is the
    // determinism suite, which must give the same digests as the native run above.
    wasm_test("scalelab-core", &["--test", "determinism"])?;
    wasm_test("scalelab-web", &[])?;
    release_build()?;
    e2e_test()?;
    eprintln!(
        "\nall checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The end-to-end suite (`tests/`, package `scalelab-e2e`) in headless Chromium, on the bundle
/// `release_build` just wrote to dist/ (so it is not built twice). Needs chromium and
/// chromedriver from `setup` and wasm-opt on PATH (as every `cmd` has); a missing browser is a
/// failure here, not a skip.
fn e2e_test() -> Result<(), String> {
    // Only the browser suite: its closing line is the last test result CI reads.
    cmd(
        "cargo",
        &["test", "--package", "scalelab-e2e", "--test", "e2e"],
    )
    .env("SCALELAB_E2E_DIST", workspace_root().join("dist"))
    .env("SCALELAB_E2E_REQUIRED", "1")
    .run()
}

/// The bundle budget: what one page downloads (wasm + js, gzip -9), in bytes.
pub const BUNDLE_BUDGET: u64 = 150 * 1024;
/// What `cargo xtask test` holds a release built on stable Rust to, when the size toolchain
/// cannot be installed: std as shipped, with its panic formatting, adds about 20 KB to every
/// page, so the budget itself cannot hold there; this still catches a page linking back what
/// was cut (Rust's float formatter, serde_json's parser, another scene's checks or messages).
pub const BUNDLE_GUARD_STABLE: u64 = 175 * 1024;

/// What each page downloads, gzipped: the loader plus its one bundle (landing or a scene).
pub struct PageBundle {
    pub page: String,
    pub gz_bytes: u64,
}

/// `trunk build --release` with wasm-opt, then the gzipped size of what each page downloads
/// (the loader inline in `index.html` + that page's wasm + its js). Fails if a page exceeds
/// [`BUNDLE_BUDGET`] ([`BUNDLE_GUARD_STABLE`] when built on stable).
pub fn release_build() -> Result<Vec<PageBundle>, String> {
    let size_toolchain = crate::install::size_toolchain();
    let mut build = if size_toolchain {
        // Cargo.toml's `web-release` profile: which of std's crates keep their speed.
        cmd(
            "trunk",
            &[
                "build",
                "--release",
                "--offline",
                "--cargo-profile",
                "web-release",
            ],
        )
    } else {
        cmd("trunk", &["build", "--release", "--offline"])
    };
    if size_toolchain {
        // std rebuilt with the page: at `opt-level = "z"` like our code, and with
        // `panic=immediate-abort`, so no panic message formatting is linked (a panic is a
        // trap, which the loader turns into the error panel). `location-detail=none` drops the
        // file names panics would have quoted.
        eprintln!("xtask: release build with {SIZE_TOOLCHAIN} and std rebuilt for size");
        build = build
            .env("RUSTUP_TOOLCHAIN", SIZE_TOOLCHAIN)
            .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none",
            );
    }
    build.run()?;
    let dist = workspace_root().join("dist");
    let scenes = scene_bundles(&dist)?;
    float_formatter_absent(
        if size_toolchain {
            "web-release"
        } else {
            "release"
        },
        &scenes,
    )?;
    crate::wasm_names::shorten(&dist)?;
    minify_js(&dist)?;
    let loader = minify_loader(&dist)?;
    let mut files: Vec<(String, u64)> = Vec::new();
    let entries = std::fs::read_dir(&dist).map_err(|e| format!("cannot read dist/: {e}"))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wasm") || name.ends_with(".js") {
            files.push((name, gzipped_len(&path)?));
        }
    }
    files.sort();
    let size_of = |prefix: &str| -> u64 {
        files
            .iter()
            .filter(|(n, _)| n.starts_with(prefix))
            .map(|(_, gz)| gz)
            .sum()
    };
    let mut pages = vec![PageBundle {
        page: "landing".into(),
        gz_bytes: loader + size_of("landing"),
    }];
    for scene in &scenes {
        pages.push(PageBundle {
            page: scene.clone(),
            gz_bytes: loader + size_of(&format!("scene-{scene}")),
        });
    }
    for p in &pages {
        eprintln!(
            "  page {:<10} {:>7.1} KB gzipped (loader + wasm + js; budget {} KB{})",
            p.page,
            p.gz_bytes as f64 / 1024.0,
            BUNDLE_BUDGET / 1024,
            if p.gz_bytes <= BUNDLE_BUDGET {
                ", met"
            } else {
                ", NOT met"
            }
        );
    }
    // Loaded only on a page's first export or import (by the loader), so no page's download.
    eprintln!(
        "  files bundle     {:>7.1} KB gzipped (loaded on a page's first export or import)",
        size_of("files") as f64 / 1024.0
    );
    // Loaded when a link names a lesson: a lesson's page downloads its scene's page and this.
    eprintln!(
        "  lessons bundle   {:>7.1} KB gzipped (loaded when a link names a lesson)",
        size_of("lessons") as f64 / 1024.0
    );
    // The budget is the test. Only a release built on stable (no size toolchain on this
    // machine) is held to the looser guard instead, and says so.
    let (limit, what) = if size_toolchain {
        (BUNDLE_BUDGET, "budget")
    } else {
        eprintln!(
            "xtask: built on stable Rust, so the pages are held to the {} KB guard, not the \
             {} KB budget",
            BUNDLE_GUARD_STABLE / 1024,
            BUNDLE_BUDGET / 1024
        );
        (BUNDLE_GUARD_STABLE, "stable-build guard")
    };
    if let Some(p) = pages.iter().find(|p| p.gz_bytes > limit) {
        return Err(format!(
            "the {} page downloads {:.1} KB gzipped, over the {} KB {what} \
             (is another scene's code, or Rust's float formatter, linked into its bundle?)",
            p.page,
            p.gz_bytes as f64 / 1024.0,
            limit / 1024
        ));
    }
    Ok(pages)
}

/// Every bundle's JavaScript through terser, in place: wasm-bindgen's glue (about 1.4 KB
/// gzipped less per page; an ES module, so top-level names may be mangled too).
fn minify_js(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot read dist/: {e}"))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".js") {
            continue;
        }
        terser(&path)?;
    }
    Ok(())
}

/// One ES module through terser, in place: compressed, and its names mangled (top-level ones
/// too, as a module's are its own).
fn terser(file: &Path) -> Result<(), String> {
    let file = file.to_string_lossy().into_owned();
    cmd(
        "terser",
        &[
            &file,
            "--module",
            "--compress",
            "--mangle",
            "--output",
            &file,
        ],
    )
    .run()
}

/// The loader inline in index.html through terser, as the bundles' glue is, and the page's
/// policy given the minified loader's hash (xtask/src/loader.rs). Returns the minified
/// loader's gzipped size: what a page downloads of it, inside index.html.
fn minify_loader(dist: &Path) -> Result<u64, String> {
    let index_path = dist.join("index.html");
    let html = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("cannot read {index_path:?}: {e}"))?;
    let span = crate::loader::loader_span(&html)?;
    // terser reads and writes files; this one lives only until the loader is back inline.
    let file = dist.join("loader.tmp.js");
    std::fs::write(&file, &html[span]).map_err(|e| format!("cannot write {file:?}: {e}"))?;
    terser(&file)?;
    let minified =
        std::fs::read_to_string(&file).map_err(|e| format!("cannot read {file:?}: {e}"))?;
    let gz = gzipped_len(&file)?;
    std::fs::remove_file(&file).map_err(|e| format!("cannot remove {file:?}: {e}"))?;
    let html = crate::loader::with_loader(&html, minified.trim_end())?;
    std::fs::write(&index_path, html).map_err(|e| format!("cannot write {index_path:?}: {e}"))?;
    Ok(gz)
}

/// Rust's float formatter (`{}` or `{:.N}` on an `f64`) costs a page about 8 KB gzipped, so
/// the pages write numbers with `scalelab_core::num_text` instead. One `f64` in a `format!`
/// links it back; this finds it by name in cargo's wasm (before wasm-opt strips the names).
fn float_formatter_absent(profile: &str, scenes: &[String]) -> Result<(), String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let dir = target.join("wasm32-unknown-unknown").join(profile);
    let bins =
        std::iter::once("landing".to_string()).chain(scenes.iter().map(|s| format!("scene-{s}")));
    for bin in bins {
        let path = dir.join(format!("{bin}.wasm"));
        let wasm = std::fs::read(&path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
        if wasm
            .windows(FLOAT_FORMATTER.len())
            .any(|w| w == FLOAT_FORMATTER)
        {
            return Err(format!(
                "the {bin} page links Rust's float formatter (about 8 KB gzipped): an f64 is \
                 formatted with {{}} or {{:.N}} somewhere it reaches; write it with \
                 scalelab_core::num_text (fixed, shortest, Num, Fixed) instead"
            ));
        }
    }
    Ok(())
}

/// What the float formatter's functions are named in a wasm name section.
const FLOAT_FORMATTER: &[u8] = b"float_to_decimal_common";
/// The scenes trunk built a bundle for (`dist/scene-<name>.js`, one per `<link>` in index.html,
/// which a test holds to the scene registry), in name order.
fn scene_bundles(dist: &Path) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot read dist/: {e}"))?;
    let mut scenes: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Some(
                name.strip_prefix("scene-")?
                    .strip_suffix(".js")?
                    .to_string(),
            )
        })
        .collect();
    scenes.sort();
    if scenes.is_empty() {
        return Err("dist/ has no scene bundle (scene-<name>.js)".into());
    }
    Ok(scenes)
}

/// The gzipped size of the bundle `name` in `dist/` (its wasm and js), in bytes: a bundle
/// loaded on demand, such as `lessons`.
pub fn bundle_gz_bytes(dist: &Path, name: &str) -> Result<u64, String> {
    let mut total = 0;
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot read dist/: {e}"))?;
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let ours = file == format!("{name}.js") || file == format!("{name}_bg.wasm");
        if ours {
            total += gzipped_len(&entry.path())?;
        }
    }
    Ok(total)
}

fn gzipped_len(path: &Path) -> Result<u64, String> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    Ok(out.stdout.len() as u64)
}
