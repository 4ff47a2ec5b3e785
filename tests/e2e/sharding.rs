//! Sharding: adding a shard shows the moved-key count of every router; naive migration
//! reports unreadable keys while the default (directory) migration reports none; the inspector
//! and the narration say which vnode a key's hash landed on, with the walk drawn on the ring,
//! and a shard or key selected with the keyboard shows its state; a cross-shard aggregate
//! shows each shard's partial and waits for the slowest, and with a shard failed it is
//! marked partial and names the missing shard, whose keys come back when it is healed.

use crate::generic::open_scene;
use crate::{test_fn, Test};
use fantoccini::key::Key;
use scalelab_e2e::{ensure, Page, Result};

pub fn tests() -> Vec<Test> {
    vec![
        Test {
            name: "sharding_add_shard_shows_moved_keys_per_router".into(),
            scene: "sharding",
            run: test_fn!(moved_keys),
        },
        Test {
            name: "sharding_naive_migration_loses_keys_directory_does_not".into(),
            scene: "sharding",
            run: test_fn!(unreadable_keys),
        },
        Test {
            name: "sharding_inspector_says_which_vnode_a_key_landed_on".into(),
            scene: "sharding",
            run: test_fn!(why_this_vnode),
        },
        Test {
            name: "sharding_aggregate_merges_partials_and_waits_for_the_slowest".into(),
            scene: "sharding",
            run: test_fn!(aggregate_sum),
        },
        Test {
            name: "sharding_failed_shard_gives_a_partial_aggregate".into(),
            scene: "sharding",
            run: test_fn!(failed_shard),
        },
    ]
}

/// `(router, moved, of)` for the "Add a shard" rows of the moved-keys table, and its title.
async fn add_rows(p: &Page) -> Result<(String, Vec<(String, u64, u64)>)> {
    let v = p
        .js(
            r#"const t = document.querySelector('table.moves');
               if (!t) return null;
               const out = []; let title = ''; let inAdd = false;
               for (const tr of t.querySelectorAll('tbody tr')) {
                 const group = tr.querySelector('th.group');
                 if (group) { inAdd = group.textContent.startsWith('Add a shard'); if (inAdd) title = group.textContent; continue; }
                 if (inAdd) out.push([tr.querySelector('th').textContent.replace('current', '').trim(), tr.children[1].textContent.trim()]);
               }
               return [title, out];"#,
            vec![],
        )
        .await?;
    ensure!(v.is_array(), "no table.moves on the page");
    let title = v[0].as_str().unwrap_or("").to_string();
    let mut rows = Vec::new();
    for r in v[1].as_array().cloned().unwrap_or_default() {
        let name = r[0].as_str().unwrap_or("").to_string();
        let text = r[1].as_str().unwrap_or("");
        let mut parts = text.split(" of ");
        let moved = parts.next().and_then(|x| x.trim().parse().ok());
        let of = parts.next().and_then(|x| x.trim().parse().ok());
        match (moved, of) {
            (Some(m), Some(o)) => rows.push((name, m, o)),
            _ => scalelab_e2e::bail!("row {name:?} shows {text:?}, not `N of M`"),
        }
    }
    Ok((title, rows))
}

/// A `.stat-grid` value by its key ("keys moved" → "312"), without the ⚠ marker.
async fn stat(p: &Page, key: &str) -> Result<u64> {
    let v = p
        .js(
            r#"for (const s of document.querySelectorAll('.stat-grid .stat'))
                 if (s.querySelector('.k').textContent.trim() === arguments[0]) return s.querySelector('.v').textContent;
               return null;"#,
            vec![key.into()],
        )
        .await?;
    let text = v.as_str().unwrap_or("");
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    match digits.parse() {
        Ok(n) => Ok(n),
        Err(_) => scalelab_e2e::bail!("the stat {key:?} shows {text:?}"),
    }
}

async fn unreadable_attr(p: &Page) -> Result<u64> {
    let v = p
        .js("const e = document.querySelector('[data-unreadable]'); return e ? e.dataset.unreadable : null;", vec![])
        .await?;
    match v.as_str().and_then(|s| s.parse().ok()) {
        Some(n) => Ok(n),
        None => scalelab_e2e::bail!("no [data-unreadable] status on the sharding scene"),
    }
}

