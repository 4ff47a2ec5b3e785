//! Scaling: the HPA's decision is explained in the inspector (its formula with the numbers,
//! the steps and the window) and in the narration; an instance is selected with the keyboard
//! and its state read in the inspector.

use crate::generic::open_scene;
use crate::{test_fn, Test};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use scalelab_e2e::{bail, ensure, Page, Result};

pub fn tests() -> Vec<Test> {
    vec![
        Test {
            name: "scaling_inspector_says_why_the_hpa_scaled".into(),
            scene: "scaling",
            run: test_fn!(inspector_says_why),
        },
        Test {
            name: "scaling_error_rate_trigger_says_which_metric_fired".into(),
            scene: "scaling",
            run: test_fn!(error_rate_trigger_fires),
        },
        Test {
            name: "scaling_naive_lane_shows_missed_scale_ins_and_extra_cost".into(),
            scene: "scaling",
            run: test_fn!(naive_lane_costs_more),
        },
        Test {
            name: "scaling_hybrid_lane_scales_up_then_out".into(),
            scene: "scaling",
            run: test_fn!(hybrid_scales_up_then_out),
        },
    ]
}

/// Presses `key` on whatever has the focus (unlike `Page::press`, which first blurs it).
async fn key_on_focus(p: &mut Page, key: Key) -> Result<()> {
    let key: char = key.into();
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    p.client.perform_actions(actions).await?;
    Ok(())
}

/// `aria-label` of the focused element, if it is a selectable instance.
async fn focused_instance(p: &Page) -> Result<Option<String>> {
    let v = p
        .js(
            "const e = document.activeElement; return e && e.matches('g.pick') ? e.getAttribute('aria-label') : null;",
            vec![],
        )
        .await?;
    Ok(v.as_str().map(String::from))
}

async fn inspector_says_why(p: &mut Page, _: &'static str) -> Result<()> {
    let s = open_scene(p, "scaling", "&seed=7&mode=hpa").await?;
    ensure!(s.notices.is_empty(), "notices: {:?}", s.notices);
    // The HPA reconciles every 15 s (15 steps); step until one changes the count.
    let mut said = None;
    for _ in 0..40 {
        p.step_many(15).await?;
        let lines = p.texts(".narration p").await?;
        if let Some(line) = lines.into_iter().find(|l| l.contains("HPA: ")) {
            said = Some(line);
            break;
        }
    }
    let Some(said) = said else {
        bail!("600 steps of the HPA never narrated a decision with its why (\"HPA: …\")");
    };
    let why = p.texts(".inspector .why").await?;
    let why = why.first().cloned().unwrap_or_default();
    ensure!(
        why.starts_with("HPA: ") && why.contains(" × ") && why.contains(" / "),
        "the inspector's why is not the HPA formula: {why:?}"
    );
    ensure!(
        said.contains(&why),
        "the narration {said:?} does not give the inspector's why {why:?}"
    );
    let formula = p.texts(".inspector .formula").await?;
    ensure!(
        formula
            .first()
            .is_some_and(|f| f.starts_with("ceil(") || f.starts_with("|1 − ")),
        "no HPA formula line in the inspector: {formula:?}"
    );
    let chosen = p.texts(".inspector tr.chosen").await?;
    ensure!(
        chosen.len() == 1,
        "the inspector marks {} deciding steps: {chosen:?}",
        chosen.len()
    );
    let steps = p.texts(".inspector tbody th").await?;
    ensure!(
        steps.iter().any(|s| s.contains("ratio rule")) && steps.iter().any(|s| s.contains("at ")),
        "the inspector lacks the ratio rule or the window's recommendations: {steps:?}"
    );

    // Tab to the first instance and select it with Enter.
    p.js(
        "document.activeElement && document.activeElement.blur();",
        vec![],
    )
    .await?;
    let mut label = None;
    for _ in 0..80 {
        key_on_focus(p, Key::Tab).await?;
        if let Some(l) = focused_instance(p).await? {
            label = Some(l);
            break;
        }
    }
    let Some(label) = label else {
        bail!("80 presses of Tab never reached an instance (g.pick)");
    };
    key_on_focus(p, Key::Enter).await?;
    let title = p
        .wait_for(
            "the selected instance in the inspector",
            async |p: &mut Page| Ok(p.texts(".inspector .focus h4").await?.into_iter().next()),
        )
        .await?;
    ensure!(
        label.starts_with(&title),
        "selected {label:?}, the inspector shows {title:?}"
    );
    let facts = p.texts(".inspector .focus dt").await?;
    for fact in ["state", "utilisation", "queue"] {
        ensure!(
            facts.iter().any(|f| f == fact),
            "the instance's facts lack {fact}: {facts:?}"
        );
    }
    ensure!(
        p.count("g.pick[data-focused]").await? == 1,
        "the selected instance is not marked data-focused"
    );
    // Space selects the next one and does not start playing.
    key_on_focus(p, Key::Tab).await?;
    let next = focused_instance(p).await?;
    if let Some(next) = next {
        key_on_focus(p, Key::Space).await?;
        let title = p
            .wait_for(
                "the next instance in the inspector",
                async |p: &mut Page| {
                    let t = p.texts(".inspector .focus h4").await?.into_iter().next();
                    Ok(t.filter(|t| next.starts_with(t.as_str()) && *t != title))
                },
            )
            .await?;
        let s = p.snapshot().await?;
        ensure!(
            s.play_label.ends_with("Play"),
            "Space on {title} also started playing ({:?})",
            s.play_label
        );
    }
    p.screenshot("inspector").await?;
    let violations = p.axe_serious().await?;
    ensure!(
        violations.is_empty(),
        "serious/critical axe-core violations with the inspector open:\n{}",
        violations.join("\n")
    );
    println!("  scaling HPA: {why} · selected {label}");
    Ok(())
}

