//! The end-to-end suite: every test gets a fresh headless Chromium session on the release
//! bundle. A small runner (not libtest) so the bundle is built once, one chromedriver serves
//! the run, at most `SCALELAB_E2E_JOBS` (2) browsers run at once, every test leaves a
//! screenshot, and everything is shut down at the end even when tests fail or panic.
//!
//! `cargo test -p scalelab-e2e [-- <name filter>…] [--list]`

mod bad_input;
mod balancing;
mod caching;
mod deploy;
mod explain;
mod generic;
mod lessons;
mod runner;
mod scaling;
mod security;
mod sharding;
mod share;
mod speed;
mod strategy_switch;
mod system;

use scalelab_e2e::page::within;
use scalelab_e2e::{Harness, Page, Result};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::{Duration, Instant};

pub type BoxFut<'a> = Pin<Box<dyn Future<Output = Result<()>> + 'a>>;
pub type TestFn = for<'a> fn(&'a mut Page, &'static str) -> BoxFut<'a>;

/// Turns `async fn f(p: &mut Page, scene: &'static str) -> Result<()>` into a [`TestFn`].
#[macro_export]
macro_rules! test_fn {
    ($f:path) => {{
        fn wrapped<'a>(p: &'a mut scalelab_e2e::Page, s: &'static str) -> $crate::BoxFut<'a> {
            Box::pin($f(p, s))
        }
        wrapped as $crate::TestFn
    }};
}

pub struct Test {
    pub name: String,
    /// The scene a generic test runs on (passed to the test function).
    pub scene: &'static str,
    pub run: TestFn,
}

/// Longest a single test may take (page loads included).
const TEST_LIMIT: Duration = Duration::from_secs(150);

fn all_tests() -> Vec<Test> {
    let mut tests = Vec::new();
    let scenes = scalelab_e2e::scenes();
    assert!(!scenes.is_empty(), "index.html names no scene bundle");
    for scene in scenes {
        tests.extend(generic::tests(scene));
        tests.extend(explain::tests(scene));
    }
    tests.extend(balancing::tests());
    tests.extend(caching::tests());
    tests.extend(sharding::tests());
    tests.extend(scaling::tests());
    tests.extend(system::tests());
    tests.extend(share::tests());
    tests.extend(strategy_switch::tests());
    tests.extend(deploy::tests());
    tests.extend(bad_input::tests());
    tests.extend(security::tests());
    tests.extend(lessons::tests());
    tests.extend(runner::tests());
    tests.extend(speed::tests());
    tests
}

struct Outcome {
    name: String,
    error: Option<String>,
    secs: f64,
}

async fn run_one(h: Rc<Harness>, test: &Test) -> Outcome {
    let started = Instant::now();
    let name = test.name.clone();
    let result: Result<()> = async {
        let page = within(
            "opening a browser session",
            Duration::from_secs(60),
            h.page(&name),
        )
        .await?;
        let client = page.client.clone();
        let (run, scene) = (test.run, test.scene);
        // The test runs in its own task so a panic is caught and the session still closes.
        let task = tokio::task::spawn_local(async move {
            let mut page = page;
            let r = within("the test", TEST_LIMIT, run(&mut page, scene)).await;
            let r = match r {
                // Whatever a test did, the console must stay clean.
                Ok(()) => page.assert_no_console_errors().await,
                Err(e) => Err(e),
            };
            let shot = page.screenshot("").await;
            (r, shot.is_ok())
        });
        let (r, shot_ok) = match task.await {
            Ok(v) => v,
            Err(e) => (Err(format!("the test panicked: {e}").into()), false),
        };
        if !shot_ok {
            // After a panic or a failed screenshot: try once more from here.
            if let Ok(png) = client.screenshot().await {
                let dir = scalelab_e2e::screenshot_dir();
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(dir.join(format!("{name}.png")), png);
            }
        }
        let _ = within("closing the session", Duration::from_secs(20), async {
            client.close().await.map_err(Into::into)
        })
        .await;
        r
    }
    .await;
    Outcome {
        name: test.name.clone(),
        error: result.err().map(|e| e.to_string()),
        secs: started.elapsed().as_secs_f64(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let list = args.iter().any(|a| a == "--list");
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let tests: Vec<Test> = all_tests()
        .into_iter()
        .filter(|t| filters.is_empty() || filters.iter().any(|f| t.name.contains(f.as_str())))
        .collect();
    if list {
        for t in &tests {
            println!("{}: test", t.name);
        }
        return;
    }
    if tests.is_empty() {
        println!("e2e: no test matches {filters:?}");
        return;
    }
    if let Some(missing) = scalelab_e2e::missing_tools() {
        let msg = format!(
            "e2e: missing {missing}; `cargo xtask setup` installs them (apt: chromium chromium-driver)"
        );
        if std::env::var("SCALELAB_E2E_REQUIRED").is_ok_and(|v| v == "1") {
            eprintln!("{msg}");
            std::process::exit(1);
        }
        println!("{msg}; skipping {} end-to-end tests", tests.len());
        return;
    }
    let started = Instant::now();
    let harness = match Harness::start() {
        Ok(h) => Rc::new(h),
        Err(e) => {
            eprintln!("e2e: cannot start the harness: {e}");
            std::process::exit(1);
        }
    };
    let jobs: usize = std::env::var("SCALELAB_E2E_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(2);
    println!(
        "\nrunning {} end-to-end tests ({jobs} browsers at once) against {}",
        tests.len(),
        harness.server.origin()
    );
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("e2e: cannot start tokio: {e}");
            std::process::exit(1);
        }
    };
    let total = tests.len();
    let local = tokio::task::LocalSet::new();
    let outcomes: Vec<Outcome> = local.block_on(&runtime, async {
        let sem = Rc::new(tokio::sync::Semaphore::new(jobs));
        let tests = Rc::new(tests);
        let mut handles = Vec::new();
        for i in 0..tests.len() {
            let (sem, tests, h) = (sem.clone(), tests.clone(), harness.clone());
            handles.push(tokio::task::spawn_local(async move {
                let _permit = sem.acquire().await;
                let o = run_one(h, &tests[i]).await;
                match &o.error {
                    None => println!("test {} ... ok ({:.1} s)", o.name, o.secs),
                    Some(_) => println!("test {} ... FAILED ({:.1} s)", o.name, o.secs),
                }
                o
            }));
        }
        let mut out = Vec::new();
        for handle in handles {
            if let Ok(o) = handle.await {
                out.push(o);
            }
        }
        out
    });
    drop(runtime);
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.error.is_some()).collect();
    if !failed.is_empty() {
        println!("\nfailures:");
        for o in &failed {
            println!(
                "\n---- {} ----\n{}",
                o.name,
                o.error.as_deref().unwrap_or("")
            );
        }
    }
    println!(
        "\nscreenshots: {} (one per test, named after it)",
        scalelab_e2e::screenshot_dir().display()
    );
    // The same closing line as cargo's own harness, so CI reads the counts.
    println!(
        "test result: {}. {} passed; {} failed; 0 ignored; 0 measured; 0 filtered out; finished in {:.2}s",
        if failed.is_empty() { "ok" } else { "FAILED" },
        outcomes.len() - failed.len(),
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    // Stop chromedriver (and any browser it still has) and the file server.
    drop(harness);
    if !failed.is_empty() || outcomes.len() < total {
        std::process::exit(1);
    }
}
