//! Running the project's commands: serve, test, release build.

use crate::install::tools_bin_dir;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub fn workspace_root() -> PathBuf {
    // xtask/ sits directly under the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// A command run from the workspace root with wasm-opt (from npm) on PATH.
pub struct Cmd {
    inner: Command,
    shown: String,
}

pub fn cmd(program: &str, args: &[&str]) -> Cmd {
    let mut inner = Command::new(program);
    inner.args(args).current_dir(workspace_root());
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![tools_bin_dir()];
    dirs.extend(std::env::split_paths(&path));
    if let Ok(joined) = std::env::join_paths(dirs) {
        inner.env("PATH", joined);
    }
    Cmd {
        inner,
        shown: std::iter::once(program)
            .chain(args.iter().copied())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

impl Cmd {
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.inner.env(key, value);
        self
    }

    /// Runs it with stdout shown as it comes and also returned.
    pub fn run_capture(mut self) -> Result<String, String> {
        use std::io::{BufRead, BufReader};
        eprintln!("\n$ {}", self.shown);
        let started = Instant::now();
        let mut child = self
            .inner
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start `{}`: {e}", self.shown))?;
        let mut out = String::new();
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("{line}");
                out.push_str(&line);
                out.push('\n');
            }
        }
        let status = child.wait().map_err(|e| format!("`{}`: {e}", self.shown))?;
        if status.success() {
            eprintln!("  ({:.1} s)", started.elapsed().as_secs_f64());
            Ok(out)
        } else {
            Err(format!("`{}` failed ({status})", self.shown))
        }
    }

    pub fn run(mut self) -> Result<(), String> {
        eprintln!("\n$ {}", self.shown);
        let started = Instant::now();
        let status = self
            .inner
            .status()
            .map_err(|e| format!("could not start `{}`: {e}", self.shown))?;
        if status.success() {
            eprintln!("  ({:.1} s)", started.elapsed().as_secs_f64());
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", self.shown))
        }
    }
}

/// Stdout of a command, or None if it cannot run or fails.
pub fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

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
    // The browser suite runs once, below, against the release bundle.
    cmd(
        "cargo",
        &["test", "--workspace", "--exclude", "scalelab-e2e"],
    )
    .run()?;
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

/// `trunk build --release` with wasm-opt, then the gzipped size of what a browser downloads
/// (wasm + js, bytes).
pub fn release_build() -> Result<u64, String> {
    cmd("trunk", &["build", "--release", "--offline"]).run()?;
    let dist = workspace_root().join("dist");
    let mut total_gz = 0u64;
    let entries = std::fs::read_dir(&dist).map_err(|e| format!("cannot read dist/: {e}"))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "wasm" || ext == "js" {
            let gz = gzipped_len(&path)?;
            eprintln!("  {}: {} bytes gzipped", path.display(), gz);
            total_gz += gz;
        }
    }
    eprintln!(
        "  wasm + js: {:.1} KB gzipped (gzip -9)",
        total_gz as f64 / 1024.0
    );
    Ok(total_gz)
}

fn gzipped_len(path: &Path) -> Result<u64, String> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    Ok(out.stdout.len() as u64)
}
