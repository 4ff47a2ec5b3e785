//! The page under its Content-Security-Policy: every scene and the landing page run with no
//! violation, the policy really is enforced (an injected inline script does not run), and text
//! from a link is shown as text, never parsed as HTML.

use crate::{test_fn, Test};
use scalelab_e2e::{ensure, Page, Result};

/// The policy index.html declares (README, "Security"), with `LOADER` where it gives the inline
/// loader's hash; a change to either must change both.
pub const POLICY: &str = "default-src 'none'; script-src 'self' LOADER 'wasm-unsafe-eval'; \
    style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; \
    connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'";

pub fn tests() -> Vec<Test> {
    vec![
        Test {
            name: "every_page_runs_under_the_strict_csp".into(),
            scene: "",
            run: test_fn!(runs_under_csp),
        },
        Test {
            name: "csp_refuses_an_injected_inline_script".into(),
            scene: "",
            run: test_fn!(csp_is_enforced),
        },
        Test {
            name: "parent_commands_only_from_the_configured_origin".into(),
            scene: "",
            run: test_fn!(parent_commands),
        },
        Test {
            name: "link_text_is_never_parsed_as_html".into(),
            scene: "",
            run: test_fn!(link_text_is_text),
        },
    ]
}

/// The policy's source for the page's inline loader, `'sha256-<base64>'`, from its text as
/// the browser has it (WebDriver waits for the promise).
const LOADER_HASH: &str = r#"return (async () => {
      const s = document.querySelectorAll('script:not([src])');
      if (s.length !== 1) return `${s.length} inline scripts`;
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s[0].text));
      return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
    })();"#;

/// Counts `securitypolicyviolation` events from now on (kept on `window`).
const WATCH: &str = r#"window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation',
      e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    return true;"#;

async fn violations(p: &Page) -> Result<Vec<String>> {
    let v = p.js("return window.__cspViolations || [];", vec![]).await?;
    Ok(scalelab_e2e::page::strings(&v))
}

async fn runs_under_csp(p: &mut Page, _: &'static str) -> Result<()> {
    let pages = [
        "",
        "?scene=balancing&mode=race",
        "?scene=caching",
        "?scene=sharding",
        "?scene=scaling",
        "?scene=system&preset=thundering-herd",
        "?scene=caching&embed=1",
    ];
    for q in pages {
        p.goto(q).await?;
        let policy = p
            .js(
                r#"const m = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
                   return m ? m.content : null;"#,
                vec![],
            )
            .await?;
        let policy = policy.as_str().unwrap_or_default().to_string();
        // The one hash source admits the loader as this page carries it (minified in a
        // release), and nothing else: the documented policy with that hash for `LOADER`.
        let loader = p.js(LOADER_HASH, vec![]).await?;
        let loader = loader.as_str().unwrap_or_default().to_string();
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let documented = POLICY.replace("LOADER", &loader);
        ensure!(
            norm(&policy) == norm(&documented),
            "{q:?}: the page's policy is {policy:?}, the documented one with the loader's hash \
             {documented:?}"
        );
        p.js(WATCH, vec![]).await?;
        if q.contains("scene=") {
            // Drawing, charts, help and the exports all run under the policy.
            p.step_many(30).await?;
            p.press('?').await?;
            p.press('?').await?;
            p.capture_exports().await?;
            p.press('c').await?;
            p.export(1).await?;
        }
        let v = violations(p).await?;
        ensure!(v.is_empty(), "{q:?}: CSP violations: {v:?}");
        p.assert_no_console_errors().await?;
    }
    p.screenshot("").await?;
    Ok(())
}

async fn csp_is_enforced(p: &mut Page, _: &'static str) -> Result<()> {
    p.goto("?scene=balancing").await?;
    p.js(WATCH, vec![]).await?;
    // What an attacker would try if text from a link ever reached the DOM as markup.
    p.js(
        r#"const s = document.createElement('script');
           s.textContent = 'window.__injected = true';
           document.body.appendChild(s);
           const i = document.createElement('img');
           i.src = 'data:,x'; i.setAttribute('onerror', 'window.__injected = true');
           document.body.appendChild(i);
           return true;"#,
        vec![],
    )
    .await?;
    let v = p
        .wait_for("the violation report", async |p: &mut Page| {
            let v = violations(p).await?;
            Ok((!v.is_empty()).then_some(v))
        })
        .await?;
    let injected = p.js("return window.__injected === true;", vec![]).await?;
    ensure!(
        injected == false,
        "an injected inline script ran: CSP not enforced"
    );
    ensure!(
        v.iter().any(|d| d.starts_with("script-src")),
        "no script-src violation reported: {v:?}"
    );
    p.allow_console("Content Security Policy");
    p.assert_no_console_errors().await?;
    Ok(())
}

