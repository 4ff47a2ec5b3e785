//! What every scene must do: load cleanly and accessibly, play, step, step back, reproduce a
//! run from its link, differ with another seed, answer every keyboard shortcut, and copy a
//! link that reopens the same state.

use crate::{test_fn, Test};
use fantoccini::key::Key;
use scalelab_e2e::{bail, ensure, Page, Result, Snapshot};

pub fn tests(scene: &'static str) -> Vec<Test> {
    let t = |name: &str, run| Test {
        name: format!("{scene}_{name}"),
        scene,
        run,
    };
    vec![
        t("loads_without_console_errors", test_fn!(loads_cleanly)),
        t("has_no_serious_axe_violations", test_fn!(accessible)),
        t("play_step_and_step_back", test_fn!(play_step_back)),
        t(
            "same_link_same_run_other_seed_differs",
            test_fn!(deterministic),
        ),
        t("keyboard_shortcuts", test_fn!(keyboard)),
        t("copy_link_reopens_same_state", test_fn!(copy_link)),
        t("page_keeps_still_while_playing", test_fn!(keeps_still)),
    ]
}

/// Opens `scene` with `extra` query parts and checks it started as that scene.
pub async fn open_scene(p: &mut Page, scene: &str, extra: &str) -> Result<Snapshot> {
    let s = p.goto(&format!("?scene={scene}{extra}")).await?;
    ensure!(
        s.error_panel.is_none(),
        "the panic panel is shown: {:?}",
        s.error_panel
    );
    ensure!(
        s.scene.as_deref() == Some(scene),
        "expected section.scene[data-scene={scene}], page shows {:?}",
        s.scene
    );
    Ok(s)
}

async fn loads_cleanly(p: &mut Page, scene: &'static str) -> Result<()> {
    let s = open_scene(p, scene, "&seed=42").await?;
    ensure!(
        s.step == Some((0, s.step.map(|x| x.1).unwrap_or(0))),
        "a fresh link starts at step 0: {:?}",
        s.step_label
    );
    ensure!(
        s.notices.is_empty(),
        "a clean link shows notices: {:?}",
        s.notices
    );
    for part in [
        "header.site",
        "footer.site",
        "section.scene .controls",
        "section.scene .stage",
    ] {
        ensure!(p.visible(part).await?, "{part} is not visible");
    }
    ensure!(p.count(".stage *").await? > 3, "the scene's stage is empty");
    // Wait for the first frames to run (the frame loop starts after mount).
    p.step_once().await?;
    p.assert_no_console_errors().await?;
    Ok(())
}

async fn accessible(p: &mut Page, scene: &'static str) -> Result<()> {
    open_scene(p, scene, "&seed=42").await?;
    let mut found = Vec::new();
    found.extend(
        p.axe_serious()
            .await?
            .into_iter()
            .map(|v| format!("on load: {v}")),
    );
    // Again mid-run (animated dots, evictions, moved keys…) with the help dialog open.
    p.step_many(40).await?;
    p.press('?').await?;
    p.wait_for("the help dialog", async |p: &mut Page| {
        Ok(p.exists(".help").await?.then_some(()))
    })
    .await?;
    for v in p.axe_serious().await? {
        let line = format!("after 40 steps, help open: {v}");
        if !found
            .iter()
            .any(|f| f.split_once(": ").map(|x| x.1) == line.split_once(": ").map(|x| x.1))
        {
            found.push(line);
        }
    }
    p.screenshot("help").await?;
    if !found.is_empty() {
        bail!(
            "serious/critical axe-core violations in the {scene} scene:\n{}",
            found.join("\n")
        );
    }
    Ok(())
}

