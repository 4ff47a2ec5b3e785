//! The release bundle (built once per run with trunk) and axe-core's source.

use crate::{workspace_root, Result};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

/// The npm package the accessibility checks inject (installed by `cargo xtask setup` too).
pub const AXE_SPEC: &str = "axe-core@4.10.3";

fn tools_dir() -> PathBuf {
    workspace_root().join("target/tools")
}

/// PATH with npm's wasm-opt (binaryen) first: trunk's release build runs it.
fn path_with_tools() -> std::ffi::OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![tools_dir().join("node_modules/.bin")];
    dirs.extend(std::env::split_paths(&path));
    std::env::join_paths(dirs).unwrap_or(path)
}

/// The built bundle's directory: `SCALELAB_E2E_DIST` if set, else a fresh
/// `trunk build --release --offline` into `target/e2e-dist`, done once per process.
pub fn dist() -> Result<PathBuf> {
    static DIST: OnceLock<std::result::Result<PathBuf, String>> = OnceLock::new();
    DIST.get_or_init(build).clone().map_err(Into::into)
}

fn build() -> std::result::Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("SCALELAB_E2E_DIST") {
        let dir = PathBuf::from(dir);
        if dir.join("index.html").exists() {
            eprintln!("e2e: using the bundle in {}", dir.display());
            return Ok(dir);
        }
        return Err(format!(
            "SCALELAB_E2E_DIST={} has no index.html",
            dir.display()
        ));
    }
    let root = workspace_root();
    let dist = root.join("target/e2e-dist");
    // trunk's cargo must not share the target dir `cargo test` is holding locked.
    let target = std::env::var_os("SCALELAB_E2E_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/e2e-cargo"));
    eprintln!(
        "e2e: trunk build --release --offline --dist {} (cargo target {})",
        dist.display(),
        target.display()
    );
    let started = Instant::now();
    let out = Command::new("trunk")
        .args(["build", "--release", "--offline", "--dist"])
        .arg(&dist)
        .current_dir(&root)
        .env("PATH", path_with_tools())
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("CARGO_BUILD_TARGET_DIR")
        // trunk reads these from the environment; a parent `cargo test` may set them.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run trunk (install it with `cargo xtask setup`): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "trunk build failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    eprintln!(
        "e2e: bundle built in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(dist)
}

/// axe-core's `axe.min.js`, installed with npm into `target/tools` when missing.
pub fn axe_source() -> Result<String> {
    let file = tools_dir().join("node_modules/axe-core/axe.min.js");
    if !file.exists() {
        std::fs::create_dir_all(tools_dir())?;
        eprintln!("e2e: npm install {AXE_SPEC}");
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(tools_dir())
            .arg(AXE_SPEC)
            .status()
            .map_err(|e| format!("cannot run npm to install {AXE_SPEC}: {e}"))?;
        if !status.success() {
            return Err(format!("npm install {AXE_SPEC} failed ({status})").into());
        }
    }
    Ok(std::fs::read_to_string(&file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?)
}