async fn moved_keys(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "sharding", "&seed=11").await?;
    let (title, rows) = add_rows(p).await?;
    ensure!(
        title.contains("4 → 5"),
        "the table's add section is {title:?}, expected 4 → 5"
    );
    ensure!(
        rows.len() >= 4,
        "moved keys for {} routers ({rows:?}), expected modulo, ring, jump and rendezvous",
        rows.len()
    );
    let find = |needle: &str| {
        rows.iter()
            .find(|r| r.0.to_lowercase().contains(needle))
            .cloned()
    };
    let modulo = find("modulo");
    let ring = find("ring");
    ensure!(
        modulo.is_some() && ring.is_some(),
        "no modulo or ring row in {rows:?}"
    );
    let (modulo, ring) = (modulo.unwrap_or_default(), ring.unwrap_or_default());
    ensure!(
        rows.iter().all(|r| r.2 == 1000),
        "every router should count the same 1000 keys: {rows:?}"
    );
    for r in &rows {
        if r.0 != modulo.0 {
            ensure!(
                r.1 < modulo.1,
                "{} moves {} keys, modulo moves {}: consistent routers must move fewer",
                r.0,
                r.1,
                modulo.1
            );
        }
    }
    ensure!(
        modulo.1 > 600,
        "modulo 4 → 5 should move most keys, moved {}",
        modulo.1
    );

    p.click_button("Add shard").await?;
    // One batch per step: step until the migration is done.
    let mut done = false;
    for _ in 0..60 {
        p.step_many(5).await?;
        if stat(p, "in flight").await? == 0 && stat(p, "keys moved").await? > 0 {
            done = true;
            break;
        }
    }
    ensure!(
        done,
        "the migration after Add shard did not finish in 300 steps"
    );
    let moved = stat(p, "keys moved").await?;
    ensure!(
        moved == ring.1,
        "the ring migration moved {moved} keys; the table predicted {} for the ring",
        ring.1
    );
    let (title, rows_after) = add_rows(p).await?;
    ensure!(
        title.contains("5 → 6") && rows_after.len() == rows.len(),
        "after adding, the table shows {title:?} with {} rows",
        rows_after.len()
    );
    p.screenshot("added").await?;
    println!("  sharding 4 → 5 moved keys: {rows:?}; ring migration moved {moved}");
    Ok(())
}

/// Adds a shard and steps through the migration; returns the most unreadable keys seen and
/// the stat after it finished.
async fn migrate(p: &mut Page, mode: &str) -> Result<(u64, u64)> {
    open_scene(p, "sharding", &format!("&seed=4&mode={mode}")).await?;
    ensure!(
        unreadable_attr(p).await? == 0,
        "{mode}: unreadable keys before anything moved"
    );
    p.click_button("Add shard").await?;
    let mut most = 0;
    for i in 0..200 {
        p.step_once().await?;
        most = most.max(unreadable_attr(p).await?);
        if i > 2 && stat(p, "in flight").await? == 0 {
            break;
        }
    }
    if mode == "naive" {
        p.screenshot("naive").await?;
    }
    Ok((most, stat(p, "unreadable keys").await?))
}

async fn unreadable_keys(p: &mut Page, _: &'static str) -> Result<()> {
    let (naive_most, naive_end) = migrate(p, "naive").await?;
    let banner = p
        .texts(".sharding .notices[data-unreadable]")
        .await?
        .join(" ");
    ensure!(
        naive_most > 0,
        "naive migration never reported an unreadable key"
    );
    ensure!(
        banner.contains("unreadable"),
        "the naive banner does not mention unreadable keys: {banner:?}"
    );
    let (dir_most, dir_end) = migrate(p, "directory").await?;
    ensure!(
        dir_most == 0 && dir_end == 0,
        "directory migration reported {dir_most} unreadable keys (at the end {dir_end})"
    );
    let badge = p.texts("[data-unreadable] .badge").await?.join(" ");
    ensure!(
        badge.contains("lossless"),
        "the directory status shows {badge:?}, not ✓ lossless"
    );
    println!("  sharding: naive migration peaked at {naive_most} unreadable keys (ended at {naive_end}); directory 0");
    Ok(())
}

