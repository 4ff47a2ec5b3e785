//! Caching: a scan workload visibly evicts under LRU, with the eviction reason shown; the
//! inspector and the narration say why the policy chose its victim, and a key selected with
//! the keyboard shows its state; the L2's Redis policies say which counters they compared,
//! and `noeviction` refuses fills with Redis's OOM error; with three app nodes, stale reads
//! are counted and the invalidation broadcast cuts them; the race view shows one board row
//! and one chart line per L1 policy, and its link round-trips.

use crate::generic::{copied_link, open_scene};
use crate::{test_fn, Test};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use scalelab_e2e::{ensure, Page, Result};

pub fn tests() -> Vec<Test> {
    vec![
        Test {
            name: "caching_scan_evicts_under_lru_with_reason".into(),
            scene: "caching",
            run: test_fn!(scan_evicts),
        },
        Test {
            name: "caching_inspector_says_why_lru_evicted_and_shows_a_selected_key".into(),
            scene: "caching",
            run: test_fn!(why_lru_evicted),
        },
        Test {
            name: "caching_l2_lfu_says_which_counters_it_compared_and_noeviction_refuses".into(),
            scene: "caching",
            run: test_fn!(l2_policies),
        },
        Test {
            name: "caching_three_nodes_read_stale_and_the_broadcast_cuts_it".into(),
            scene: "caching",
            run: test_fn!(nodes_stale_reads),
        },
        Test {
            name: "caching_race_shows_a_row_and_a_line_per_policy_and_its_link_round_trips".into(),
            scene: "caching",
            run: test_fn!(race),
        },
    ]
}

/// The race board's lane rows (the counters table's L1 rows in a race): (lane label, L1 hit
/// rate in percent).
async fn race_board(p: &Page) -> Result<Vec<(String, f64)>> {
    let v = p
        .js(
            r#"return [...document.querySelectorAll('table.caching-counters tbody tr')]
                 .map(r => [r.querySelector('th').textContent.trim(),
                            parseFloat(r.querySelectorAll('td')[2].textContent)])
                 .filter(r => r[0].startsWith('L1 · '));"#,
            vec![],
        )
        .await?;
    Ok(v.as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r[0].as_str().unwrap_or("").to_string(),
                        r[1].as_f64().unwrap_or(f64::NAN),
                    )
                })
                .collect()
        })
        .unwrap_or_default())
}

/// A loop over 20 keys through 16 slots, raced by all five policies: the lanes' hit rates
/// part (W-TinyLFU keeps 15 keys that hit every round, LRU hits almost never), every lane has
/// its row and its line, and Copy link reopens the same race.
async fn race(p: &mut Page, _: &'static str) -> Result<()> {
    // A lane set the scene does not have is named, with the sets it has.
    let s = open_scene(p, "caching", "&seed=7&mode=race&lanes=lru,lfu").await?;
    ensure!(
        s.notices
            .iter()
            .any(|n| n.contains("lanes") && n.contains("reference") && n.contains("lru-fifo")),
        "no notice naming the bad lane set: {:?}",
        s.notices
    );
    let query = "&seed=7&mode=race&lanes=all&workload=scan&keys=20&reads=100";
    let s = open_scene(p, "caching", query).await?;
    ensure!(s.notices.is_empty(), "notices: {:?}", s.notices);
    let expected = [
        "L1 · 1. LRU",
        "L1 · 2. FIFO",
        "L1 · 3. LFU",
        "L1 · 4. TTL",
        "L1 · 5. W-TinyLFU",
    ];
    let labels: Vec<String> = race_board(p).await?.into_iter().map(|r| r.0).collect();
    ensure!(
        labels.len() == expected.len()
            && labels
                .iter()
                .zip(expected)
                .all(|(l, want)| l.starts_with(want)),
        "race rows {labels:?}, expected {expected:?}"
    );
    ensure!(
        p.count("[aria-label='L1 eviction policy (live switch)']")
            .await?
            == 0,
        "a race shows the policy switch, which it would refuse"
    );
    // Play, then step on from a script: at play speed 2 000 steps take minutes.
    p.click_button("Play").await?;
    p.wait_for("the race to play past step 20", async |p: &mut Page| {
        let s = p.snapshot().await?;
        Ok((s.step.map(|x| x.0).unwrap_or(0) >= 20).then_some(()))
    })
    .await?;
    p.pause().await?;
    p.step_many(2_000).await?;
    let board = race_board(p).await?;
    let rate = |prefix: &str| {
        board
            .iter()
            .find(|(l, _)| l.starts_with(prefix))
            .map_or(f64::NAN, |r| r.1)
    };
    println!("  caching race on a 20-key loop: {board:?}");
    ensure!(
        rate("L1 · 5. W-TinyLFU") > 50.0 && rate("L1 · 1. LRU") < 10.0,
        "W-TinyLFU should keep most of the loop and LRU almost none: {board:?}"
    );
    // The charts' first chart: one drawn line and one legend entry per lane.
    let chart = p
        .js(
            r#"const f = document.querySelector('.charts figure.chart');
               if (!f) return null;
               return [f.querySelector('figcaption').textContent,
                       [...f.querySelectorAll('polyline')]
                         .filter(l => (l.getAttribute('points') || '').includes(' ')).length,
                       [...f.querySelectorAll('ul.legend li')].map(li => li.textContent.trim())];"#,
            vec![],
        )
        .await?;
    let caption = chart[0].as_str().unwrap_or("");
    ensure!(
        caption.contains("per lane"),
        "the first chart is {caption:?}, not the race's"
    );
    ensure!(
        chart[1].as_u64() == Some(5),
        "the race chart draws {} lines, expected 5",
        chart[1]
    );
    let legend: Vec<&str> = chart[2]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    for want in expected {
        let lane = want.trim_start_matches("L1 · ");
        ensure!(
            legend.iter().any(|l| l.starts_with(lane)),
            "no chart line for {lane}: legend {legend:?}"
        );
    }
    p.screenshot("race").await?;

    p.click_button("Copy link").await?;
    let link = crate::generic::copied_link(p).await?;
    ensure!(
        link.contains("mode=race") && link.contains("lanes=all"),
        "the copied link {link:?} does not carry the race"
    );
    let before = p.snapshot().await?;
    let after = p.goto_url(&link).await?;
    ensure!(after.notices.is_empty(), "notices: {:?}", after.notices);
    ensure!(
        after.position == before.position,
        "the link opens at {:?}, copied at {:?}",
        after.step_label,
        before.step_label
    );
    let reopened = race_board(p).await?;
    ensure!(
        format!("{reopened:?}") == format!("{board:?}"),
        "the link reopens the board\n  {reopened:?}\ncopied with\n  {board:?}"
    );
    Ok(())
}

