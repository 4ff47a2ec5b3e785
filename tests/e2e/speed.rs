//! Speed is simulated time per second, the same ladder in every scene: the label says the
//! rung and what it means, `+` / `−` move along it, a link carries it (anything but a rung is
//! named, and the scene plays at its own speed), play keeps its pace, and a computer that
//! cannot keep up is told the pace it keeps.

use crate::generic::copied_link;
use crate::{test_fn, Test};
use scalelab_e2e::{ensure, Page, Result};
use serde_json::json;
use std::time::Duration;

pub fn tests() -> Vec<Test> {
    vec![
        Test {
            name: "speed_label_keys_and_links".into(),
            scene: "",
            run: test_fn!(label_keys_and_links),
        },
        Test {
            name: "speed_keeps_its_pace_in_every_scene".into(),
            scene: "",
            run: test_fn!(keeps_pace),
        },
        Test {
            name: "speed_says_behind_under_cpu_throttling".into(),
            scene: "",
            run: test_fn!(behind_when_throttled),
        },
    ]
}

async fn speed(p: &Page) -> Result<(String, String)> {
    let v = p
        .js(
            "const s = document.querySelector('.controls .speed'); \
             return s ? [s.textContent.trim(), s.title] : ['', ''];",
            vec![],
        )
        .await?;
    Ok((
        v[0].as_str().unwrap_or_default().to_string(),
        v[1].as_str().unwrap_or_default().to_string(),
    ))
}

async fn wait_speed(p: &mut Page, want: &str) -> Result<String> {
    p.wait_for(&format!("the label {want:?}"), async |p: &mut Page| {
        let (label, meaning) = speed(p).await?;
        Ok((label == want).then_some(meaning))
    })
    .await
}

async fn label_keys_and_links(p: &mut Page, _: &'static str) -> Result<()> {
    p.goto("?scene=balancing&seed=3").await?;
    let meaning = wait_speed(p, "Speed 1/50×").await?;
    ensure!(
        meaning == "1 s of simulated time takes 50 s",
        "the label's meaning reads {meaning:?}"
    );
    let announced = p.texts(".controls [role=status]").await?.join(" ");
    ensure!(
        announced.contains("1 s of simulated time takes 50 s"),
        "no status announces the speed: {announced:?}"
    );
    p.press('+').await?;
    wait_speed(p, "Speed 1/20×").await?;
    p.press('-').await?;
    p.press('-').await?;
    wait_speed(p, "Speed 1/100×").await?;
    p.press('l').await?;
    let link = copied_link(p).await?;
    ensure!(
        link.contains("speed=0.01"),
        "the copied link {link:?} lacks speed=0.01"
    );

    // A link's speed.
    p.goto("?scene=scaling&speed=200").await?;
    let meaning = wait_speed(p, "Speed 200×").await?;
    ensure!(
        meaning == "200 s of simulated time pass every second",
        "{meaning:?}"
    );
    p.goto("?scene=caching&speed=fast").await?;
    wait_speed(p, "Speed 1/10×").await?;
    let notices = p.snapshot().await?.notices.join(" ");
    ensure!(
        notices.contains("“fast”") && notices.contains("speed"),
        "a bad speed is not named: {notices:?}"
    );
    Ok(())
}

/// Simulated seconds on the step label (`Step N of M · t = 12.345s`).
async fn sim_seconds(p: &Page) -> Result<f64> {
    let label = p.snapshot().await?.step_label;
    Ok(label
        .rsplit("t = ")
        .next()
        .and_then(|t| t.trim().trim_end_matches('s').parse().ok())
        .unwrap_or(f64::NAN))
}

async fn keeps_pace(p: &mut Page, _: &'static str) -> Result<()> {
    // Each scene at a rung where 3 s of play is plenty of events and few enough to draw.
    for (scene, rate) in [
        ("balancing", 0.02),
        ("caching", 0.1),
        ("sharding", 0.05),
        ("scaling", 20.0),
        ("system", 0.1),
    ] {
        p.goto(&format!("?scene={scene}&seed=5&speed={rate}"))
            .await?;
        let start = sim_seconds(p).await?;
        p.click_button("Play").await?;
        let wall = std::time::Instant::now();
        tokio::time::sleep(Duration::from_secs(3)).await;
        p.pause().await?;
        let secs = wall.elapsed().as_secs_f64();
        let advanced = sim_seconds(p).await? - start;
        let asked = rate * secs;
        // Play starts on the next frame and the pause lands a frame or two late: a third either
        // way holds on a loaded machine and still tells 1× from 10×.
        ensure!(
            (asked * 0.67..=asked * 1.33).contains(&advanced),
            "{scene} at {rate}×: {advanced:.3} s of simulated time in {secs:.2} s, asked {asked:.3} s"
        );
    }
    Ok(())
}

async fn behind_when_throttled(p: &mut Page, _: &'static str) -> Result<()> {
    // 1000× on balancing asks for over two million events a second, drawn: no computer keeps
    // that pace with its CPU slowed six times.
    p.goto("?scene=balancing&seed=5&speed=1000").await?;
    wait_speed(p, "Speed 1000×").await?;
    p.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 6 }))
        .await?;
    p.click_button("Play").await?;
    let label = p
        .wait_for("the behind label", async |p: &mut Page| {
            let (label, _) = speed(p).await?;
            Ok(label.contains("running").then_some(label))
        })
        .await;
    p.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 1 }))
        .await?;
    let label = label?;
    ensure!(
        label.starts_with("Speed: asked 1000×, running "),
        "the behind label reads {label:?}"
    );
    p.pause().await?;
    wait_speed(p, "Speed 1000×").await?;
    Ok(())
}