/// The ring router: a read's narration and the inspector give the key's hash and the first
/// vnode clockwise from it, the table marks that vnode, and the walk is drawn on the ring;
/// Tab to a shard and a key and Enter selects each, and the inspector shows its state.
async fn why_this_vnode(p: &mut Page, _: &'static str) -> Result<()> {
    let s = open_scene(p, "sharding", "&seed=5&router=ring&vnodes=8").await?;
    ensure!(s.notices.is_empty(), "notices: {:?}", s.notices);
    let mut line = None;
    for _ in 0..60 {
        p.step_once().await?;
        let lines = p.texts(".narration p").await?;
        if let Some(l) = lines.into_iter().find(|l| l.contains("ring: user:")) {
            line = Some(l);
            break;
        }
    }
    let Some(line) = line else {
        scalelab_e2e::bail!("no \"ring: user:…\" route in the narration after 60 steps");
    };
    ensure!(
        line.contains("the first vnode clockwise is shard-"),
        "{line}"
    );
    let why = p.texts(".inspector p.why").await?;
    ensure!(
        why.iter()
            .any(|w| w.starts_with("ring: user:") && w.contains("the first vnode clockwise")),
        "the inspector's why: {why:?}"
    );
    let heads = p.texts(".inspector table.decision thead th").await?;
    ensure!(heads == ["point", "what", "position"], "columns: {heads:?}");
    let chosen = p.texts(".inspector table.decision tr.chosen th").await?;
    ensure!(
        chosen.len() == 1 && chosen[0].contains("first vnode ≥ key"),
        "the marked row: {chosen:?}"
    );
    ensure!(
        p.exists("g.ring-walk path").await?,
        "no walk drawn on the ring"
    );

    // The keyboard: focus the first shard, Enter selects it.
    p.js(
        "document.querySelector('[data-focusable^=\"s\"]').focus();",
        vec![],
    )
    .await?;
    p.press_on_focused(Key::Enter.into()).await?;
    let title = p.texts(".inspector .focus h4").await?;
    ensure!(
        title.len() == 1 && title[0].starts_with("shard-"),
        "Enter on a shard shows {title:?}"
    );
    let facts = p.texts(".inspector .focus dt").await?;
    ensure!(
        facts == ["keys", "load", "state"],
        "the selected shard's facts: {facts:?}"
    );
    // Then a key: its route and owner, and its walk on the ring.
    p.js(
        "document.querySelector('[data-focusable^=\"k\"]').focus();",
        vec![],
    )
    .await?;
    p.press_on_focused(' ').await?;
    let title = p.texts(".inspector .focus h4").await?;
    ensure!(
        title.len() == 1 && title[0].starts_with("user:"),
        "Space on a key shows {title:?}"
    );
    let route = p.texts(".inspector .focus dd").await?;
    ensure!(
        route
            .first()
            .is_some_and(|r| r.starts_with(&format!("ring: {}", title[0]))),
        "the key's route: {route:?}"
    );
    ensure!(
        p.exists("[data-focused][aria-pressed=true]").await?,
        "the selected key is not marked"
    );
    ensure!(
        p.exists("g.ring-walk path").await?,
        "no walk for the selected key"
    );
    p.screenshot("inspector").await?;
    let found = p.axe_serious().await?;
    ensure!(
        found.is_empty(),
        "axe-core, inspector open with a key selected:\n{}",
        found.join("\n")
    );
    println!("  sharding why: {line} | selected {}: {route:?}", title[0]);
    Ok(())
}

/// Each shard's label (`partial · ms`) and the coordinator's lines of the last query, once
/// gathered.
async fn gathered_query(p: &mut Page) -> Result<(Vec<String>, Vec<String>)> {
    for _ in 0..40 {
        if p.exists("g.query[data-gathered=true]").await? {
            let shards = p.texts("g.query g[data-shard] text").await?;
            let coordinator = p.texts("g.query g.coordinator text").await?;
            return Ok((shards, coordinator));
        }
        p.step_once().await?;
    }
    scalelab_e2e::bail!("the query was not gathered after 40 steps")
}

/// The number after `prefix` in `line`, with its decimals (`"total 1.84 ms"` → 1.84).
fn number_after(line: &str, prefix: &str) -> Option<f64> {
    let rest = line.split(prefix).nth(1)?;
    let num: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    num.parse().ok()
}

