//! Sharing and embedding: `?embed=1` shows only the scene; the example course page loads
//! every widget and resizes each from its height message.

use crate::{test_fn, Test};
use scalelab_e2e::{bail, ensure, Page, Result};
use serde_json::Value;

pub fn tests() -> Vec<Test> {
    vec![
        Test {
            name: "embed_hides_everything_but_the_scene".into(),
            scene: "caching",
            run: test_fn!(embed_only_scene),
        },
        Test {
            name: "an_exported_file_imports_on_any_page".into(),
            scene: "",
            run: test_fn!(import_export),
        },
        Test {
            name: "course_page_loads_every_widget_and_sizes_it".into(),
            scene: "",
            run: test_fn!(course_page),
        },
    ]
}

async fn embed_only_scene(p: &mut Page, _: &'static str) -> Result<()> {
    for scene in scalelab_e2e::scenes() {
        let s = p.goto(&format!("?scene={scene}&embed=1&seed=3")).await?;
        ensure!(
            s.scene.as_deref() == Some(scene),
            "embed: {scene} shows {:?}",
            s.scene
        );
        ensure!(
            s.error_panel.is_none(),
            "embed: {scene}: the panic panel is shown"
        );
        ensure!(
            p.exists("main.embed section.scene").await?,
            "embed: {scene}: no main.embed > section.scene"
        );
        for chrome in ["header.site", "footer.site", "nav", ".landing"] {
            ensure!(
                !p.visible(chrome).await?,
                "embed: {scene}: {chrome} is visible"
            );
        }
        // Nothing but the scene in the body's visible content.
        let outside = p
            .js(
                r#"const scene = document.querySelector('section.scene');
                   return [...document.body.querySelectorAll('*')].filter(e => {
                     if (scene.contains(e) || e.contains(scene) || e.tagName === 'SCRIPT' || e.tagName === 'LINK') return false;
                     const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0;
                   }).map(e => e.tagName + '.' + e.className);"#,
                vec![],
            )
            .await?;
        ensure!(
            outside.as_array().is_some_and(|a| a.is_empty()),
            "embed: {scene}: visible outside the scene: {outside}"
        );
        p.step_once().await?;
    }
    p.screenshot("scaling").await?;
    Ok(())
}

/// Per iframe: expected scene (from its src), loaded scene, notices, height received,
/// current height, site chrome present.
const FRAMES_JS: &str = r#"
return [...document.querySelectorAll('iframe')].map(f => {
  let doc = null; try { doc = f.contentDocument; } catch (e) {}
  const q = s => doc && doc.querySelector(s);
  const scene = q('section.scene');
  return {
    src: f.getAttribute('src'),
    expected: new URL(f.src).searchParams.get('scene'),
    scene: scene ? scene.dataset.scene : null,
    step: q('.step-label') ? q('.step-label').textContent : null,
    notices: doc ? [...doc.querySelectorAll('.notices li')].map(li => li.textContent) : [],
    chrome: !!(q('header.site') || q('footer.site')),
    panic: !!q('.error-panel'),
    received: f.getAttribute('data-height-received'),
    height: f.getBoundingClientRect().height,
  };
});
"#;

async fn course_page(p: &mut Page, _: &'static str) -> Result<()> {
    let site = format!("{}/", p.origin());
    course_page_at(p, &site).await
}

