//! The system scene: each chaos switch, pulled from its button on a warmed-up default day
//! (seed 42), shows its effect in the drawing and the live figures, and its recovery once it
//! wears off (read by opening the page's own address at a later step); every preset shows its
//! story and its incident starts by itself.

use crate::generic::open_scene;
use crate::{test_fn, Test};
use scalelab_e2e::{bail, ensure, Page, Result};

/// The warmed-up state every switch is pulled in: about 20 s of the default day.
const WARM: &str = "&seed=42&step=10000";

pub fn tests() -> Vec<Test> {
    let t = |name: &str, run| Test {
        name: format!("system_{name}"),
        scene: "system",
        run,
    };
    vec![
        t(
            "kill_an_instance_fails_its_requests_and_the_others_carry_on",
            test_fn!(kill),
        ),
        t(
            "a_slow_instance_is_marked_and_recovers",
            test_fn!(slow_instance),
        ),
        t("flushing_the_l2_empties_it_and_it_refills", test_fn!(flush)),
        t("a_crashed_l2_is_down_then_back_empty", test_fn!(crash)),
        t("a_hot_key_heats_its_shard", test_fn!(hot_key)),
        t(
            "a_shard_down_fails_its_reads_then_serves_again",
            test_fn!(shard_down),
        ),
        t(
            "a_slow_shard_sets_the_shard_hops_p99_then_recovers",
            test_fn!(slow_shard),
        ),
        t("a_spike_quadruples_arrivals_then_ebbs", test_fn!(spike)),
        t(
            "a_stampede_sends_its_misses_to_the_store",
            test_fn!(stampede),
        ),
        t(
            "coalescing_sends_one_read_per_key_to_the_store",
            test_fn!(coalescing),
        ),
        t(
            "each_preset_tells_its_story_and_its_incident_starts_itself",
            test_fn!(presets),
        ),
    ]
}

/// The live figure named `key` (its `.k` text), as shown.
async fn figure(p: &Page, key: &str) -> Result<String> {
    let v = p
        .js(
            r#"const s = [...document.querySelectorAll('.stat')]
                 .find(s => s.querySelector('.k').textContent.trim() === arguments[0]);
               return s ? s.querySelector('.v').textContent.trim() : null;"#,
            vec![key.into()],
        )
        .await?;
    match v.as_str() {
        Some(s) => Ok(s.to_string()),
        None => bail!("no live figure {key:?}"),
    }
}

/// A live figure that is a whole number (a leading "⚠ " allowed).
async fn count(p: &Page, key: &str) -> Result<u64> {
    let text = figure(p, key).await?;
    match text.trim_start_matches("⚠ ").parse() {
        Ok(n) => Ok(n),
        Err(_) => bail!("the figure {key:?} is not a count: {text:?}"),
    }
}

/// The simulated time on the live figures, in seconds.
async fn secs(p: &Page) -> Result<f64> {
    let text = figure(p, "time").await?;
    match text.trim_end_matches('s').parse() {
        Ok(n) => Ok(n),
        Err(_) => bail!("the time is not in seconds: {text:?}"),
    }
}

/// Every text of the path drawing, joined.
async fn drawing(p: &Page) -> Result<String> {
    Ok(p.texts("svg.system-path text").await?.join(" | "))
}

/// The text of the path drawing's row that starts with `name` ("app-0", "shard 3").
async fn row(p: &Page, name: &str) -> Result<Option<String>> {
    let prefix = format!("{name} ");
    Ok(p.texts("svg.system-path text")
        .await?
        .into_iter()
        .find(|t| t.starts_with(&prefix)))
}

/// Opens the page's own address at `more` steps further on: what the scene shows after the
/// switch has worn off, without stepping there click by click.
async fn later(p: &mut Page, more: u64) -> Result<()> {
    let s = p.snapshot().await?;
    let Some((step, _)) = s.step else {
        bail!("no step label: {:?}", s.step_label);
    };
    let href = s
        .href
        .replace(&format!("step={step}"), &format!("step={}", step + more));
    ensure!(
        href != s.href,
        "the address {:?} does not hold step={step}",
        s.href
    );
    let s = p.goto_url(&href).await?;
    ensure!(
        s.notices.is_empty(),
        "notices on the later address: {:?}",
        s.notices
    );
    p.wait_step(step + more).await?;
    Ok(())
}

