//! One browser session on the bundle, with the few things every test needs: open a link,
//! wait on a condition, read the shared controls, press keys, read the console, run axe,
//! save a screenshot.

use crate::{bail, Harness, Result, CHROMIUM, WAIT};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The page's shared state, read in one script call.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// `data-scene` of the shown scene, if any.
    pub scene: Option<String>,
    /// Step N of M.
    pub step: Option<(u64, u64)>,
    /// The whole step label, including the simulated time.
    pub step_label: String,
    /// The step label without its horizon ("of M", which grows and is kept after Back):
    /// `Step N · t = …`.
    pub position: String,
    /// `.stat-grid` entries, "key value".
    pub stats: Vec<String>,
    /// Every `.notices li` text.
    pub notices: Vec<String>,
    /// The `p.status` text ("Link copied: …").
    pub status: String,
    /// `Play` or `Pause`.
    pub play_label: String,
    pub href: String,
    pub error_panel: Option<String>,
}

const SNAPSHOT_JS: &str = r#"
const q = s => document.querySelector(s);
const txt = s => { const e = q(s); return e ? e.textContent.trim() : null; };
const scene = q('section.scene');
const play = [...document.querySelectorAll('.controls button')]
  .map(b => b.textContent.trim()).find(t => /Play|Pause/.test(t)) || '';
return {
  scene: scene ? scene.dataset.scene : null,
  step_label: txt('.step-label') || '',
  stats: [...document.querySelectorAll('.stat-grid .stat')].map(e => e.textContent.replace(/\s+/g, ' ').trim()),
  notices: [...document.querySelectorAll('.notices li')].map(e => e.textContent.trim()),
  status: txt('p.status') || '',
  play_label: play,
  href: location.href,
  error_panel: txt('.error-panel'),
};
"#;

/// Intercepts CSV/JSON downloads: the file's name and text land in `window.__exports`
/// instead of the downloads folder.
const CAPTURE_EXPORTS_JS: &str = r#"
if (!window.__exports) {
  window.__exports = [];
  const blobs = new Map();
  const create = URL.createObjectURL.bind(URL);
  URL.createObjectURL = b => { const u = create(b); blobs.set(u, b); return u; };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (this.download) {
      const rec = { name: this.download, text: null };
      window.__exports.push(rec);
      const b = blobs.get(this.href);
      if (b) b.text().then(t => { rec.text = t; });
      return;
    }
    return click.call(this);
  };
}
"#;

/// chromedriver's legacy log endpoint (`POST /session/{id}/se/log`), which fantoccini has
/// no method for.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or("")))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

pub struct Page {
    pub client: Client,
    origin: String,
    name: String,
    axe_source: String,
    shots: u32,
    /// Console lines read so far (the log endpoint drains).
    console: Vec<Value>,
    /// Console texts a test declared expected.
    allowed_console: Vec<String>,
}

/// chromedriver's Chrome DevTools Protocol pass-through (`POST /session/{id}/goog/cdp/execute`),
/// e.g. `Page.addScriptToEvaluateOnNewDocument` for a script that must run before the page's.
#[derive(Debug)]
struct CdpCommand {
    body: String,
}

impl WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or("")
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

fn capabilities(extra_args: &[&str]) -> Capabilities {
    let mut caps = Capabilities::new();
    let mut args = vec![
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--disable-dev-shm-usage",
    ];
    args.extend_from_slice(extra_args);
    // For profiling (`bench --only ff-profile`): V8 flags, e.g. `--no-wasm-inlining` to see
    // the wasm functions V8 would otherwise fold into their callers.
    let js_flags = std::env::var("SCALELAB_E2E_JS_FLAGS")
        .ok()
        .filter(|f| !f.is_empty())
        .map(|f| format!("--js-flags={f}"));
    if let Some(f) = &js_flags {
        args.push(f);
    }
    let profile =
        std::env::temp_dir().join(format!("scalelab-e2e-downloads-{}", std::process::id()));
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": args,
            "prefs": {
                "download.default_directory": profile.to_string_lossy(),
                "download.prompt_for_download": false,
            },
        }),
    );
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    caps.insert("unhandledPromptBehavior".into(), json!("dismiss"));
    caps
}