/// The L1 row of the counters table: (hits, misses, evicted for capacity).
async fn l1_counters(p: &Page) -> Result<(u64, u64, u64)> {
    let v = p
        .js(
            r#"const r = document.querySelector('table.caching-counters tbody tr');
               if (!r) return null;
               const c = [...r.querySelectorAll('td')].map(td => td.textContent.trim());
               return [Number(c[0]), Number(c[1]), Number(c[3])];"#,
            vec![],
        )
        .await?;
    let n = |i: usize| v[i].as_u64().unwrap_or(0);
    ensure!(v.is_array(), "no L1 row in table.caching-counters");
    Ok((n(0), n(1), n(2)))
}

async fn scan_evicts(p: &mut Page, _: &'static str) -> Result<()> {
    let s = open_scene(p, "caching", "&seed=3&workload=scan&policy=lru").await?;
    ensure!(s.notices.is_empty(), "notices: {:?}", s.notices);
    let policy = p.texts("#param-policy option:checked").await?;
    ensure!(
        policy.first().is_some_and(|t| t.contains("LRU")),
        "the policy field shows {policy:?}"
    );
    // Fill the cache and run the scan past its capacity.
    let mut evicted = 0;
    for _ in 0..20 {
        p.step_many(50).await?;
        evicted = l1_counters(p).await?.2;
        if evicted > 0 {
            break;
        }
    }
    ensure!(
        evicted > 0,
        "no L1 capacity evictions after 1000 steps of a scan under LRU"
    );
    // Step one event at a time until an eviction is drawn with its reason.
    let mut seen = None;
    for _ in 0..200 {
        p.step_once().await?;
        let ghosts = p.texts("g.ghost[data-reason]").await?;
        if let Some(g) = ghosts
            .into_iter()
            .find(|g| g.contains("out: capacity") || g.contains("capacity"))
        {
            seen = Some(g);
            break;
        }
    }
    ensure!(seen.is_some(), "200 single steps of a scan under LRU never drew an evicted entry with its reason (g.ghost[data-reason])");
    p.screenshot("eviction").await?;
    let (hits, misses, evicted) = l1_counters(p).await?;
    ensure!(evicted > 0 && misses > hits, "LRU under a scan larger than the cache should mostly miss: {hits} hits, {misses} misses, {evicted} evictions");
    println!("  caching scan/LRU: {hits} L1 hits, {misses} misses, {evicted} capacity evictions; drawn: {:?}", seen.unwrap_or_default());
    Ok(())
}

/// Presses `keys` one after another on whatever has the focus (unlike `Page::press`, which
/// first moves the focus to the document).
async fn keys(p: &mut Page, keys: &[Key]) -> Result<()> {
    let mut actions = KeyActions::new("keyboard".into());
    for k in keys {
        let c: char = (*k).into();
        actions = actions
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
    }
    p.client.perform_actions(actions).await?;
    Ok(())
}