async fn narration_has(p: &Page, part: &str) -> Result<()> {
    let lines = p.texts(".narration p").await?;
    ensure!(
        lines.iter().any(|l| l.contains(part)),
        "the narration does not say {part:?}: {lines:?}"
    );
    Ok(())
}

async fn kill(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "system", WARM).await?;
    ensure!(
        figure(p, "instances serving (+booting)").await? == "3 (+0)",
        "the day starts with 3 instances"
    );
    p.click_button("Kill an instance · app-0").await?;
    p.step_many(5).await?;
    ensure!(
        figure(p, "instances serving (+booting)").await? == "2 (+0)",
        "after the kill: {}",
        figure(p, "instances serving (+booting)").await?
    );
    ensure!(
        row(p, "app-0").await?.is_none(),
        "app-0 is still drawn: {}",
        drawing(p).await?
    );
    narration_has(p, "app-0 was killed").await?;
    p.screenshot("killed").await?;
    let answered = count(p, "answered").await?;
    // Recovery: the two left carry the day, nothing dropped.
    later(p, 5_000).await?;
    ensure!(
        count(p, "answered").await? > answered + 1_000,
        "the others stopped answering"
    );
    ensure!(
        count(p, "dropped").await? == 0,
        "requests dropped after the kill"
    );
    Ok(())
}

async fn slow_instance(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "system", WARM).await?;
    p.click_button("Slow an instance ×10 (20 s) · app-0")
        .await?;
    p.step_many(10).await?;
    let r = row(p, "app-0").await?.unwrap_or_default();
    ensure!(
        r.contains("×10"),
        "app-0's row does not say it is slowed: {r:?}"
    );
    later(p, 14_000).await?;
    ensure!(
        secs(p).await? > 42.0,
        "not past the 20 s: {}",
        secs(p).await?
    );
    let r = row(p, "app-0").await?.unwrap_or_default();
    ensure!(
        !r.is_empty() && !r.contains("×"),
        "app-0 is still slow: {r:?}"
    );
    Ok(())
}

/// The L2's "N entries" line in the drawing.
async fn l2_entries(p: &Page) -> Result<Option<u64>> {
    Ok(p.texts("svg.system-path text")
        .await?
        .iter()
        .find_map(|t| t.strip_suffix(" entries").and_then(|n| n.parse().ok())))
}

async fn flush(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "system", WARM).await?;
    let before = l2_entries(p).await?.unwrap_or(0);
    ensure!(before > 200, "the warm L2 holds only {before} entries");
    let reads = count(p, "store reads").await?;
    p.click_button("Flush the L2").await?;
    p.step_once().await?;
    let after = l2_entries(p).await?.unwrap_or(u64::MAX);
    ensure!(
        after < 5,
        "the L2 holds {after} entries right after the flush"
    );
    narration_has(p, "chaos, flush the L2").await?;
    p.step_many(400).await?;
    ensure!(
        count(p, "store reads").await? > reads + 40,
        "the misses did not reach the store"
    );
    later(p, 10_000).await?;
    let refilled = l2_entries(p).await?.unwrap_or(0);
    ensure!(refilled > 100, "the L2 refilled to only {refilled} entries");
    Ok(())
}

async fn crash(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "system", WARM).await?;
    p.click_button("Crash the L2 (10 s)").await?;
    p.step_many(5).await?;
    ensure!(
        drawing(p).await?.contains("DOWN"),
        "the L2 box does not say DOWN"
    );
    ensure!(
        p.exists("svg.system-path rect.box.down").await?,
        "no box drawn as down"
    );
    p.screenshot("l2-down").await?;
    later(p, 8_000).await?;
    ensure!(
        !drawing(p).await?.contains("DOWN"),
        "the L2 is still down after 10 s"
    );
    ensure!(
        l2_entries(p).await?.is_some_and(|n| n > 0),
        "the L2 did not come back and fill"
    );
    Ok(())
}

/// Each shard row's load (per second), in shard order.
async fn shard_loads(p: &Page) -> Result<Vec<f64>> {
    Ok(p.texts("svg.system-path text")
        .await?
        .iter()
        .filter(|t| t.starts_with("shard "))
        .filter_map(|t| t.split(" · ").nth(1)?.split("/s").next()?.parse().ok())
        .collect())
}

