//! Drives one scene: builds its model from the link, runs it on animation frames, and wires
//! the shared controls, keyboard shortcuts, settings, narration, exports and URL sync.
//!
//! - `state`: what the player keeps between frames;
//! - `commands`: what each control, key or parent-page command does to it;
//! - `frame_loop`: the clock (animation frames, and the fast-forward pump);
//! - `hooks`: keyboard shortcuts, the embedding page's commands, the address bar.

mod commands;
mod frame_loop;
mod hooks;
mod state;

use crate::browser;
use crate::components::controls::{Control, Controls};
use crate::components::help::help;
use crate::components::inspector::Inspector;
use crate::components::memo::memo;
use crate::components::narration::narration;
use crate::components::notices::notices;
use crate::components::settings::Settings;
use crate::player::{speed_meaning, speed_text};
use crate::scenario;
use crate::scenes::{Scene, SceneView};
use crate::url_state::UrlState;
use commands::{run, Cmd, Dispatch};
use frame_loop::use_frame_loop;
use hooks::{use_key_shortcuts, use_parent_commands, use_url_sync};
use scalelab_core::Model;
use state::Holder;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ScenePlayerProps {
    /// The link's state; read once, when the scene mounts.
    pub url: UrlState,
    /// Problems found while reading the link (shown above the scene).
    #[prop_or_default]
    pub problems: Vec<String>,
}

#[component]
pub fn ScenePlayer<S: Scene>(props: &ScenePlayerProps) -> Html {
    let holder = {
        let url = props.url.clone();
        let problems = props.problems.clone();
        use_mut_ref(move || Holder::<S>::from_link(&url, &problems))
    };
    let redraw = use_force_update();
    // Made once, so the callbacks built from it stay equal across frames and the components
    // given them skip re-rendering.
    let dispatch: Dispatch<S> = {
        let holder = holder.clone();
        let redraw = redraw.clone();
        let made = use_memo((), move |_| -> Dispatch<S> {
            Rc::new(move |cmd| {
                run(&mut holder.borrow_mut(), cmd);
                redraw.force_update();
            })
        });
        (*made).clone()
    };
    let callbacks = {
        let d = dispatch.clone();
        use_memo((), move |_| Callbacks::<S>::new(&d))
    };

    use_frame_loop(holder.clone(), redraw);
    use_key_shortcuts(dispatch.clone());
    use_parent_commands(&holder, dispatch);
    use_url_sync(holder.clone());

    // One wall time for the whole frame: the live panels take turns by it, one a frame, and
    // not on a frame on which the model stepped (`Kept::refresh_slot`, `Kept::note_step`).
    let now_ms = browser::now_ms();
    holder.borrow().note_step(now_ms);
    let series = holder.borrow_mut().series(now_ms);
    let inspection = holder.borrow_mut().inspection(now_ms);
    let h = holder.borrow();
    let p = &h.player;
    let view = S::view(SceneView {
        model: p.model(),
        recent: p.recent(),
        now_ms: p.drawing_ms(),
        act: callbacks.act.clone(),
        params: &p.params,
        reduced_motion: browser::prefers_reduced_motion(),
        series: &series,
        focus: h.focus,
        on_focus: callbacks.focus.clone(),
        keep: h.keep(now_ms),
    });
    let id = S::ID;
    let on_control = callbacks.control.clone();
    html! {
        // `data-playing`: the page keeps the live panels' boxes still while a run plays
        // (style.css). An attribute, not a class: a class from an expression links Yew's
        // class list, 1.7 KB more on every page.
        <section class="scene" aria-labelledby="scene-title" data-scene={id.name()}
            data-playing={if p.playing { "1" } else { "0" }}>
            <header class="scene-head">
                <h2 id="scene-title">{ id.title() }</h2>
            </header>
            { notices(&h.notices()) }
            { memo(Controls {
                playing: p.playing,
                step: p.timeline.step(),
                horizon: p.timeline.horizon(),
                speed_label: AttrValue::from(speed_text(p.speed, p.behind())),
                speed_meaning: AttrValue::from(speed_meaning(p.speed)),
                seed: p.seed,
                sim_time: AttrValue::from(p.model().now().to_string()),
                on_control: on_control.clone(),
                on_import: callbacks.import.clone(),
            }) }
            <div class="scene-body">
                <div class="stage">{ view }</div>
                <aside class="side">
                    { memo(Inspector { inspection, on_clear: callbacks.unfocus.clone() }) }
                    { memo(Settings { scene: S::ID.name(), specs: S::specs(), values: p.params.clone(), on_change: callbacks.param.clone() }) }
                </aside>
            </div>
            { narration(p.narration.iter().rev().take(3)) }
            <p class="status" role="status">{ h.status.clone() }</p>
            if h.help {
                { help(&on_control.reform(|()| Control::ToggleHelp)) }
            }
        </section>
    }
}

/// The callbacks the player hands its parts, made once per mounted player.
struct Callbacks<S: Scene> {
    control: Callback<Control>,
    import: Callback<web_sys::File>,
    act: Callback<S::Action>,
    focus: Callback<Option<S::Focus>>,
    unfocus: Callback<()>,
    param: Callback<(&'static str, String)>,
}

impl<S: Scene> Callbacks<S> {
    fn new(dispatch: &Dispatch<S>) -> Self {
        let (d1, d2, d3, d4, d5, d6) = (
            dispatch.clone(),
            dispatch.clone(),
            dispatch.clone(),
            dispatch.clone(),
            dispatch.clone(),
            dispatch.clone(),
        );
        Callbacks {
            control: Callback::from(move |c| d1(Cmd::Control(c))),
            import: Callback::from(move |file| {
                let d = d4.clone();
                browser::open_scenario_file(file, scenario::MAX_SCENARIO_BYTES, move |link| {
                    d(Cmd::Imported(link))
                });
            }),
            act: Callback::from(move |a| d2(Cmd::Act(a))),
            focus: Callback::from(move |f| d5(Cmd::Focus(f))),
            unfocus: Callback::from(move |()| d6(Cmd::Focus(None))),
            param: Callback::from(move |(k, v)| d3(Cmd::Param(k, v))),
        }
    }
}
