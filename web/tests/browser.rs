//! Component tests in headless Chromium: mount the app from a link, press controls, read the DOM.
#![cfg(target_arch = "wasm32")]
// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use scalelab_web::app::{landing, mount_all, App, AppProps, MountFn};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts the app for `query` in a fresh container and lets Yew render.
async fn mount(query: &str) -> web_sys::Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            query: Some(query.to_string()),
            mount: MountFn(mount_all, landing),
        },
    )
    .render();
    yew::scheduler::flush().await;
    root
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

async fn click(root: &web_sys::Element, label: &str) {
    let buttons = root.query_selector_all("button").unwrap();
    for i in 0..buttons.length() {
        let b: web_sys::HtmlElement = buttons.item(i).unwrap().dyn_into().unwrap();
        if b.text_content().unwrap_or_default().contains(label) {
            b.click();
            yew::scheduler::flush().await;
            return;
        }
    }
    panic!("no button labelled {label}");
}

#[wasm_bindgen_test]
async fn landing_lists_every_scene() {
    let root = mount("").await;
    let cards = root.query_selector_all(".card").unwrap();
    assert_eq!(
        cards.length() as usize,
        scalelab_web::scenes::SceneId::ALL.len()
    );
    assert!(text(&root, ".landing").contains("Sharding"));
    assert!(text(&root, ".landing").contains("The whole system"));
    root.remove();
}

#[wasm_bindgen_test]
async fn step_and_step_back_move_exactly_one_event() {
    let root = mount("?scene=balancing&seed=7").await;
    assert!(text(&root, ".step-label").starts_with("Step 0"));
    click(&root, "Step").await;
    click(&root, "Step").await;
    assert!(
        text(&root, ".step-label").starts_with("Step 2 of 2"),
        "{}",
        text(&root, ".step-label")
    );
    click(&root, "Back").await;
    assert!(
        text(&root, ".step-label").starts_with("Step 1 of 2"),
        "{}",
        text(&root, ".step-label")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn a_link_reproduces_the_same_counters() {
    let a = mount("?scene=balancing&seed=9&step=600").await;
    let b = mount("?scene=balancing&seed=9&step=600").await;
    let c = mount("?scene=balancing&seed=10&step=600").await;
    let (ta, tb, tc) = (
        text(&a, ".stat-grid"),
        text(&b, ".stat-grid"),
        text(&c, ".stat-grid"),
    );
    assert_eq!(ta, tb);
    assert_ne!(ta, tc, "another seed gives another run");
    for r in [a, b, c] {
        r.remove();
    }
}

#[wasm_bindgen_test]
async fn bad_input_explains_itself_and_the_scene_still_runs() {
    let root = mount("?scene=balancing&seed=abc&servers=-3&load=99999").await;
    let notices = text(&root, ".notices");
    assert!(notices.contains("seed"), "{notices}");
    assert!(
        notices.contains("servers") && notices.contains("1 to 32"),
        "{notices}"
    );
    assert!(notices.contains("load"), "{notices}");
    assert_eq!(
        root.query_selector_all(".server").unwrap().length(),
        4,
        "defaults used"
    );
    root.remove();

    let root = mount("?scene=warp-drive").await;
    assert!(text(&root, ".notices").contains("scene"));
    assert!(root.query_selector(".landing").unwrap().is_some());
    root.remove();
}

#[wasm_bindgen_test]
async fn embed_mode_shows_only_the_scene() {
    let root = mount("?scene=balancing&embed=1").await;
    assert!(root.query_selector("header.site").unwrap().is_none());
    assert!(root.query_selector("footer.site").unwrap().is_none());
    assert!(root.query_selector("section.scene").unwrap().is_some());
    assert!(root.query_selector(".controls").unwrap().is_some());
    root.remove();
}

#[wasm_bindgen_test]
async fn killing_a_server_is_shown_as_detection_lag() {
    let root = mount("?scene=balancing&seed=3&step=50").await;
    click(&root, "Kill web-2").await;
    let drawing = text(&root, ".drawing");
    assert!(drawing.contains("still UP to the balancer"), "{drawing}");
    assert!(root.query_selector("button").unwrap().is_some());
    click(&root, "Revive web-2").await;
    root.remove();
}

/// The browser's number reader (`parseFloat`) gives the same `f64` as Rust's for every text
/// the link grammar accepts, so a link means the same setting in the page and in the tests.
#[wasm_bindgen_test]
fn decimals_read_the_same_as_natively() {
    use scalelab_web::decimal::{parse, show};
    let cases = [
        ("0.1", 0.1),
        ("1.2", 1.2),
        ("-2.5e-3", -2.5e-3),
        ("5.", 5.0),
        (".5", 0.5),
        ("+7", 7.0),
        ("0.30000000000000004", 0.1 + 0.2),
        ("1e999", f64::INFINITY),
        ("4.9406564584124654e-324", 5e-324),
        (
            "123456789012345678901234567890",
            123456789012345678901234567890.0,
        ),
    ];
    for (text, want) in cases {
        assert_eq!(
            parse(text).map(f64::to_bits),
            Some(want.to_bits()),
            "{text}"
        );
    }
    for bad in ["", "inf", "NaN", "0x10", " 1", "1e"] {
        assert_eq!(parse(bad), None, "{bad:?}");
    }
    for v in [0.1, 1.0 / 3.0, 1e-7, 6.02e23, f64::MAX, f64::MIN_POSITIVE] {
        assert_eq!(parse(&show(v)).map(f64::to_bits), Some(v.to_bits()), "{v}");
    }
}