impl Page {
    pub async fn open(h: &Harness, test_name: &str) -> Result<Page> {
        Page::open_with_args(h, test_name, &[]).await
    }

    /// A session whose Chromium gets `extra_args` too (the browser benchmarks use
    /// `--enable-precise-memory-info`).
    pub async fn open_with_args(h: &Harness, test_name: &str, extra_args: &[&str]) -> Result<Page> {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut builder = ClientBuilder::new(connector);
        builder.capabilities(capabilities(extra_args));
        let started = Instant::now();
        let client = loop {
            match builder.connect(&h.driver.url()).await {
                Ok(c) => break c,
                // A session can fail to start while another browser is starting on 2 cores.
                Err(e) if started.elapsed() < Duration::from_secs(30) => {
                    eprintln!("e2e: {test_name}: new session failed ({e}); retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => bail!("cannot open a browser session: {e}"),
            }
        };
        Ok(Page {
            client,
            origin: h.server.origin(),
            name: test_name.to_string(),
            axe_source: h.axe_source.clone(),
            shots: 0,
            console: Vec::new(),
            allowed_console: Vec::new(),
        })
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The bundle's page with `query` (e.g. `?scene=caching&seed=3`).
    pub fn url(&self, query: &str) -> String {
        format!("{}/{}", self.origin, query)
    }

    /// Opens the playground with `query` and waits until it has started (a scene, the landing
    /// page or the error panel is there).
    pub async fn goto(&mut self, query: &str) -> Result<Snapshot> {
        let url = self.url(query);
        self.goto_url(&url).await
    }

    pub async fn goto_url(&mut self, url: &str) -> Result<Snapshot> {
        self.client.goto(url).await?;
        self.wait_for("the page to start", async |p: &mut Page| {
            let s = p.snapshot().await?;
            let landing = p.exists(".landing").await?;
            let embedded_notice = p.exists("main.embed p").await?;
            let started = s.scene.is_some() && s.step.is_some()
                || landing
                || embedded_notice
                || s.error_panel.is_some();
            // The bundle may have rendered between the snapshot and the checks: read the page
            // again once it has started, so the snapshot is never of the empty document.
            Ok(if started {
                Some(p.snapshot().await?)
            } else {
                None
            })
        })
        .await
    }

    /// Polls `check` until it gives `Some`, or fails after [`WAIT`] with `what`.
    pub async fn wait_for<T>(
        &mut self,
        what: &str,
        mut check: impl AsyncFnMut(&mut Page) -> Result<Option<T>>,
    ) -> Result<T> {
        self.wait_for_within(what, WAIT, &mut check).await
    }

    pub async fn wait_for_within<T>(
        &mut self,
        what: &str,
        limit: Duration,
        mut check: impl AsyncFnMut(&mut Page) -> Result<Option<T>>,
    ) -> Result<T> {
        let started = Instant::now();
        let mut last_err = None;
        loop {
            match check(self).await {
                Ok(Some(v)) => return Ok(v),
                Ok(None) => {}
                Err(e) => last_err = Some(e.to_string()),
            }
            if started.elapsed() > limit {
                let snap = self.snapshot().await.ok();
                bail!(
                    "timed out after {:.0} s waiting for {what}{}\n  page: {snap:?}",
                    limit.as_secs_f64(),
                    last_err
                        .map(|e| format!(" (last error: {e})"))
                        .unwrap_or_default()
                );
            }
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
    }

    /// Sends one Chrome DevTools Protocol command through chromedriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        let body = json!({ "cmd": cmd, "params": params }).to_string();
        Ok(self.client.issue_cmd(CdpCommand { body }).await?)
    }

    /// Runs a script (a function body; `arguments` holds `args`).
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.client.execute(script, args).await?)
    }

    pub async fn snapshot(&self) -> Result<Snapshot> {
        let v = self.js(SNAPSHOT_JS, vec![]).await?;
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        let list = |k: &str| {
            v[k].as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let step_label = s("step_label");
        let position = position_of(&step_label);
        Ok(Snapshot {
            position,
            scene: v["scene"].as_str().map(String::from),
            step: parse_step(&step_label),
            step_label,
            stats: list("stats"),
            notices: list("notices"),
            status: s("status"),
            play_label: s("play_label"),
            href: s("href"),
            error_panel: v["error_panel"].as_str().map(String::from),
        })
    }

    /// The current step (fails if the scene shows none).
    pub async fn step(&self) -> Result<u64> {
        match self.snapshot().await?.step {
            Some((n, _)) => Ok(n),
            None => bail!("no `Step N of M` label on the page"),
        }
    }

    pub async fn exists(&self, css: &str) -> Result<bool> {
        let v = self
            .js(
                "return document.querySelector(arguments[0]) !== null;",
                vec![json!(css)],
            )
            .await?;
        Ok(v.as_bool().unwrap_or(false))
    }

    pub async fn count(&self, css: &str) -> Result<usize> {
        let v = self
            .js(
                "return document.querySelectorAll(arguments[0]).length;",
                vec![json!(css)],
            )
            .await?;
        Ok(v.as_u64().unwrap_or(0) as usize)
    }

    /// Text of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Result<Vec<String>> {
        let v = self
            .js(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent.replace(/\\s+/g, ' ').trim());",
                vec![json!(css)],
            )
            .await?;
        Ok(strings(&v))
    }