/// The example course page served with the site at `site` (its root, or a sub-path): every
/// widget loads its scene and sizes itself, and the first one steps.
pub async fn course_page_at(p: &mut Page, site: &str) -> Result<()> {
    let url = format!("{site}examples/course-page.html");
    p.client.goto(&url).await?;
    let n = p
        .js(FRAMES_JS, vec![])
        .await?
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    // The height an iframe of the page has before any message: a fresh one with no src.
    let initial = p
        .js(
            r#"const f = document.createElement('iframe'); f.className = 'scalelab';
               document.querySelector('iframe').parentElement.appendChild(f);
               const h = f.getBoundingClientRect().height; f.remove(); return h;"#,
            vec![],
        )
        .await?
        .as_f64()
        .unwrap_or(0.0);
    ensure!(n >= 3, "the course page has {n} iframes");
    let snippet = p.texts(".snippet pre").await?.join("");
    ensure!(
        snippet.contains("<iframe") && snippet.contains("embed"),
        "no copyable embed snippet on the course page: {snippet:?}"
    );
    // The widgets load lazily: bring each into view, then wait for its scene and its height.
    for i in 0..n {
        p.js(
            "document.querySelectorAll('iframe')[arguments[0]].scrollIntoView();",
            vec![i.into()],
        )
        .await?;
        p.wait_for(
            &format!("iframe {i} to show its scene and report its height"),
            async |p: &mut Page| {
                let v = p.js(FRAMES_JS, vec![]).await?;
                let f = &v[i];
                Ok(
                    (f["scene"].is_string() && f["received"].is_string() && f["step"].is_string())
                        .then_some(()),
                )
            },
        )
        .await?;
    }
    p.js("window.scrollTo(0, 0);", vec![]).await?;
    let frames = p.js(FRAMES_JS, vec![]).await?;
    let mut problems = Vec::new();
    for (i, f) in frames
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let before = initial;
        let after = f["height"].as_f64().unwrap_or(0.0);
        let received: f64 = f["received"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.0);
        if f["scene"] != f["expected"] {
            problems.push(format!(
                "iframe {i} ({}) shows {} instead of {}",
                f["src"], f["scene"], f["expected"]
            ));
        }
        if f["notices"].as_array().is_some_and(|a| !a.is_empty()) {
            problems.push(format!(
                "iframe {i} ({}) has notices: {}",
                f["src"], f["notices"]
            ));
        }
        if f["chrome"] == Value::Bool(true) || f["panic"] == Value::Bool(true) {
            problems.push(format!("iframe {i} shows site chrome or the panic panel"));
        }
        // The rendered box may add the iframe's border to the height set from the message.
        if (after - before).abs() < 1.0 || (after - received).abs() > 4.0 {
            problems.push(format!("iframe {i}: {before} px without a message, {after} px now, the message said {received}"));
        }
    }
    if !problems.is_empty() {
        bail!("course page:\n  {}", problems.join("\n  "));
    }
    // Widgets still work inside the page: step the first one.
    let stepped = p
        .js(
            r#"const d = document.querySelector('iframe').contentDocument;
               const b = [...d.querySelectorAll('.controls button')].find(b => b.textContent.trim().endsWith('Step'));
               b.click(); return true;"#,
            vec![],
        )
        .await?;
    ensure!(
        stepped == Value::Bool(true),
        "could not click Step in the first widget"
    );
    p.wait_for("the first widget to reach step 1", async |p: &mut Page| {
        let v = p.js(FRAMES_JS, vec![]).await?;
        Ok(v[0]["step"]
            .as_str()
            .is_some_and(|s| s.starts_with("Step 1 "))
            .then_some(()))
    })
    .await?;
    println!(
        "  course page: {n} widgets; heights {:?}",
        frames
            .as_array()
            .map(|a| a.iter().map(|f| f["height"].clone()).collect::<Vec<_>>())
    );
    Ok(())
}

/// Puts `text` in the Import button's file input as `name`, as a student choosing a file does.
pub async fn choose_file(p: &mut Page, name: &str, text: &str) -> Result<()> {
    p.js(
        r#"const input = document.querySelector('input[type=file]');
           const dt = new DataTransfer();
           dt.items.add(new File([arguments[1]], arguments[0], {type: 'application/json'}));
           input.files = dt.files;
           input.dispatchEvent(new Event('change', {bubbles: true}));"#,
        vec![name.into(), text.into()],
    )
    .await?;
    Ok(())
}

/// A JSON export imported on another scene's page opens the exported state (scene, seed,
/// settings, actions, step); a bad file is refused with its problems named and changes
/// nothing.
async fn import_export(p: &mut Page, _: &'static str) -> Result<()> {
    p.goto("?scene=caching&seed=11&capacity=12&zipf=1.2&ops=3:flush")
        .await?;
    let at = p.step_many(40).await?;
    let exported = p.export_json().await?;
    let text = serde_json::to_string(&exported)?;
    let before = p.snapshot().await?;

    let s = p.goto("?scene=sharding&seed=2").await?;
    ensure!(
        s.scene.as_deref() == Some("sharding"),
        "start: {:?}",
        s.scene
    );
    choose_file(p, "caching.json", &text).await?;
    let after = p
        .wait_for("the imported caching scene", async |p: &mut Page| {
            let s = p.snapshot().await?;
            Ok((s.scene.as_deref() == Some("caching") && s.step.is_some()).then_some(s))
        })
        .await?;
    ensure!(
        after.step.map(|s| s.0) == Some(at),
        "imported step {:?}, exported at {at}",
        after.step
    );
    ensure!(
        after.position == before.position && after.stats == before.stats,
        "the imported state differs: {:?} vs {:?}",
        (&after.position, &after.stats),
        (&before.position, &before.stats)
    );
    for part in ["seed=11", "capacity=12", "zipf=1.2", "ops=3"] {
        ensure!(
            after.href.contains(part),
            "{part} missing from {}",
            after.href
        );
    }

    // A wrong file: every problem named, the scene on screen unchanged.
    let bad = r#"{"scene":"caching","seed":-1,"params":{"capacity":"9999"}}"#;
    choose_file(p, "bad.json", bad).await?;
    let refused = p
        .wait_for("the import to be refused", async |p: &mut Page| {
            let s = p.snapshot().await?;
            Ok(s.status.starts_with("Import failed").then_some(s))
        })
        .await?;
    for named in ["seed", "capacity"] {
        ensure!(
            refused.status.contains(named),
            "{named} not named: {}",
            refused.status
        );
    }
    ensure!(
        refused.href == after.href && refused.step == after.step,
        "a refused import changed the page: {} → {}",
        after.href,
        refused.href
    );
    choose_file(p, "not.json", "{\"scene\": ").await?;
    p.wait_for("a not-JSON file to be refused", async |p: &mut Page| {
        let s = p.snapshot().await?;
        Ok((s.status.contains("not valid JSON")).then_some(()))
    })
    .await?;
    p.assert_no_console_errors().await?;
    Ok(())
}
