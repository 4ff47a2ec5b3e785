//! Installing the toolchain pieces the playground needs, each only when missing or at the
//! wrong version. Versions and the ways that work on this machine kind are recorded in
//! `../shared/reference/toolchain.md`.

use crate::shell::{cmd, output_of, tools_bin_dir, workspace_root};

/// trunk 0.22 needs a newer rustc; 0.21.14 builds only with `--locked`.
pub const TRUNK_VERSION: &str = "0.21.14";
/// npm's binaryen ships a wasm-opt that understands current rustc output (Debian's does not).
pub const BINARYEN_VERSION: &str = "132.0.0";
/// cargo-fuzz, for `cargo xtask fuzz` (the smoke run is part of `cargo xtask test`).
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// The pinned nightly that release builds use to rebuild std for size (`run::release_build`):
/// std built at `opt-level = "z"` with `panic=immediate-abort` leaves out the panic machinery's
/// formatting, about 20 KB gzipped per page. Pinned, so a release is reproducible; only the
/// release bundle uses it, every test and `trunk serve` run on stable.
pub const SIZE_TOOLCHAIN: &str = "nightly-2026-05-19";
/// terser, which minifies the release's JavaScript (wasm-bindgen's glue and the loader): trunk's
/// own minifier fails on wasm-bindgen's output and leaves it as it is.
pub const TERSER_VERSION: &str = "5.51.4";
/// axe-core, injected into pages by the end-to-end accessibility checks (tests/).
pub const AXE_CORE_VERSION: &str = "4.10.3";

pub struct Needs {
    browser: bool,
}

impl Needs {
    pub const SERVE: Needs = Needs { browser: false };
    pub const TEST: Needs = Needs { browser: true };
}

pub fn tools(needs: Needs) -> Result<(), String> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen_cli()?;
    wasm_opt()?;
    terser()?;
    if needs.browser {
        browser()?;
        axe_core()?;
        cargo_fuzz()?;
    }
    // trunk runs cargo offline (Trunk.toml), so every crate must be in the local registry.
    cmd("cargo", &["fetch"]).run()
}

fn wasm_target() -> Result<(), String> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    cmd("rustup", &["target", "add", "wasm32-unknown-unknown"]).run()
}

/// Whether release builds can use [`SIZE_TOOLCHAIN`], installing it (with std's sources and
/// their crates) when missing. A machine that cannot fetch it builds on stable instead: the
/// same page, about 20 KB larger per page, which the bundle test reports. Setting
/// `SCALELAB_STABLE_RELEASE` builds on stable here too.
pub fn size_toolchain() -> bool {
    // For comparing the two builds, or for a machine where the nightly misbehaves.
    if std::env::var_os("SCALELAB_STABLE_RELEASE").is_some() {
        eprintln!("xtask: SCALELAB_STABLE_RELEASE is set: the release build uses stable Rust");
        return false;
    }
    let has_src = || {
        output_of(
            "rustup",
            &[
                "component",
                "list",
                "--installed",
                "--toolchain",
                SIZE_TOOLCHAIN,
            ],
        )
        .is_some_and(|out| out.lines().any(|l| l.trim().starts_with("rust-src")))
    };
    if !has_src() {
        let installed = cmd(
            "rustup",
            &[
                "toolchain",
                "install",
                SIZE_TOOLCHAIN,
                "--profile",
                "minimal",
                "--component",
                "rust-src",
            ],
        )
        .run();
        if let Err(e) = installed {
            eprintln!("xtask: {e}; the release build uses stable Rust (larger pages)");
            return false;
        }
    }
    // trunk runs cargo offline, so std's own crates must be in the local registry too.
    let toolchain = format!("+{SIZE_TOOLCHAIN}");
    let fetched = cmd(
        "cargo",
        &[
            &toolchain,
            "fetch",
            "-Zbuild-std=std,panic_abort",
            "--target",
            "wasm32-unknown-unknown",
        ],
    )
    .run();
    match fetched {
        Ok(()) => true,
        Err(e) => {
            eprintln!("xtask: {e}; the release build uses stable Rust (larger pages)");
            false
        }
    }
}

fn has_version(tool: &str, version: &str) -> bool {
    output_of(tool, &["--version"])
        .map(|out| out.split_whitespace().any(|w| w == version))
        .unwrap_or(false)
}

fn trunk() -> Result<(), String> {
    if has_version("trunk", TRUNK_VERSION) {
        return Ok(());
    }
    cmd(
        "cargo",
        &["install", "trunk", "--version", TRUNK_VERSION, "--locked"],
    )
    .run()
}

pub fn cargo_fuzz() -> Result<(), String> {
    if output_of("cargo", &["fuzz", "--version"])
        .is_some_and(|out| out.split_whitespace().any(|w| w == CARGO_FUZZ_VERSION))
    {
        return Ok(());
    }
    cmd(
        "cargo",
        &[
            "install",
            "cargo-fuzz",
            "--version",
            CARGO_FUZZ_VERSION,
            "--locked",
        ],
    )
    .run()
}

/// The wasm-bindgen version resolved in Cargo.lock: the CLI must match it exactly.
pub fn pinned_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(workspace_root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

fn wasm_bindgen_cli() -> Result<(), String> {
    let version = pinned_wasm_bindgen()?;
    if has_version("wasm-bindgen", &version) && has_version("wasm-bindgen-test-runner", &version) {
        return Ok(());
    }
    // Not `--locked`: its lock file names a crate version newer than the registry holds.
    cmd(
        "cargo",
        &["install", "wasm-bindgen-cli", "--version", &version],
    )
    .run()
}

fn wasm_opt() -> Result<(), String> {
    let bin = tools_bin_dir().join("wasm-opt");
    if bin.exists() {
        return Ok(());
    }
    npm_install(&format!("binaryen@{BINARYEN_VERSION}"))
}

fn npm_install(spec: &str) -> Result<(), String> {
    let prefix = workspace_root().join("target/tools");
    std::fs::create_dir_all(&prefix).map_err(|e| format!("cannot create {prefix:?}: {e}"))?;
    cmd(
        "npm",
        &[
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            &prefix.to_string_lossy(),
            spec,
        ],
    )
    .run()
}

fn terser() -> Result<(), String> {
    if tools_bin_dir().join("terser").exists() {
        return Ok(());
    }
    npm_install(&format!("terser@{TERSER_VERSION}"))
}

/// axe-core's browser bundle, for the end-to-end accessibility checks.
fn axe_core() -> Result<(), String> {
    let file = workspace_root().join("target/tools/node_modules/axe-core/axe.min.js");
    if file.exists() {
        return Ok(());
    }
    npm_install(&format!("axe-core@{AXE_CORE_VERSION}"))
}

fn browser() -> Result<(), String> {
    let have = |p: &str| std::path::Path::new(p).exists();
    if have("/usr/bin/chromium") && have("/usr/bin/chromedriver") {
        return Ok(());
    }
    cmd("apt-get", &["update"]).run()?;
    cmd(
        "apt-get",
        &[
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ],
    )
    .env("DEBIAN_FRONTEND", "noninteractive")
    .run()
}