async fn why_lru_evicted(p: &mut Page, _: &'static str) -> Result<()> {
    let s = open_scene(p, "caching", "&seed=3&workload=scan&policy=lru").await?;
    ensure!(s.notices.is_empty(), "notices: {:?}", s.notices);
    // One step at a time until the newest narration line is an eviction's why.
    let mut line = None;
    for i in 0..400 {
        if i == 0 {
            p.step_many(40).await?;
        } else {
            p.step_once().await?;
        }
        let lines = p.texts(".narration p").await?;
        if let Some(l) = lines
            .into_iter()
            .find(|l| l.starts_with("LRU evicted key:"))
        {
            line = Some(l);
            break;
        }
    }
    let Some(line) = line else {
        scalelab_e2e::bail!(
            "no \"LRU evicted key:…\" line in the narration after 440 steps of a scan"
        );
    };
    ensure!(
        line.contains("untouched for") && line.contains("the longest of"),
        "{line}"
    );
    let victim = line
        .trim_start_matches("LRU evicted ")
        .split(',')
        .next()
        .unwrap_or_default()
        .to_string();
    // The inspector: the same reason, and the victim marked in the recency order.
    let why = p.texts(".inspector p.why").await?;
    ensure!(
        why.iter().any(|w| w.starts_with("LRU evicted key:")),
        "the inspector's why: {why:?}"
    );
    let chosen = p.texts(".inspector table.decision tr.chosen th").await?;
    ensure!(chosen.len() == 1, "one row is marked chosen: {chosen:?}");
    let heads = p.texts(".inspector table.decision thead th").await?;
    ensure!(heads == ["key", "recency", "idle"], "columns: {heads:?}");
    let rows = p.count(".inspector table.decision tbody tr").await?;
    ensure!(rows > 1, "the recency order has {rows} rows");
    if why.contains(&line) {
        ensure!(
            chosen[0].contains(&victim),
            "the marked row {chosen:?} is not {victim}"
        );
    }
    // The keyboard: Tab from the last L1 slot reaches the first L2 cell; Enter selects it.
    p.js(
        "const s = [...document.querySelectorAll('.caching-l1 [data-focusable]')]; s[s.length - 1].focus();",
        vec![],
    )
    .await?;
    // The focused cell's name is read before Enter: selecting redraws the grid.
    keys(p, &[Key::Tab]).await?;
    let label = p
        .js(
            "return document.activeElement.getAttribute('aria-label');",
            vec![],
        )
        .await?;
    let label = label.as_str().unwrap_or_default().to_string();
    keys(p, &[Key::Enter]).await?;
    ensure!(
        label.starts_with("L2: key:"),
        "Tab focused {label:?}, not an L2 cell"
    );
    let key = label
        .trim_start_matches("L2: ")
        .split('.')
        .next()
        .unwrap_or_default()
        .to_string();
    let title = p.texts(".inspector .focus h4").await?;
    ensure!(
        title == [key.clone()],
        "Enter on {key} shows {title:?} in the inspector"
    );
    let facts = p.texts(".inspector .focus dt").await?;
    ensure!(
        facts.iter().any(|f| f == "L2 TTL left") && facts.iter().any(|f| f == "origin version"),
        "the selected key's facts: {facts:?}"
    );
    ensure!(
        p.exists("[data-focused][aria-pressed=true]").await?,
        "the selected cell is not marked"
    );
    p.screenshot("inspector").await?;
    let found = p.axe_serious().await?;
    ensure!(
        found.is_empty(),
        "axe-core, inspector open with a key selected:\n{}",
        found.join("\n")
    );
    println!("  caching why: {line} | selected {key}: {facts:?}");
    Ok(())
}

