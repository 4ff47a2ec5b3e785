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
use crate::components::controls::Controls;
use crate::components::help::Help;
use crate::components::narration::Narration;
use crate::components::notices::Notices;
use crate::components::settings::Settings;
use crate::player::speed_label;
use crate::scenario;
use crate::scenes::{Scene, SceneView};
use crate::url_state::UrlState;
use commands::{run, Cmd};
use frame_loop::use_frame_loop;
use hooks::{use_key_shortcuts, use_parent_commands, use_url_sync, Dispatch};
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

/// A callback made once per mounted player, so components given it compare equal across
/// frames and skip re-rendering.
#[hook]
fn use_command<S: Scene, T: 'static>(dispatch: &Dispatch<S>, make: fn(T) -> Cmd<S>) -> Callback<T> {
    let d = dispatch.clone();
    (*use_memo((), move |_| Callback::from(move |v: T| d(make(v))))).clone()
}

#[component]
pub fn ScenePlayer<S: Scene>(props: &ScenePlayerProps) -> Html {
    let holder = {
        let url = props.url.clone();
        let problems = props.problems.clone();
        use_mut_ref(move || Holder::<S>::from_link(&url, &problems))
    };
    let redraw = use_force_update();
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
    let act = use_command(&dispatch, Cmd::Act);
    let on_param = use_command(&dispatch, |(k, v): (&'static str, String)| Cmd::Param(k, v));
    let on_play = use_command(&dispatch, |()| Cmd::TogglePlay);
    let on_step = use_command(&dispatch, |()| Cmd::Step);
    let on_back = use_command(&dispatch, |()| Cmd::Back);
    let on_faster = use_command(&dispatch, |()| Cmd::Faster);
    let on_slower = use_command(&dispatch, |()| Cmd::Slower);
    let on_reset = use_command(&dispatch, |()| Cmd::Reset);
    let on_seed = use_command(&dispatch, Cmd::Seed);
    let on_seek = use_command(&dispatch, Cmd::Seek);
    let on_copy_link = use_command(&dispatch, |()| Cmd::CopyLink);
    let on_export_csv = use_command(&dispatch, |()| Cmd::ExportCsv);
    let on_export_json = use_command(&dispatch, |()| Cmd::ExportJson);
    let on_help = use_command(&dispatch, |()| Cmd::ToggleHelp);
    let on_import = {
        let d = dispatch.clone();
        let made = use_memo((), move |_| {
            Callback::from(move |file: web_sys::File| {
                let d = d.clone();
                browser::read_file_text(file, scenario::MAX_SCENARIO_BYTES, move |text| {
                    d(Cmd::Import(text))
                });
            })
        });
        (*made).clone()
    };

    use_frame_loop(holder.clone(), redraw);
    use_key_shortcuts(dispatch.clone());
    use_parent_commands(holder.clone(), dispatch);
    use_url_sync(holder.clone());

    let series = holder.borrow_mut().series(browser::now_ms());
    let h = holder.borrow();
    let p = &h.player;
    let view = S::view(SceneView {
        model: p.model(),
        recent: p.recent(),
        now_ms: browser::now_ms(),
        act,
        params: &p.params,
        reduced_motion: browser::prefers_reduced_motion(),
        series: &series,
    });
    let id = S::ID;
    html! {
        <section class="scene" aria-labelledby="scene-title" data-scene={id.name()}>
            <header class="scene-head">
                <h2 id="scene-title">{ id.title() }</h2>
            </header>
            <Notices messages={h.notices()} />
            <Controls
                playing={p.playing}
                step={p.timeline.step()}
                horizon={p.timeline.horizon()}
                speed_label={AttrValue::from(speed_label(p.speed))}
                seed={p.seed}
                sim_time={AttrValue::from(p.model().now().to_string())}
                {on_play} {on_step} {on_back} {on_faster} {on_slower} {on_reset} {on_seed}
                {on_seek} {on_copy_link} {on_export_csv} {on_export_json} on_help={on_help.clone()} {on_import}
            />
            <div class="scene-body">
                <div class="stage">{ view }</div>
                <aside class="side">
                    <Settings specs={S::specs()} values={p.params.clone()} on_change={on_param} />
                </aside>
            </div>
            <Narration lines={p.narration.iter().rev().take(3).cloned().collect::<Vec<_>>()} />
            <p class="status" role="status">{ h.status.clone() }</p>
            if h.help {
                <Help on_close={on_help.clone()} />
            }
        </section>
    }
}
