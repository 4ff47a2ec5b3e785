//! Running other programs from the workspace root, with the npm tools this project installs
//! (wasm-opt, terser) on PATH.

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

    /// Runs it quietly and returns its stdout (its stderr still shows).
    pub fn stdout(mut self) -> Result<String, String> {
        let out = self
            .inner
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("could not start `{}`: {e}", self.shown))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!("`{}` failed ({})", self.shown, out.status))
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

/// Where npm puts wasm-opt: inside target/, so a clean clone installs its own.
pub fn tools_bin_dir() -> PathBuf {
    workspace_root().join("target/tools/node_modules/.bin")
}