async fn hot_key(p: &mut Page, _: &'static str) -> Result<()> {
    // Writes are a fifth of requests here (the hot-shard preset's day), so the key's shard
    // takes them; the preset's own trigger at 5 s is not reached.
    open_scene(p, "system", "&seed=42&preset=hot-shard&step=1000").await?;
    let loads = shard_loads(p).await?;
    ensure!(loads.len() == 8, "8 shard rows: {loads:?}");
    p.click_button("Hot key user:7 (30 s)").await?;
    p.step_many(1_200).await?;
    let loads = shard_loads(p).await?;
    let mut sorted = loads.clone();
    sorted.sort_by(f64::total_cmp);
    let (median, top) = (sorted[3].max(1.0), sorted[7]);
    ensure!(top > 2.0 * median, "no hot shard: {loads:?}");
    Ok(())
}

async fn shard_down(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "system", WARM).await?;
    ensure!(count(p, "failed").await? == 0, "failures before the switch");
    p.click_button("Take a shard down (10 s) · shard 0").await?;
    p.step_many(600).await?;
    let r = row(p, "shard 0").await?.unwrap_or_default();
    ensure!(r.contains("DOWN"), "shard 0's row does not say DOWN: {r:?}");
    ensure!(
        count(p, "failed").await? > 0,
        "no read of shard 0's keys failed"
    );
    later(p, 8_000).await?;
    let r = row(p, "shard 0").await?.unwrap_or_default();
    ensure!(!r.contains("DOWN"), "shard 0 is still down: {r:?}");
    let failed = count(p, "failed").await?;
    p.step_many(500).await?;
    ensure!(
        count(p, "failed").await? == failed,
        "reads still fail after the recovery"
    );
    Ok(())
}

/// The hop table's row for `hop`: p50 recent, p99 recent, p99 whole run (ms).
async fn hop_row(p: &Page, hop: &str) -> Result<Vec<f64>> {
    let v = p
        .js(
            r#"const r = [...document.querySelectorAll('.hop-table tbody tr')]
                 .find(r => r.querySelector('th').textContent.trim().endsWith(arguments[0]));
               return r ? [...r.querySelectorAll('td')].map(td => parseFloat(td.textContent)) : [];"#,
            vec![hop.into()],
        )
        .await?;
    Ok(v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_f64()).collect())
        .unwrap_or_default())
}

async fn slow_shard(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "system", WARM).await?;
    let before = hop_row(p, "shard").await?;
    p.click_button("Slow a shard ×10 (20 s) · shard 0").await?;
    p.step_many(1_500).await?;
    let r = row(p, "shard 0").await?.unwrap_or_default();
    ensure!(
        r.contains("10× slow"),
        "shard 0's row does not say it is slow: {r:?}"
    );
    // A read of the slowed shard takes at least 10 × its 2 ms; the run's p99 climbs with them.
    let during = hop_row(p, "shard").await?;
    ensure!(
        during.get(1).is_some_and(|d| *d >= 19.9)
            && during.get(2).zip(before.get(2)).is_some_and(|(d, b)| d > b),
        "the shard hop's p99 did not climb: {before:?} → {during:?}"
    );
    p.screenshot("slow-shard").await?;
    later(p, 14_000).await?;
    let r = row(p, "shard 0").await?.unwrap_or_default();
    ensure!(!r.contains("slow"), "shard 0 is still slow: {r:?}");
    Ok(())
}

/// Arrivals per simulated second over the next `steps` steps.
async fn arrival_rate(p: &mut Page, steps: u64) -> Result<f64> {
    let (a0, t0) = (count(p, "arrived").await?, secs(p).await?);
    p.step_many(steps).await?;
    let (a1, t1) = (count(p, "arrived").await?, secs(p).await?);
    ensure!(t1 > t0, "no simulated time passed");
    Ok((a1 - a0) as f64 / (t1 - t0))
}

