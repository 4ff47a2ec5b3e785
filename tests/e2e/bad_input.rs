//! Bad links: each shows an explanatory message and a working scene — never a blank page or
//! the panic panel.

use crate::generic::open_scene;
use crate::{test_fn, Test};
use scalelab_e2e::{ensure, Page, Result, Snapshot};

pub fn tests() -> Vec<Test> {
    let t = |name: &str, scene: &'static str, run| Test {
        name: format!("bad_input_{name}"),
        scene,
        run,
    };
    vec![
        t("unknown_scene", "", test_fn!(unknown_scene)),
        t("non_numeric_seed", "balancing", test_fn!(non_numeric_seed)),
        t(
            "negative_server_count",
            "balancing",
            test_fn!(negative_servers),
        ),
        t("parameter_far_out_of_range", "", test_fn!(out_of_range)),
        t("very_long_query_string", "sharding", test_fn!(long_query)),
        t(
            "a_trap_shows_the_error_panel",
            "caching",
            test_fn!(trap_panel),
        ),
        t(
            "scene_past_the_pair_limit",
            "caching",
            test_fn!(scene_past_pair_limit),
        ),
    ]
}

/// The scene is there and steps; nothing panicked.
async fn assert_working(p: &mut Page, scene: &str) -> Result<()> {
    let s = p.snapshot().await?;
    ensure!(
        s.error_panel.is_none(),
        "the panic panel is shown: {:?}",
        s.error_panel
    );
    ensure!(
        s.scene.as_deref() == Some(scene),
        "expected the {scene} scene, the page shows {:?}",
        s.scene
    );
    ensure!(p.count(".stage *").await? > 3, "the {scene} stage is empty");
    p.step_once().await?;
    p.step_once().await?;
    Ok(())
}

fn notice_about<'a>(s: &'a Snapshot, needles: &[&str]) -> Option<&'a String> {
    s.notices
        .iter()
        .find(|n| needles.iter().all(|x| n.contains(x)))
}

async fn unknown_scene(p: &mut Page, _: &'static str) -> Result<()> {
    let s = p.goto("?scene=nope&seed=1").await?;
    ensure!(s.error_panel.is_none(), "panic panel on an unknown scene");
    ensure!(
        notice_about(&s, &["nope", "scene", "balancing"]).is_some(),
        "no notice explaining the unknown scene: {:?}",
        s.notices
    );
    ensure!(
        p.count(".landing .card a").await? == scalelab_e2e::scenes().len(),
        "the landing page does not offer every scene"
    );
    p.screenshot("landing").await?;
    // Each offered scene opens and works.
    p.client
        .find(fantoccini::Locator::Css(
            ".landing .card a[href='?scene=caching']",
        ))
        .await?
        .click()
        .await?;
    p.wait_for(
        "the caching scene from the landing page",
        async |p: &mut Page| {
            Ok((p.snapshot().await?.scene.as_deref() == Some("caching")).then_some(()))
        },
    )
    .await?;
    assert_working(p, "caching").await?;
    // Embedded, an unknown scene still explains itself.
    let s = p.goto("?scene=nope&embed=1").await?;
    ensure!(
        notice_about(&s, &["nope"]).is_some(),
        "embedded unknown scene: no notice: {:?}",
        s.notices
    );
    let text = p.texts("main.embed").await?.join(" ");
    ensure!(
        text.contains("needs a scene"),
        "embedded unknown scene says {text:?}"
    );
    Ok(())
}

async fn non_numeric_seed(p: &mut Page, _: &'static str) -> Result<()> {
    let s = open_scene(p, "balancing", "&seed=abc").await?;
    ensure!(
        notice_about(&s, &["abc", "seed"]).is_some(),
        "no notice about the seed: {:?}",
        s.notices
    );
    let seed = p
        .js(
            "return document.querySelector('.controls input[type=number]').value;",
            vec![],
        )
        .await?;
    ensure!(
        seed == "42",
        "the seed field shows {seed}, expected the default 42"
    );
    assert_working(p, "balancing").await
}

async fn negative_servers(p: &mut Page, _: &'static str) -> Result<()> {
    let s = open_scene(p, "balancing", "&servers=-3&seed=1").await?;
    ensure!(
        notice_about(&s, &["-3", "servers", "1 to 32"]).is_some(),
        "no notice about servers=-3: {:?}",
        s.notices
    );
    let servers = p.count("g.server").await?;
    ensure!(
        servers == 4,
        "{servers} servers drawn, expected the default 4"
    );
    assert_working(p, "balancing").await
}

