//! The end-to-end harness: builds the release bundle with trunk once per run, serves it on a
//! loopback port, starts one `chromedriver`, and opens a fresh headless Chromium session per
//! test. Every child process is owned by a guard that kills it on drop, so a failing test never
//! leaves a browser behind.
//!
//! Console errors are read from chromedriver's browser log (`goog:loggingPrefs` →
//! `POST /session/{id}/se/log`), which also sees errors raised before any script of ours could
//! be injected (a failed wasm fetch, a panic during start-up).
//!
//! Environment:
//! - `SCALELAB_E2E_DIST=<dir>`: use an already built bundle instead of running trunk.
//! - `SCALELAB_E2E_TARGET_DIR=<dir>`: cargo target dir for trunk's build (default
//!   `target/e2e-cargo`; it must differ from the one `cargo test` holds locked).
//! - `SCALELAB_E2E_REQUIRED=1`: a missing browser is a failure, not a skip (`cargo xtask test`).
//! - `SCALELAB_E2E_JOBS=<n>`: browser sessions at once (default 2).

pub mod bundle;
pub mod driver;
pub mod page;
pub mod server;

pub use page::{Page, Snapshot};

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The workspace root (this crate sits directly under it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Where the suite also serves the site, to check it works under a path and not only at a
/// host's root.
pub const SUB_PATH: &str = "/courses/scalelab/";

/// How long a condition may take before a test gives up waiting for it.
pub const WAIT: Duration = Duration::from_secs(20);

/// Where screenshots go.
pub fn screenshot_dir() -> PathBuf {
    workspace_root().join("target/e2e-screenshots")
}

/// A boxed error with a message; tests return `Result<(), Error>`.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Fails the current test with a formatted message.
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => { return Err(format!($($arg)*).into()) };
}

/// Fails the current test unless the condition holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($arg:tt)*) => { if !$cond { $crate::bail!($($arg)*); } };
}

/// Everything a run shares: the served bundle and the chromedriver.
pub struct Harness {
    pub server: server::StaticServer,
    pub driver: driver::ChromeDriver,
    pub axe_source: String,
}

impl Harness {
    /// Builds (or reuses) the bundle, starts the file server and chromedriver.
    pub fn start() -> Result<Harness> {
        let dist = bundle::dist()?;
        let axe_source = bundle::axe_source()?;
        // trunk copies examples/ into the bundle (`copy-dir`), so the course page is served
        // from where a deployment would serve it: /examples/course-page.html.
        // The same bundle under a sub-path too, as a course site would host it
        // ([`SUB_PATH`]): the first mount whose prefix matches serves a request.
        let mounts = vec![
            (SUB_PATH.to_string(), dist.clone()),
            ("/".to_string(), dist),
        ];
        let server = server::StaticServer::start(mounts)?;
        let driver = driver::ChromeDriver::start()?;
        Ok(Harness {
            server,
            driver,
            axe_source,
        })
    }

    /// A new browser session (a fresh profile) on the bundle.
    pub async fn page(&self, test_name: &str) -> Result<Page> {
        Page::open(self, test_name).await
    }
}

/// The scenes the site builds, in index.html's order: one trunk `<link data-bin="scene-<name>">`
/// each (a web test holds that list to the scene registry), so a new scene gets every generic
/// check without being listed here.
pub fn scenes() -> Vec<&'static str> {
    let html = std::fs::read_to_string(workspace_root().join("index.html")).unwrap_or_default();
    html.split("data-bin=\"scene-")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|name| &*Box::leak(name.to_string().into_boxed_str()))
        .collect()
}

/// What is missing to run the suite here (browsers; trunk unless a bundle is given), if
/// anything.
pub fn missing_tools() -> Option<String> {
    let mut missing = Vec::new();
    for tool in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(tool).exists() {
            missing.push(tool.to_string());
        }
    }
    let trunk_runs = std::process::Command::new("trunk")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if std::env::var_os("SCALELAB_E2E_DIST").is_none() && !trunk_runs {
        missing.push("trunk".into());
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}