async fn spike(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "system", WARM).await?;
    let calm = arrival_rate(p, 800).await?;
    p.click_button("Traffic spike ×4 (30 s)").await?;
    let during = arrival_rate(p, 3_000).await?;
    ensure!(
        during > 3.0 * calm,
        "arrivals went from {calm:.0}/s to only {during:.0}/s"
    );
    narration_has(p, "a traffic spike").await?;
    later(p, 60_000).await?;
    let after = arrival_rate(p, 800).await?;
    ensure!(
        after < 1.5 * calm,
        "arrivals stayed at {after:.0}/s (calm {calm:.0}/s)"
    );
    Ok(())
}

/// The recent p99 on the live figures, in ms.
async fn recent_p99(p: &Page) -> Result<f64> {
    let text = figure(p, "p99, recent").await?;
    match text.trim_end_matches(" ms").parse() {
        Ok(v) => Ok(v),
        Err(_) => bail!("the recent p99 is not in ms: {text:?}"),
    }
}

async fn stampede(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "system", WARM).await?;
    let (calm, arrived) = (recent_p99(p).await?, count(p, "arrived").await?);
    p.click_button("Stampede: 500 reads of user:0").await?;
    p.step_many(1_500).await?;
    ensure!(
        count(p, "arrived").await? >= arrived + 500,
        "the 500 reads did not arrive"
    );
    let flooded = recent_p99(p).await?;
    ensure!(
        flooded > 10.0 * calm,
        "the recent p99 went from {calm} ms only to {flooded} ms"
    );
    narration_has(p, "a stampede of 500 reads of user:0").await?;
    later(p, 3_000).await?;
    let after = recent_p99(p).await?;
    ensure!(
        after < 3.0 * calm,
        "the recent p99 stayed at {after} ms (calm {calm} ms)"
    );
    Ok(())
}

/// The thundering-herd preset, warm, a little before its flush at 40 s.
const HERD_WARM: &str = "&seed=42&preset=thundering-herd&step=225000";
/// Steps from there to a few seconds after the flush.
const PAST_THE_FLUSH: u64 = 32_000;

async fn coalescing(p: &mut Page, _: &'static str) -> Result<()> {
    // Without coalescing, the flush drops requests at the shard queues.
    open_scene(p, "system", HERD_WARM).await?;
    let before = count(p, "dropped").await?;
    later(p, PAST_THE_FLUSH).await?;
    let herd = count(p, "dropped").await? - before;
    ensure!(
        herd > 100,
        "the flush dropped only {herd} requests without coalescing"
    );
    // Switched on before the flush, the same flush drops none.
    open_scene(p, "system", HERD_WARM).await?;
    p.click_button("Turn coalescing on").await?;
    p.step_once().await?;
    ensure!(
        p.texts(".switches button")
            .await?
            .iter()
            .any(|b| b == "Turn coalescing off"),
        "the switch does not offer to turn coalescing off"
    );
    later(p, PAST_THE_FLUSH).await?;
    let coalesced = count(p, "dropped").await? - before;
    ensure!(
        coalesced == 0,
        "{coalesced} requests dropped with coalescing on (without: {herd})"
    );
    Ok(())
}

async fn presets(p: &mut Page, _: &'static str) -> Result<()> {
    for (preset, title, step) in [
        (
            "thundering-herd",
            "Thundering herd after a cache flush",
            245_000,
        ),
        ("hot-shard", "A hot shard", 8_000),
        ("slow-replica", "A slow replica dragging p99", 8_000),
        (
            "slow-autoscaler",
            "An autoscaler too slow for a spike",
            8_000,
        ),
    ] {
        open_scene(
            p,
            "system",
            &format!("&seed=42&preset={preset}&step={step}"),
        )
        .await?;
        let story = p.texts(".story").await?.join(" ");
        ensure!(story.contains(title), "{preset}: story {story:?}");
        ensure!(
            story.contains("started at"),
            "{preset}: the incident has not started: {story:?}"
        );
        let src = p
            .js(
                "const f = document.querySelector('.story iframe'); return f ? f.src : '';",
                vec![],
            )
            .await?;
        ensure!(
            src.as_str()
                .is_some_and(|s| s.ends_with(&format!("#system.preset.{preset}"))),
            "{preset}: the story's explainer frame is {src:?}"
        );
        p.screenshot(preset).await?;
    }
    Ok(())
}
