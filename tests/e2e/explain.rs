//! Every scene explains its choices: under each choice of the settings form, "What does this
//! choice do?" opens the selected choice's explainer (the explainers' page in a frame, which
//! renders `web/explain/explainers.en.json`), and it follows the choice when it changes.

use crate::generic::open_scene;
use crate::{test_fn, Test};
use scalelab_e2e::{bail, ensure, workspace_root, Page, Result};
use serde_json::Value;

pub fn tests(scene: &'static str) -> Vec<Test> {
    vec![Test {
        name: format!("{scene}_explains_its_choices"),
        scene,
        run: test_fn!(explains),
    }]
}

/// The title `web/explain/explainers.en.json` gives `key`.
fn title(texts: &Value, key: &str) -> Result<String> {
    match texts["choices"][key]["title"].as_str() {
        Some(t) => Ok(t.to_string()),
        None => bail!("web/explain/explainers.en.json has no title for {key}"),
    }
}

/// The first choice setting's key, its value and the explainer's title and part count now.
async fn first_choice(p: &Page) -> Result<(String, String, String, u64)> {
    let v = p
        .js(
            r#"const field = document.querySelector('.settings .field:has(details.explain)');
               const select = field.querySelector('select');
               const frame = field.querySelector('details.explain iframe');
               const doc = frame && frame.contentDocument;
               const h = doc && doc.querySelector('article h1');
               return [select.id.replace('param-', ''), select.value,
                       h ? h.textContent : '', doc ? doc.querySelectorAll('article dd').length : 0];"#,
            vec![],
        )
        .await?;
    Ok((
        v[0].as_str().unwrap_or("").into(),
        v[1].as_str().unwrap_or("").into(),
        v[2].as_str().unwrap_or("").into(),
        v[3].as_u64().unwrap_or(0),
    ))
}

async fn explains(p: &mut Page, scene: &'static str) -> Result<()> {
    let text = std::fs::read_to_string(workspace_root().join("web/explain/explainers.en.json"))?;
    let texts: Value = serde_json::from_str(&text)?;
    open_scene(p, scene, "&seed=3").await?;
    // Opened from the keyboard: the summary is focusable and Enter toggles it.
    p.js(
        "document.querySelector('.settings details.explain summary').focus();",
        vec![],
    )
    .await?;
    p.press_on_focused('\u{E007}').await?;
    let (param, value, _, _) = first_choice(p).await?;
    let want = title(&texts, &format!("{scene}.{param}.{value}"))?;
    p.wait_for("the explainer's texts", async |p: &mut Page| {
        let (_, _, shown, parts) = first_choice(p).await?;
        Ok((shown == want && parts >= 3).then_some(()))
    })
    .await?;

    // Another choice: the open explainer follows it.
    let other = p
        .js(
            r#"const select = document.querySelector('.settings .field:has(details.explain) select');
               const next = [...select.options].find(o => o.value !== select.value);
               select.value = next.value;
               select.dispatchEvent(new Event('change', { bubbles: true }));
               return next.value;"#,
            vec![],
        )
        .await?;
    let other = other.as_str().unwrap_or("").to_string();
    let want = title(&texts, &format!("{scene}.{param}.{other}"))?;
    p.wait_for("the explainer of the new choice", async |p: &mut Page| {
        let (_, value, shown, _) = first_choice(p).await?;
        Ok((value == other && shown == want).then_some(()))
    })
    .await?;
    let found = p.axe_serious().await?;
    ensure!(
        found.is_empty(),
        "axe-core with an explainer open:\n{}",
        found.join("\n")
    );
    p.screenshot("explainer").await?;
    p.assert_no_console_errors().await?;
    Ok(())
}