    /// Whether an element matching `css` is rendered (has a box).
    pub async fn visible(&self, css: &str) -> Result<bool> {
        let v = self
            .js(
                "const e = document.querySelector(arguments[0]); if (!e) return false; const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';",
                vec![json!(css)],
            )
            .await?;
        Ok(v.as_bool().unwrap_or(false))
    }

    /// Clicks the enabled button whose visible text is `label` (exactly, ignoring the icon),
    /// through WebDriver like a user would.
    pub async fn click_button(&mut self, label: &str) -> Result<()> {
        let label_owned = label.to_string();
        let el = self
            .wait_for(
                &format!("a button labelled {label:?}"),
                async |p: &mut Page| {
                    let buttons = p.client.find_all(Locator::Css("button")).await?;
                    for b in buttons {
                        let text = b.text().await.unwrap_or_default();
                        let label_text = match b.find(Locator::Css(".ctl-label")).await {
                            Ok(l) => l.text().await.unwrap_or_default(),
                            Err(_) => text.clone(),
                        };
                        if (label_text.trim() == label_owned || text.trim() == label_owned)
                            && b.is_enabled().await.unwrap_or(false)
                            && b.is_displayed().await.unwrap_or(false)
                        {
                            return Ok(Some(b));
                        }
                    }
                    Ok(None)
                },
            )
            .await?;
        el.click().await?;
        Ok(())
    }

    /// Clicks the Step button and waits for the step label to move on by one.
    pub async fn step_once(&mut self) -> Result<u64> {
        let before = self.step().await?;
        self.click_button("Step").await?;
        self.wait_step(before + 1).await
    }

    /// Waits until the label shows step `n`.
    pub async fn wait_step(&mut self, n: u64) -> Result<u64> {
        self.wait_for(&format!("step {n}"), async |p: &mut Page| {
            Ok((p.step().await? == n).then_some(n))
        })
        .await
    }

    /// Clicks Step `n` times from a script (much faster than `n` WebDriver round trips; each
    /// click still goes through the button's handler) and waits for the label.
    pub async fn step_many(&mut self, n: u64) -> Result<u64> {
        let before = self.step().await?;
        self.js(
            r#"const b = [...document.querySelectorAll('.controls button')]
                 .find(b => b.textContent.trim().endsWith('Step'));
               for (let i = 0; i < arguments[0]; i++) b.click();"#,
            vec![json!(n)],
        )
        .await?;
        self.wait_step(before + n).await
    }