async fn play_step_back(p: &mut Page, scene: &'static str) -> Result<()> {
    let s = open_scene(p, scene, "&seed=7").await?;
    ensure!(
        s.step.map(|x| x.0) == Some(0),
        "not at step 0: {}",
        s.step_label
    );
    ensure!(
        s.play_label.ends_with("Play"),
        "the play button says {:?}",
        s.play_label
    );

    // Play advances.
    p.click_button("Play").await?;
    let playing = p
        .wait_for(
            "Play to advance the simulation past step 3",
            async |p: &mut Page| {
                let s = p.snapshot().await?;
                Ok((s.step.map(|x| x.0).unwrap_or(0) >= 3).then_some(s))
            },
        )
        .await?;
    ensure!(
        playing.play_label.ends_with("Pause"),
        "while playing the button says {:?}",
        playing.play_label
    );
    p.pause().await?;
    let paused = p.snapshot().await?;
    let again = p.snapshot().await?;
    ensure!(
        paused.step == again.step,
        "still advancing after Pause: {} → {}",
        paused.step_label,
        again.step_label
    );
    ensure!(
        paused.stats != s.stats || paused.step_label != s.step_label,
        "playing changed nothing on screen"
    );

    // Step advances exactly one.
    let a = p.snapshot().await?;
    let n = a.step.map(|x| x.0).unwrap_or(0);
    p.click_button("Step").await?;
    let b = p
        .wait_for("the step label to change", async |p: &mut Page| {
            let s = p.snapshot().await?;
            Ok((s.step != a.step).then_some(s))
        })
        .await?;
    ensure!(
        b.step.map(|x| x.0) == Some(n + 1),
        "Step moved from {} to {} (expected exactly one)",
        a.step_label,
        b.step_label
    );
    let b2 = p.snapshot().await?;
    ensure!(
        b2.step == b.step,
        "Step kept going: {} then {}",
        b.step_label,
        b2.step_label
    );

    // Step back returns to the previous state, counters included.
    p.click_button("Back").await?;
    p.wait_step(n).await?;
    let c = p.snapshot().await?;
    ensure!(
        c.position == a.position,
        "after Back the label is {:?}, before Step it was {:?}",
        c.step_label,
        a.step_label
    );
    ensure!(
        c.stats == a.stats,
        "after Back the counters are\n  {:?}\nbefore Step they were\n  {:?}",
        c.stats,
        a.stats
    );

    // And forward again lands on the same state as the first time.
    p.step_once().await?;
    let d = p.snapshot().await?;
    ensure!(
        d.position == b.position && d.stats == b.stats,
        "Step after Back differs from the first Step:\n  {:?} {:?}\n  {:?} {:?}",
        d.step_label,
        d.stats,
        b.step_label,
        b.stats
    );
    Ok(())
}

/// Steps `n` times from a fresh load of `query` and returns what is on screen and the
/// exported event trace.
async fn run_link(
    p: &mut Page,
    scene: &str,
    query: &str,
    n: u64,
) -> Result<(Snapshot, String, serde_json::Value)> {
    open_scene(p, scene, query).await?;
    p.step_many(n).await?;
    let s = p.snapshot().await?;
    // What the scene draws, without attributes (animation positions depend on wall time).
    let stage = p.texts(".stage").await?.join(" ");
    let json = p.export_json().await?;
    Ok((s, stage, json["events"].clone()))
}

async fn deterministic(p: &mut Page, scene: &'static str) -> Result<()> {
    const STEPS: u64 = 150;
    let (a, stage_a, ea) = run_link(p, scene, "&seed=1234", STEPS).await?;
    let (b, _, eb) = run_link(p, scene, "&seed=1234", STEPS).await?;
    ensure!(
        a.step_label == b.step_label,
        "same link, different time after {STEPS} steps: {:?} vs {:?}",
        a.step_label,
        b.step_label
    );
    ensure!(
        a.stats == b.stats,
        "same link, different counters after {STEPS} steps:\n  {:?}\n  {:?}",
        a.stats,
        b.stats
    );
    ensure!(
        ea == eb,
        "same link, different event traces after {STEPS} steps"
    );
    ensure!(
        ea.as_array().is_some_and(|e| !e.is_empty()),
        "the exported trace is empty after {STEPS} steps"
    );
    let (c, stage_c, ec) = run_link(p, scene, "&seed=1235", STEPS).await?;
    ensure!(
        ec != ea,
        "seed 1235 produced the same event trace as seed 1234"
    );
    // And it shows: in the counters, the time, or what the stage draws (a scene with a fixed
    // clock and few counters, like sharding, can match on counters by chance).
    ensure!(
        c.stats != a.stats || c.position != a.position || stage_c != stage_a,
        "seed 1235 looks exactly like seed 1234 after {STEPS} steps: {:?} {:?}",
        c.step_label,
        c.stats
    );
    Ok(())
}