async fn l2_policies(p: &mut Page, _: &'static str) -> Result<()> {
    // 1 KiB of L2 fills after a dozen keys, so evictions come early.
    let s = open_scene(p, "caching", "&seed=7&reads=100&l2=1&l2policy=allkeys-lfu").await?;
    ensure!(s.notices.is_empty(), "notices: {:?}", s.notices);
    let policy = p.texts("#param-l2policy option:checked").await?;
    ensure!(
        policy.first().is_some_and(|t| t.starts_with("allkeys-lfu")),
        "the L2 policy field shows {policy:?}"
    );
    let mut line = None;
    for i in 0..300 {
        if i == 0 {
            p.step_many(20).await?;
        } else {
            p.step_once().await?;
        }
        let lines = p.texts(".narration p").await?;
        if let Some(l) = lines
            .into_iter()
            .find(|l| l.starts_with("L2 (allkeys-lfu) evicted key:"))
        {
            line = Some(l);
            break;
        }
    }
    let Some(line) = line else {
        scalelab_e2e::bail!(
            "no \"L2 (allkeys-lfu) evicted key:…\" line in 320 steps with 1 KiB of L2"
        );
    };
    ensure!(
        line.contains("LFU counter") && line.contains("the lowest of the"),
        "{line}"
    );
    let why = p.texts(".inspector p.why").await?;
    ensure!(
        why.iter()
            .any(|w| w.starts_with("L2 (allkeys-lfu) evicted key:")),
        "the inspector's why: {why:?}"
    );
    let heads = p.texts(".inspector table.decision thead th").await?;
    ensure!(heads == ["key", "LFU counter"], "columns: {heads:?}");
    let chosen = p.texts(".inspector table.decision tr.chosen th").await?;
    ensure!(
        chosen.len() == 1,
        "one candidate is marked chosen: {chosen:?}"
    );
    let heading = p.texts("g.l2 text").await?;
    ensure!(
        heading
            .iter()
            .any(|t| t.contains("Redis role · allkeys-lfu")),
        "the L2 heading names its policy: {heading:?}"
    );
    p.screenshot("l2-lfu").await?;

    // noeviction: once full, every fill is refused, and the reads still complete.
    let s = open_scene(p, "caching", "&seed=7&reads=100&l2=1&l2policy=noeviction").await?;
    ensure!(s.notices.is_empty(), "notices: {:?}", s.notices);
    p.step_many(400).await?;
    let texts = p.texts("g.l2 text").await?;
    let refused = texts.iter().find(|t| t.contains("writes refused (OOM)"));
    ensure!(
        refused.is_some(),
        "no refused writes under the L2 grid: {texts:?}"
    );
    let (hits, misses, _) = l1_counters(p).await?;
    ensure!(hits + misses > 0, "no L1 lookups after 400 steps");
    println!(
        "  caching L2: {line} | noeviction: {}",
        refused.cloned().unwrap_or_default()
    );
    Ok(())
}

/// The nodes drawing's counters line: (invalidation, stale reads, invalidations sent).
async fn node_counters(p: &Page) -> Result<(String, u64, u64)> {
    let v = p
        .js(
            r#"const t = [...document.querySelectorAll('svg.caching-nodes text')]
                 .map(e => e.textContent).find(t => t.startsWith('invalidation: '));
               const m = t && t.match(/^invalidation: (\w+) · (\d+) stale reads · (\d+) invalidations sent$/);
               return m ? [m[1], Number(m[2]), Number(m[3])] : null;"#,
            vec![],
        )
        .await?;
    ensure!(v.is_array(), "no counters line in svg.caching-nodes");
    let n = |i: usize| v[i].as_u64().unwrap_or(0);
    Ok((v[0].as_str().unwrap_or("").to_string(), n(1), n(2)))
}

async fn nodes_stale_reads(p: &mut Page, _: &'static str) -> Result<()> {
    let s = open_scene(p, "caching", "&seed=7&nodes=3").await?;
    ensure!(s.notices.is_empty(), "notices: {:?}", s.notices);
    let strips = p.texts("svg.caching-nodes text").await?;
    for n in 1..=3 {
        ensure!(
            strips
                .iter()
                .any(|t| t.starts_with(&format!("app-{n} L1 · "))),
            "no strip for app-{n}: {strips:?}"
        );
    }
    p.step_many(3_000).await?;
    let (mode, stale, sent) = node_counters(p).await?;
    ensure!(
        mode == "none" && stale > 50 && sent == 0,
        "3 nodes without invalidation after 3000 steps: {mode}, {stale} stale reads, {sent} sent"
    );
    p.js(
        r#"const s = document.getElementById('param-invalidate');
           s.value = 'broadcast';
           s.dispatchEvent(new Event('change', { bubbles: true }));"#,
        vec![],
    )
    .await?;
    p.wait_for("the broadcast to be on", async |p: &mut Page| {
        Ok((node_counters(p).await?.0 == "broadcast").then_some(()))
    })
    .await?;
    let at = p.snapshot().await?.step.map_or(0, |s| s.0);
    p.step_many(3_000u64.saturating_sub(at)).await?;
    let (_, fewer, sent) = node_counters(p).await?;
    ensure!(
        fewer * 5 < stale && sent > 0,
        "the broadcast left {fewer} stale reads (against {stale} without) for {sent} invalidations"
    );
    p.click_button("Copy link").await?;
    let link = copied_link(p).await?;
    ensure!(
        link.contains("nodes=3") && link.contains("invalidate=broadcast"),
        "the copied link {link:?} does not carry the nodes settings"
    );
    let again = p.goto_url(&link).await?;
    ensure!(again.notices.is_empty(), "notices: {:?}", again.notices);
    let (mode, same, _) = node_counters(p).await?;
    ensure!(
        mode == "broadcast" && same == fewer,
        "the link reopens with {mode}, {same} stale reads; copied with {fewer}"
    );
    Ok(())
}
