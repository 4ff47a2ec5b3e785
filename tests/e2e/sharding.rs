//! Sharding: adding a shard shows the moved-key count of every router; naive migration
//! reports unreadable keys while the default (directory) migration reports none.

use crate::generic::open_scene;
use crate::{test_fn, Test};
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