/// SUM across 4 shards: one request per shard, each label a partial sum with its latency, the
/// merged sum their total, and the query as slow as the slowest shard plus the merge.
async fn aggregate_sum(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "sharding", "&seed=3&aggregate=sum").await?;
    p.click_button("Run aggregate: SUM of every score").await?;
    let (shards, coordinator) = gathered_query(p).await?;
    ensure!(shards.len() == 4, "shard answers: {shards:?}");
    let mut total = 0.0;
    let mut slowest: f64 = 0.0;
    for s in &shards {
        let (Some(sum), Some(ms)) = (number_after(s, "Σ"), number_after(s, "·")) else {
            scalelab_e2e::bail!("a shard's answer reads {s:?}, not `Σ sum · ms`");
        };
        total += sum;
        slowest = slowest.max(ms);
    }
    let merged = coordinator
        .iter()
        .find_map(|l| number_after(l, "merged: Σ"));
    ensure!(
        merged == Some(total),
        "the coordinator merged {merged:?}, the shards' partial sums add to {total}: {coordinator:?}"
    );
    // "= slowest S2 1.84 ms", "total 1.96 ms": the figure before " ms".
    let ms_of = |start: &str| {
        coordinator
            .iter()
            .find(|l| l.starts_with(start))
            .and_then(|l| {
                l.strip_suffix(" ms")?
                    .rsplit(' ')
                    .next()?
                    .parse::<f64>()
                    .ok()
            })
    };
    let slow = ms_of("= slowest S");
    let at = ms_of("total");
    ensure!(
        slow == Some(slowest) && at.is_some_and(|t| t >= slowest),
        "the total {at:?} should be the slowest shard's {slowest} ms plus the merge: {coordinator:?}"
    );
    p.screenshot("aggregate").await?;
    println!("  sharding SUM: {shards:?} → {coordinator:?}");
    Ok(())
}

/// Picks `value` in the fault menu.
async fn fault_menu(p: &mut Page, value: &str) -> Result<()> {
    let done = p
        .js(
            r#"const s = document.querySelector('select[aria-label="Fault a shard"]');
               if (!s || ![...s.options].some(o => o.value === arguments[0])) return false;
               s.value = arguments[0];
               s.dispatchEvent(new Event('change', { bubbles: true }));
               return true;"#,
            vec![value.into()],
        )
        .await?;
    ensure!(done == true, "the fault menu has no option {value:?}");
    Ok(())
}

/// Fail S1, run COUNT: three partials, S1 answers nothing, and the coordinator says PARTIAL
/// and names S1, with a count the three partials add up to. Heal S1, run it again: every key
/// is counted.
async fn failed_shard(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "sharding", "&seed=3&fault=down").await?;
    fault_menu(p, "1").await?;
    p.step_once().await?;
    let flags = p.texts(".shard-row text tspan").await?.join(" ");
    ensure!(flags.contains("✕ down"), "S1 is not drawn down: {flags:?}");
    p.click_button("Run aggregate: COUNT of all records")
        .await?;
    let (shards, coordinator) = gathered_query(p).await?;
    let counted: Vec<u64> = shards
        .iter()
        .filter_map(|s| s.split(" · ").next()?.parse().ok())
        .collect();
    ensure!(
        counted.len() == 3 && shards.iter().any(|s| s == "down: no answer"),
        "shard answers with S1 down: {shards:?}"
    );
    let merged = coordinator
        .iter()
        .find_map(|l| number_after(l, "merged:"))
        .unwrap_or(-1.0);
    let sum: u64 = counted.iter().sum();
    ensure!(
        merged == sum as f64
            && coordinator.iter().any(|l| l.contains("+ ?"))
            && coordinator
                .iter()
                .any(|l| l.starts_with("PARTIAL: S1 down")),
        "the coordinator with S1 down: {coordinator:?} (partials {counted:?})"
    );
    ensure!(
        sum < 1000,
        "a partial count of {sum} cannot be all 1000 keys"
    );
    p.screenshot("partial").await?;
    fault_menu(p, "h1").await?;
    p.click_button("Run aggregate: COUNT of all records")
        .await?;
    p.step_once().await?;
    let (shards, coordinator) = gathered_query(p).await?;
    ensure!(
        coordinator.iter().any(|l| l == "merged: 1000")
            && !coordinator.iter().any(|l| l.starts_with("PARTIAL")),
        "after healing S1: {shards:?} → {coordinator:?}"
    );
    println!("  sharding failed S1: partial count {sum} of 1000; healed: {coordinator:?}");
    Ok(())
}