/// Frames of play [`keeps_still`] records: seven and a half seconds, long enough for the
/// caching scene's L2 to fill past the height of the origin beside it (at about frame 320).
const STILL_FRAMES: u64 = 450;

/// Records, on the first `arguments[0]` animation frames while the scene plays, the height of
/// the page, of each of its parts that used to move (the narration growing to its three
/// lines, the inspector's decision table) and of each drawing (the L2 growing row by row), as
/// `part height` strings.
const RECORD_HEIGHTS_JS: &str = r#"
    window.__heights = new Set();
    window.__frames = 0;
    const frames = arguments[0];
    const parts = { page: 'main', narration: '.narration', inspector: '.inspector' };
    const seen = (name, el) => window.__heights.add(name + ' ' + Math.round(el.getBoundingClientRect().height));
    (function frame() {
        if (document.querySelector('section.scene[data-playing="1"]')) {
            window.__frames++;
            for (const [name, css] of Object.entries(parts)) {
                const el = document.querySelector(css);
                if (el) seen(name, el);
            }
            document.querySelectorAll('.stage svg.drawing:not(.marks)').forEach((el, i) => seen('drawing' + i, el));
        }
        if (window.__frames < frames) requestAnimationFrame(frame);
    })();
"#;

/// From the first step of a run, while the narration fills, the panels refresh and the drawings
/// fill, nothing on the page changes height: a part that grew or shrank moved everything under
/// it, and the settings a student reached for jumped away.
async fn keeps_still(p: &mut Page, scene: &'static str) -> Result<()> {
    open_scene(p, scene, "&seed=42").await?;
    p.click_button("Play").await?;
    p.js(RECORD_HEIGHTS_JS, vec![STILL_FRAMES.into()]).await?;
    p.wait_for("the frames of play recorded", async |p: &mut Page| {
        let n = p.js("return window.__frames", vec![]).await?;
        Ok((n.as_u64().unwrap_or(0) >= STILL_FRAMES).then_some(()))
    })
    .await?;
    let seen = p.js("return [...window.__heights].sort()", vec![]).await?;
    let seen: Vec<&str> = seen
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let mut parts: Vec<String> = ["page", "narration", "inspector"].map(String::from).into();
    // Every drawing the scene showed, each by its place on the page.
    for h in &seen {
        if let Some(name) = h.split(' ').next().filter(|n| n.starts_with("drawing")) {
            if !parts.iter().any(|p| p == name) {
                parts.push(name.to_string());
            }
        }
    }
    for part in &parts {
        let heights: Vec<&str> = seen
            .iter()
            .filter(|h| h.split(' ').next() == Some(part.as_str()))
            .copied()
            .collect();
        ensure!(
            heights.len() == 1,
            "while playing, the {part} took {} heights: {heights:?}",
            heights.len()
        );
    }
    Ok(())
}

async fn speed_text(p: &Page) -> Result<String> {
    Ok(p.texts(".controls .speed").await?.join(""))
}