async fn link_text_is_text(p: &mut Page, _: &'static str) -> Result<()> {
    let markup = "<img src=x onerror=window.__injected=1><b>bold</b>";
    let enc: String = markup.bytes().map(|b| format!("%{b:02X}")).collect();
    for q in [
        format!("?scene={enc}"),
        format!("?scene=caching&policy={enc}"),
        format!("?scene=sharding&ops=3:{enc}"),
    ] {
        let s = p.goto(&q).await?;
        ensure!(
            s.notices
                .iter()
                .any(|n| n.contains("<img") || n.contains("<b>")),
            "{q}: the rejected text is not shown literally: {:?}",
            s.notices
        );
        ensure!(
            p.count(".notices img, .notices b").await? == 0,
            "{q}: link text became markup"
        );
        let injected = p.js("return window.__injected === 1;", vec![]).await?;
        ensure!(injected == false, "{q}: a handler from the link ran");
    }
    Ok(())
}

/// The step label inside the `i`th test iframe ("" until it has rendered).
const FRAME_STEP: &str = r#"const f = document.querySelectorAll('iframe.t')[arguments[0]];
    const l = f && f.contentDocument && f.contentDocument.querySelector('.step-label');
    return l ? l.textContent : '';"#;

async fn frame_step(p: &Page, i: u64) -> Result<String> {
    let v = p.js(FRAME_STEP, vec![serde_json::json!(i)]).await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

async fn parent_commands(p: &mut Page, _: &'static str) -> Result<()> {
    // A course page of this origin (the app's own page forbids frames by its policy).
    let origin = p.origin().to_string();
    p.client
        .goto(&format!("{origin}/examples/course-page.html"))
        .await?;
    // Widget 0 trusts this page's origin; widget 1 trusts another site only.
    p.js(
        r#"for (const parent of [arguments[0], 'https://elsewhere.example']) {
             const f = document.createElement('iframe');
             f.className = 't';
             f.style.width = '900px'; f.style.height = '600px';
             f.src = '/?scene=balancing&embed=1&seed=5&parent=' + encodeURIComponent(parent);
             document.body.appendChild(f);
           }
           return true;"#,
        vec![serde_json::json!(origin)],
    )
    .await?;
    for i in 0..2 {
        p.wait_for("both widgets to start", async |p: &mut Page| {
            Ok(frame_step(p, i).await?.starts_with("Step 0").then_some(()))
        })
        .await?;
    }
    let send = r#"const [cmd, extra] = [arguments[0], arguments[1]];
        for (const f of document.querySelectorAll('iframe.t'))
          f.contentWindow.postMessage(Object.assign({ type: 'scalelab:command', command: cmd }, extra), '*');
        return true;"#;
    for _ in 0..3 {
        p.js(send, vec![serde_json::json!("step"), serde_json::json!({})])
            .await?;
    }
    // Wrong shapes are refused (with a console warning), not obeyed.
    p.js(
        send,
        vec![serde_json::json!("explode"), serde_json::json!({})],
    )
    .await?;
    p.js(
        send,
        vec![serde_json::json!("step"), serde_json::json!({ "step": 9 })],
    )
    .await?;
    p.wait_for(
        "the trusted widget to take 3 steps",
        async |p: &mut Page| Ok(frame_step(p, 0).await?.starts_with("Step 3 ").then_some(())),
    )
    .await?;
    p.js(
        send,
        vec![serde_json::json!("seek"), serde_json::json!({ "step": 1 })],
    )
    .await?;
    p.wait_for(
        "the trusted widget to seek to step 1",
        async |p: &mut Page| Ok(frame_step(p, 0).await?.starts_with("Step 1 ").then_some(())),
    )
    .await?;
    let other = frame_step(p, 1).await?;
    ensure!(
        other.starts_with("Step 0 "),
        "a widget obeyed a page its link does not name: {other:?}"
    );
    // The course page's own buttons drive its race widget (embed.js adds its parent=).
    p.wait_for("the race widget to start", async |p: &mut Page| {
        let v = p
            .js(
                r#"const f = document.getElementById('race');
                   const d = f.contentDocument;
                   return !!(d && d.location.search.includes('parent=')
                             && d.querySelector('.controls button'));"#,
                vec![],
            )
            .await?;
        Ok((v == true).then_some(()))
    })
    .await?;
    p.js(
        "document.querySelector('[data-scalelab-command=\"play\"]').click(); return true;",
        vec![],
    )
    .await?;
    p.wait_for("the race widget to play", async |p: &mut Page| {
        let v = p
            .js(
                r#"const d = document.getElementById('race').contentDocument;
                   return [...d.querySelectorAll('.controls button')]
                     .some(b => b.textContent.trim().endsWith('Pause'));"#,
                vec![],
            )
            .await?;
        Ok((v == true).then_some(()))
    })
    .await?;
    p.screenshot("").await?;
    p.assert_no_console_errors().await?;
    Ok(())
}
