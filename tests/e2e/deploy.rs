//! The built site works wherever a static host serves it: under a sub-path
//! ([`scalelab_e2e::SUB_PATH`]) every scene loads its own bundle, plays and steps, and the
//! example course page embeds its widgets from there.

use crate::share::course_page_at;
use crate::{test_fn, Test};
use scalelab_e2e::{ensure, Page, Result, SUB_PATH};

pub fn tests() -> Vec<Test> {
    vec![
        Test {
            name: "under_a_sub_path_every_scene_plays".into(),
            scene: "",
            run: test_fn!(every_scene_plays),
        },
        Test {
            name: "under_a_sub_path_the_course_page_embeds_its_widgets".into(),
            scene: "",
            run: test_fn!(course_page),
        },
    ]
}

async fn every_scene_plays(p: &mut Page, _: &'static str) -> Result<()> {
    let site = format!("{}{SUB_PATH}", p.origin());
    let landing = p.goto_url(&site).await?;
    ensure!(
        landing.error_panel.is_none() && p.exists(".landing .cards").await?,
        "the start page under {SUB_PATH} did not show its scene list"
    );
    for scene in scalelab_e2e::scenes() {
        let s = p.goto_url(&format!("{site}?scene={scene}&seed=3")).await?;
        ensure!(
            s.scene.as_deref() == Some(scene) && s.error_panel.is_none(),
            "{scene} under {SUB_PATH}: shows {:?}, error panel {:?}",
            s.scene,
            s.error_panel
        );
        p.press(' ').await?;
        p.wait_for(
            &format!("{scene} to play under {SUB_PATH}"),
            async |p: &mut Page| Ok(p.step().await.ok().filter(|s| *s >= 3).map(|_| ())),
        )
        .await?;
        p.pause().await?;
        let at = p.step().await?;
        let stepped = p.step_once().await?;
        ensure!(
            stepped == at + 1,
            "{scene}: Step went from {at} to {stepped}"
        );
        let href = p.snapshot().await?.href;
        ensure!(
            href.contains(SUB_PATH),
            "{scene}: the address left the sub-path: {href}"
        );
    }
    Ok(())
}

async fn course_page(p: &mut Page, _: &'static str) -> Result<()> {
    let site = format!("{}{SUB_PATH}", p.origin());
    course_page_at(p, &site).await
}