async fn keyboard(p: &mut Page, scene: &'static str) -> Result<()> {
    open_scene(p, scene, "&seed=5").await?;
    p.capture_exports().await?;

    p.press(' ').await?;
    p.wait_for("Space to start playing", async |p: &mut Page| {
        Ok(p.snapshot()
            .await?
            .play_label
            .ends_with("Pause")
            .then_some(()))
    })
    .await?;
    p.press(' ').await?;
    p.wait_for("Space to pause", async |p: &mut Page| {
        Ok(p.snapshot()
            .await?
            .play_label
            .ends_with("Play")
            .then_some(()))
    })
    .await?;

    let n = p.step().await?;
    p.press(Key::Right.into()).await?;
    p.wait_step(n + 1).await?;
    p.press(Key::Right.into()).await?;
    p.wait_step(n + 2).await?;
    p.press(Key::Left.into()).await?;
    p.wait_step(n + 1).await?;

    let speed = speed_text(p).await?;
    p.press('+').await?;
    p.wait_for("+ to change the speed", async |p: &mut Page| {
        Ok((speed_text(p).await? != speed).then_some(()))
    })
    .await?;
    p.press('-').await?;
    p.wait_for("- to bring the speed back", async |p: &mut Page| {
        Ok((speed_text(p).await? == speed).then_some(()))
    })
    .await?;

    p.press('?').await?;
    p.wait_for("? to open the help", async |p: &mut Page| {
        Ok(p.exists(".help").await?.then_some(()))
    })
    .await?;
    p.press('?').await?;
    p.wait_for("? to close the help", async |p: &mut Page| {
        Ok((!p.exists(".help").await?).then_some(()))
    })
    .await?;

    p.press('l').await?;
    let link = copied_link(p).await?;
    ensure!(
        link.contains(&format!("scene={scene}")) && link.contains("seed=5"),
        "the copied link {link:?} lacks the scene or seed"
    );

    p.press('c').await?;
    let (name, csv) = p.export(1).await?;
    ensure!(
        name.ends_with(".csv") && name.contains(scene),
        "C exported {name:?}"
    );
    ensure!(
        csv.starts_with("record,step,"),
        "the CSV starts with {:?}",
        csv.lines().next()
    );
    p.press('j').await?;
    let (name, json) = p.export(2).await?;
    ensure!(name.ends_with(".json"), "J exported {name:?}");
    let v: serde_json::Value = serde_json::from_str(&json)?;
    ensure!(
        v["scene"] == scene && v["seed"] == 5,
        "the JSON export describes {} seed {}",
        v["scene"],
        v["seed"]
    );

    p.press('r').await?;
    p.wait_step(0).await?;
    Ok(())
}

/// The link the status line says Copy link copied, once it says so.
pub async fn copied_link(p: &mut Page) -> Result<String> {
    p.wait_for(
        "the status to show the copied link",
        async |p: &mut Page| {
            Ok(p.snapshot()
                .await?
                .status
                .strip_prefix("Link copied: ")
                .map(String::from))
        },
    )
    .await
}

async fn copy_link(p: &mut Page, scene: &'static str) -> Result<()> {
    open_scene(p, scene, "&seed=99").await?;
    p.step_many(23).await?;
    p.click_button("Copy link").await?;
    let link = copied_link(p).await?;
    let before = p.snapshot().await?;
    ensure!(
        link.contains("step=23"),
        "the copied link {link:?} does not record step 23"
    );
    ensure!(
        before.href == link,
        "paused, the address bar shows {:?} but the copied link is {link:?}",
        before.href
    );
    let after = p.goto_url(&link).await?;
    ensure!(
        after.scene.as_deref() == Some(scene),
        "the link opened {:?}",
        after.scene
    );
    ensure!(
        after.notices.is_empty(),
        "the copied link's notices: {:?}",
        after.notices
    );
    ensure!(
        after.position == before.position,
        "the link opens at {:?}, copied at {:?}",
        after.step_label,
        before.step_label
    );
    ensure!(
        after.stats == before.stats,
        "the link opens with counters\n  {:?}\ncopied with\n  {:?}",
        after.stats,
        before.stats
    );
    Ok(())
}