    /// Presses and releases one key on the focused document (`fantoccini::key::Key` values
    /// work: `Key::Right.into()`). Focus is first moved off any button, so the key reaches
    /// the document's shortcut handler and does not activate a control.
    pub async fn press(&mut self, key: char) -> Result<()> {
        self.js(
            "if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();",
            vec![],
        )
        .await?;
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Presses `key` on whatever has the focus now (a summary, a focusable drawing item), as a
    /// keyboard user does; `\u{E007}` is Enter.
    pub async fn press_on_focused(&mut self, key: char) -> Result<()> {
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Pauses if playing, and waits until the label says Play.
    pub async fn pause(&mut self) -> Result<()> {
        if self.snapshot().await?.play_label.ends_with("Pause") {
            self.click_button("Pause").await?;
        }
        self.wait_for("the Play button", async |p: &mut Page| {
            Ok(p.snapshot()
                .await?
                .play_label
                .ends_with("Play")
                .then_some(()))
        })
        .await
    }

    /// Starts capturing CSV/JSON exports (see [`Page::exports`]).
    pub async fn capture_exports(&self) -> Result<()> {
        self.js(CAPTURE_EXPORTS_JS, vec![]).await?;
        Ok(())
    }

    /// Waits for the `n`th (1-based) captured export and returns `(file name, contents)`.
    pub async fn export(&mut self, n: usize) -> Result<(String, String)> {
        self.wait_for("an exported file", async |p: &mut Page| {
            let v = p.js("return window.__exports || [];", vec![]).await?;
            let Some(rec) = v.as_array().and_then(|a| a.get(n - 1)).cloned() else {
                return Ok(None);
            };
            Ok(rec["text"].as_str().map(|t| {
                (
                    rec["name"].as_str().unwrap_or("").to_string(),
                    t.to_string(),
                )
            }))
        })
        .await
    }

    /// Exports JSON with the JSON button and parses it.
    pub async fn export_json(&mut self) -> Result<Value> {
        self.capture_exports().await?;
        let before = self
            .js("return (window.__exports || []).length;", vec![])
            .await?
            .as_u64()
            .unwrap_or(0) as usize;
        self.click_button("JSON").await?;
        let (name, text) = self.export(before + 1).await?;
        if !name.ends_with(".json") {
            bail!("the JSON button exported {name:?}, not a JSON file");
        }
        Ok(serde_json::from_str(&text)?)
    }

    /// Declares a console message (substring) that this test expects, e.g. a 404 it causes.
    pub fn allow_console(&mut self, substring: &str) {
        self.allowed_console.push(substring.to_string());
    }

    /// Reads (and keeps) the browser's console since the last call.
    pub async fn read_console(&mut self) -> Result<&[Value]> {
        let v = self.client.issue_cmd(BrowserLog).await?;
        if let Some(entries) = v.as_array() {
            self.console.extend(entries.iter().cloned());
        }
        Ok(&self.console)
    }

    /// Console errors (level SEVERE) so far, minus the allowed ones.
    pub async fn console_errors(&mut self) -> Result<Vec<String>> {
        let allowed = self.allowed_console.clone();
        let entries = self.read_console().await?;
        Ok(entries
            .iter()
            .filter(|e| e["level"].as_str() == Some("SEVERE"))
            .filter_map(|e| e["message"].as_str().map(String::from))
            .filter(|m| !allowed.iter().any(|a| m.contains(a.as_str())))
            // index.html declares no icon, so Chromium asks for /favicon.ico and logs the 404
            // on every host; reported, not a scene failure.
            .filter(|m| !m.contains("/favicon.ico "))
            .collect())
    }

    /// Fails if the console has any error.
    pub async fn assert_no_console_errors(&mut self) -> Result<()> {
        let errors = self.console_errors().await?;
        if !errors.is_empty() {
            // Same message many times (one per key press…): show it once with a count.
            let mut lines: Vec<(String, usize)> = Vec::new();
            for e in errors {
                match lines.iter_mut().find(|(m, _)| *m == e) {
                    Some((_, n)) => *n += 1,
                    None => lines.push((e, 1)),
                }
            }
            let lines: Vec<String> = lines
                .into_iter()
                .map(|(m, n)| if n > 1 { format!("{m} (×{n})") } else { m })
                .collect();
            bail!("console errors:\n  {}", lines.join("\n  "));
        }
        Ok(())
    }

    /// Saves a PNG under `target/e2e-screenshots/<test>[-<tag>].png`.
    pub async fn screenshot(&mut self, tag: &str) -> Result<PathBuf> {
        let png = self.client.screenshot().await?;
        let dir = crate::screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        self.shots += 1;
        let file = if tag.is_empty() {
            dir.join(format!("{}.png", self.name))
        } else {
            dir.join(format!("{}-{tag}.png", self.name))
        };
        std::fs::write(&file, png)?;
        Ok(file)
    }

    pub fn screenshots_taken(&self) -> u32 {
        self.shots
    }

    /// Runs axe-core on the page; returns serious and critical violations, one line each
    /// (rule, impact, help, and the offending elements' selectors and HTML).
    pub async fn axe_serious(&mut self) -> Result<Vec<String>> {
        let loaded = self
            .js("return typeof window.axe !== 'undefined';", vec![])
            .await?;
        if loaded.as_bool() != Some(true) {
            self.js(&self.axe_source.clone(), vec![]).await?;
        }
        let v = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, { resultTypes: ['violations'] })
                     .then(r => done(r.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html.slice(0, 200),
                                                   summary: n.failureSummary })) }))))
                     .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));"#,
                vec![],
            )
            .await?;
        let mut out = Vec::new();
        for viol in v.as_array().cloned().unwrap_or_default() {
            let impact = viol["impact"].as_str().unwrap_or("");
            if impact != "serious" && impact != "critical" {
                continue;
            }
            let nodes: Vec<String> = viol["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|n| {
                    format!(
                        "      at `{}`: {}\n        {}",
                        n["target"].as_str().unwrap_or(""),
                        n["html"].as_str().unwrap_or(""),
                        n["summary"].as_str().unwrap_or("").replace('\n', " ")
                    )
                })
                .collect();
            out.push(format!(
                "[{impact}] {}: {}\n{}",
                viol["id"].as_str().unwrap_or(""),
                viol["help"].as_str().unwrap_or(""),
                nodes.join("\n")
            ));
        }
        Ok(out)
    }

    /// Ends the browser session.
    pub async fn close(self) -> Result<()> {
        self.client.close().await?;
        Ok(())
    }
}

/// `Step 12 of 40 · t = 3 s` → `Step 12 · t = 3 s`.
/// The strings in a JSON array (anything else is skipped).
pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

pub fn position_of(label: &str) -> String {
    match (label.find(" of "), label.find('·')) {
        (Some(a), Some(b)) if a < b => format!("{} {}", &label[..a], &label[b..]),
        _ => label.to_string(),
    }
}

/// `Step 12 of 40 · t = …` → `(12, 40)`.
pub fn parse_step(label: &str) -> Option<(u64, u64)> {
    let rest = label.trim().strip_prefix("Step ")?;
    let mut words = rest.split_whitespace();
    let n = words.next()?.parse().ok()?;
    if words.next()? != "of" {
        return None;
    }
    let m: String = words
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some((n, m.parse().ok()?))
}

/// Waits for a future with a limit, turning a timeout into an error.
pub async fn within<T>(
    what: &str,
    limit: Duration,
    f: impl Future<Output = Result<T>>,
) -> Result<T> {
    match tokio::time::timeout(limit, f).await {
        Ok(r) => r,
        Err(_) => bail!("{what} did not finish within {:.0} s", limit.as_secs_f64()),
    }
}