/// Vertical vs horizontal vs hybrid on one trace: three lanes in the table, and the hybrid's
/// narrated decisions say it scaled up below its ceiling, then out at it.
async fn hybrid_scales_up_then_out(p: &mut Page, _: &'static str) -> Result<()> {
    let s = open_scene(p, "scaling", "&seed=1&view=compare-vhy&step=590").await?;
    ensure!(s.notices.is_empty(), "notices: {:?}", s.notices);
    let rows = p.texts("table.data tbody th").await?;
    ensure!(
        rows.len() == 3 && rows[2].starts_with("3. hybrid"),
        "the comparison's lanes are not vertical, horizontal and hybrid: {rows:?}"
    );
    let (mut up, mut out) = (None, None);
    // The narration keeps 5 lines and a spike narrates several per step in three lanes:
    // read it after every step.
    for _ in 0..240 {
        p.step_many(1).await?;
        for line in p.texts(".narration p").await? {
            if !line.starts_with("hybrid: ") {
                continue;
            }
            if line.contains("→ scale up 2 → 4 cores, below the 4-core ceiling") {
                up.get_or_insert(line);
            } else if line.contains("→ scale out 1 → 2 machines of 4 cores, at the 4-core ceiling")
            {
                out.get_or_insert(line);
            }
        }
        if up.is_some() && out.is_some() {
            break;
        }
    }
    let (Some(up), Some(out)) = (up.as_deref(), out.as_deref()) else {
        bail!(
            "the spike never narrated the hybrid's scale-up and then its scale-out (up {up:?}, out {out:?})"
        );
    };
    let stats = p.texts("figure.lane .stat-grid").await?;
    ensure!(stats.len() == 3, "{} lane cards", stats.len());
    p.screenshot("hybrid").await?;
    println!("  scaling hybrid: {up} · {out}");
    Ok(())
}

/// Scaling on the error rate: the decision narrates the error rate with its value and line,
/// and one chart draws CPU, memory and error rate together.
async fn error_rate_trigger_fires(p: &mut Page, _: &'static str) -> Result<()> {
    let s = open_scene(p, "scaling", "&seed=1&mode=threshold&trigger=error-rate").await?;
    ensure!(s.notices.is_empty(), "notices: {:?}", s.notices);
    let mut said = None;
    for _ in 0..60 {
        p.step_many(5).await?;
        let lines = p.texts(".narration p").await?;
        if let Some(line) = lines
            .into_iter()
            .find(|l| l.contains("threshold: error rate ") && l.contains(" > 5 % → add 1"))
        {
            said = Some(line);
            break;
        }
    }
    let Some(said) = said else {
        bail!("300 steps never narrated a scale-out fired by the error rate");
    };
    let charts = p
        .js(
            "return [...document.querySelectorAll('.charts svg')].map(s => s.getAttribute('aria-label')).join(' | ');",
            vec![],
        )
        .await?;
    let charts = charts.as_str().unwrap_or_default().to_string();
    ensure!(
        charts.contains("CPU, memory and error rate (%)"),
        "no chart of CPU, memory and error rate: {charts}"
    );
    println!("  scaling error-rate trigger: {said}");
    Ok(())
}

/// Threshold vs the guide's naive scale-in: once scale-ins have missed, the naive lane's row
/// counts them and shows what it cost beyond the threshold lane.
async fn naive_lane_costs_more(p: &mut Page, _: &'static str) -> Result<()> {
    let s = open_scene(p, "scaling", "&seed=1&view=compare-tn&step=2400").await?;
    ensure!(s.notices.is_empty(), "notices: {:?}", s.notices);
    let heads = p.texts("table.data thead th").await?;
    let Some(col) = heads.iter().position(|h| h == "over cheapest") else {
        bail!("no \"over cheapest\" column: {heads:?}");
    };
    let rows = p
        .js(
            "return [...document.querySelectorAll('table.data tbody tr')].map(r => [...r.children].map(c => c.textContent.trim()));",
            vec![],
        )
        .await?;
    let rows: Vec<Vec<String>> = serde_json::from_value(rows)?;
    ensure!(rows.len() == 2, "{rows:?}");
    let (threshold, naive) = (&rows[0], &rows[1]);
    ensure!(
        naive[0].contains("naive") && naive[0].contains("⚠ 6 missed"),
        "the naive row does not count its 6 missed scale-ins: {naive:?}"
    );
    ensure!(
        threshold[col] == "+0" && naive[col] == "+2003",
        "extra cost: threshold {:?}, naive {:?} (expected +0 and +2003)",
        threshold[col],
        naive[col]
    );
    println!("  scaling naive vs threshold: {} over cheapest", naive[col]);
    Ok(())
}