async fn out_of_range(p: &mut Page, _: &'static str) -> Result<()> {
    for (scene, query, key) in [
        ("balancing", "load=100000", "load"),
        ("caching", "capacity=99999999", "capacity"),
        ("sharding", "keys=10000000000", "keys"),
        ("scaling", "peak=999999999999", "peak"),
        ("caching", "zipf=1e308", "zipf"),
        ("scaling", "capacity=NaN", "capacity"),
        ("system", "preset=meltdown", "preset"),
        ("system", "strategy=fastest", "strategy"),
    ] {
        let s = open_scene(p, scene, &format!("&{query}&seed=2")).await?;
        ensure!(
            notice_about(&s, &[key, "expected"]).is_some(),
            "{scene} ?{query}: no notice about {key}: {:?}",
            s.notices
        );
        assert_working(p, scene).await?;
    }
    Ok(())
}

async fn long_query(p: &mut Page, _: &'static str) -> Result<()> {
    let junk = "x".repeat(20_000);
    let s = open_scene(p, "sharding", &format!("&seed=3&shards=6&junk={junk}")).await?;
    ensure!(
        notice_about(&s, &["link", "characters"]).is_some(),
        "no notice about the long link: {:?}",
        s.notices
    );
    assert_working(p, "sharding").await?;
    // Only the scene was read: the rest is at its defaults.
    let shards = p
        .js(
            "return document.querySelector('#param-shards').value;",
            vec![],
        )
        .await?;
    ensure!(
        shards == "4",
        "a too-long link still set shards to {shards}"
    );
    Ok(())
}

/// A panic in the release bundle is a bare wasm trap (std is built with
/// `panic=immediate-abort`); the loader turns an uncaught trap into the error panel, and leaves
/// the page's other errors alone. The trap here is a real one, from a one-instruction module
/// (`unreachable`), left uncaught in a promise as a trap in the app's async code would be.
async fn trap_panel(p: &mut Page, _: &'static str) -> Result<()> {
    p.allow_console("not a trap");
    p.allow_console("RuntimeError");
    p.allow_console("unreachable");
    open_scene(p, "caching", "").await?;
    p.js("Promise.reject(new Error('not a trap'));", vec![])
        .await?;
    p.step_once().await?;
    ensure!(
        p.snapshot().await?.error_panel.is_none(),
        "a page error that is not a wasm trap brought up the panel"
    );
    p.js(
        "const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, \
         7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11]); \
         const trap = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f; \
         Promise.resolve().then(trap);",
        vec![],
    )
    .await?;
    let panel = p
        .wait_for("the error panel", async |p: &mut Page| {
            Ok(p.snapshot().await?.error_panel)
        })
        .await?;
    ensure!(
        panel.contains("Something went wrong in the simulation")
            && panel.contains("RuntimeError: unreachable")
            && panel.contains("Back to the start page"),
        "the error panel says {panel:?}"
    );
    ensure!(
        p.js(
            "return document.querySelector('.error-panel').getAttribute('role');",
            vec![]
        )
        .await?
            == "alert",
        "the error panel is not announced as an alert"
    );
    p.screenshot("trap-panel").await?;
    Ok(())
}

/// The loader picks the bundle from the link's last `scene=` wherever it is; the app reads only
/// the first 64 pairs. Past them, the caching bundle starts but finds no scene in what it read:
/// it says why and points to the start page (a scene bundle does not carry the landing page).
async fn scene_past_pair_limit(p: &mut Page, _: &'static str) -> Result<()> {
    let filler = "x=1&".repeat(70);
    let s = p.goto(&format!("?{filler}scene=caching")).await?;
    ensure!(s.error_panel.is_none(), "panic panel: {:?}", s.error_panel);
    ensure!(s.scene.is_none(), "a scene is shown: {:?}", s.scene);
    ensure!(
        notice_about(&s, &["64"]).is_some(),
        "no notice about the pair limit: {:?}",
        s.notices
    );
    let text = p.texts("main").await?.join(" ");
    ensure!(
        text.contains("names no scene this page can show"),
        "the page says {text:?}"
    );
    p.screenshot("past-pair-limit").await?;
    p.client
        .find(fantoccini::Locator::LinkText("Open the start page"))
        .await?
        .click()
        .await?;
    p.wait_for("the landing page", async |p: &mut Page| {
        Ok((p.count(".landing .card a").await? == scalelab_e2e::scenes().len()).then_some(()))
    })
    .await?;
    Ok(())
}
