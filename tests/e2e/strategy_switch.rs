//! Load balancing: "Switch strategy now" changes the balancer's algorithm with traffic flowing;
//! the link records the switch at its step, and opening the link replays it.

use crate::generic::open_scene;
use crate::{test_fn, Test};
use scalelab_e2e::{ensure, Page, Result};

pub fn tests() -> Vec<Test> {
    vec![Test {
        name: "balancing_switches_strategy_live_and_the_link_replays_it".into(),
        scene: "balancing",
        run: test_fn!(switch_live),
    }]
}

/// The strategy the drawing says the balancer runs (its label names it).
async fn drawn_strategy(p: &Page) -> Result<String> {
    let v = p
        .js(
            "const s = document.querySelector('svg.drawing'); return s ? s.getAttribute('aria-label') : '';",
            vec![],
        )
        .await?;
    Ok(v.as_str().unwrap_or("").to_string())
}

async fn switch_live(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "balancing", "&seed=8").await?;
    let at = p.step_many(30).await?;
    ensure!(
        drawn_strategy(p).await?.contains("round robin"),
        "the default strategy is not round robin: {}",
        drawn_strategy(p).await?
    );
    p.js(
        r#"const s = document.getElementById('switch-strategy');
           s.value = 'least-connections';
           s.dispatchEvent(new Event('change', { bubbles: true }));"#,
        vec![],
    )
    .await?;
    p.wait_for(
        "the drawing to show least connections",
        async |p: &mut Page| {
            Ok(drawn_strategy(p)
                .await?
                .contains("least connections")
                .then_some(()))
        },
    )
    .await?;
    // The run goes on from where it was, with the switch in the link.
    let after = p.step_many(20).await?;
    ensure!(
        after == at + 20,
        "the run restarted: step {after}, switched at {at}"
    );
    let href = p.snapshot().await?.href;
    let recorded = format!("{at}%3Aswitch.least-connections");
    ensure!(
        href.contains(&recorded) || href.contains(&format!("{at}:switch.least-connections")),
        "the link does not record the switch at step {at}: {href}"
    );
    let before = p.snapshot().await?;
    let again = p.goto_url(&href).await?;
    ensure!(
        again.position == before.position && again.stats == before.stats,
        "the link replays a different run: {:?} vs {:?}",
        (&again.position, &again.stats),
        (&before.position, &before.stats)
    );
    ensure!(
        drawn_strategy(p).await?.contains("least connections"),
        "the replayed link runs {}",
        drawn_strategy(p).await?
    );
    p.assert_no_console_errors().await?;
    Ok(())
}
