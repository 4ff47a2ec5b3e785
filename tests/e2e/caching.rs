//! Caching: a scan workload visibly evicts under LRU, with the eviction reason shown.

use crate::generic::open_scene;
use crate::{test_fn, Test};
use scalelab_e2e::{ensure, Page, Result};

pub fn tests() -> Vec<Test> {
    vec![Test {
        name: "caching_scan_evicts_under_lru_with_reason".into(),
        scene: "caching",
        run: test_fn!(scan_evicts),
    }]
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
