//! The control bar every scene shares: play/pause, step, step back, speed, reset, seed,
//! copy link, exports, import and help. Every control has a visible label, a tooltip and a key.

use super::memo::View;
use yew::prelude::*;

/// What a control of the bar asks for (the keyboard shortcuts ask the same).
#[derive(Debug, Clone, PartialEq)]
pub enum Control {
    TogglePlay,
    Step,
    Back,
    Faster,
    Slower,
    Reset,
    Seed(u64),
    Seek(u64),
    /// Play at this rung of the speed ladder (the embedding page's command).
    Speed(usize),
    CopyLink,
    ExportCsv,
    ExportJson,
    ToggleHelp,
}

/// The bar's data; drawn with [`crate::components::memo::memo`], so an unchanged bar is not
/// redrawn.
#[derive(PartialEq, Clone)]
pub struct Controls {
    pub playing: bool,
    pub step: u64,
    pub horizon: u64,
    /// The speed as the bar shows it (`Speed 1/50×`, or `Speed: asked 100×, running 40×`).
    pub speed_label: AttrValue,
    /// What the speed means, in a sentence (the label's tooltip; announced when it changes).
    pub speed_meaning: AttrValue,
    pub seed: u64,
    pub sim_time: AttrValue,
    /// Every control's request, through one callback.
    pub on_control: Callback<Control>,
    /// A scenario file the user picked (an earlier JSON export).
    pub on_import: Callback<web_sys::File>,
}

fn button(
    label: &str,
    icon: &str,
    tip: &str,
    key: &str,
    on: &Callback<Control>,
    control: Control,
    disabled: bool,
) -> Html {
    let onclick = on.reform(move |_: MouseEvent| control.clone());
    html! {
        <button type="button" class="ctl" title={format!("{tip} ({key})")}
            aria-keyshortcuts={key.to_string()} {disabled} {onclick}>
            <span class="ctl-icon" aria-hidden="true">{ icon }</span>
            <span class="ctl-label">{ label }</span>
        </button>
    }
}

impl View for Controls {
    fn view(&self) -> Html {
        controls(self)
    }
}

fn controls(p: &Controls) -> Html {
    let on = &p.on_control;
    let on_seed = {
        let cb = on.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().trim().parse::<u64>() {
                cb.emit(Control::Seed(v));
            } else {
                input.set_custom_validity("The seed is a whole number from 0 upwards.");
                input.report_validity();
            }
        })
    };
    let on_seek = {
        let cb = on.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<u64>() {
                cb.emit(Control::Seek(v));
            }
        })
    };
    let on_import = {
        let cb = p.on_import.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                cb.emit(file);
            }
            // Picking the same file again must fire again.
            input.set_value("");
        })
    };
    let (play_label, play_icon) = if p.playing {
        ("Pause", "II")
    } else {
        ("Play", "▶")
    };
    html! {
        <div class="controls" role="toolbar" aria-label="Simulation controls">
            <div class="ctl-group">
                { button(play_label, play_icon, "Play or pause the simulation", "Space", on, Control::TogglePlay, false) }
                { button("Back", "«", "Step back one event", "ArrowLeft", on, Control::Back, p.step == 0) }
                { button("Step", "»", "Step forward one event", "ArrowRight", on, Control::Step, false) }
                { button("Slower", "−", "Slow down", "-", on, Control::Slower, false) }
                <span class="speed" aria-live="off" title={p.speed_meaning.clone()}>{ p.speed_label.clone() }</span>
                <span class="visually-hidden" role="status">{ p.speed_meaning.clone() }</span>
                { button("Faster", "+", "Speed up (fast-forward skips drawing, not simulating)", "+", on, Control::Faster, false) }
                { button("Reset", "↺", "Back to the start, keeping the settings", "R", on, Control::Reset, false) }
            </div>
            <div class="ctl-group timeline">
                // The readout and the slider change on every step of a playing run; each is a
                // box of fixed size (style.css, "The timeline"), so the change is laid out
                // inside it, not through the page.
                <label class="step-label" for="timeline-slider">
                    <span class="readout">
                        { format!("Step {} of {}", p.step, p.horizon.max(p.step)) }
                        <span class="sim-time">{ format!(" · t = {}", p.sim_time) }</span>
                    </span>
                </label>
                <span class="track">
                    <input id="timeline-slider" type="range" min="0" max={p.horizon.max(p.step).to_string()}
                        value={p.step.to_string()} oninput={on_seek}
                        title="Rewind through the run; the future is kept until you change something" />
                </span>
            </div>
            <div class="ctl-group">
                <label class="seed" title="The random seed: the same seed gives the same run">
                    { "Seed " }
                    <input type="number" min="0" inputmode="numeric" value={p.seed.to_string()} onchange={on_seed} aria-label="Random seed" />
                </label>
                { button("Copy link", "#", "Copy a link to exactly this state", "L", on, Control::CopyLink, false) }
                { button("CSV", "⤓", "Export the event trace and metrics as CSV", "C", on, Control::ExportCsv, false) }
                { button("JSON", "⤓", "Export the event trace and metrics as JSON", "J", on, Control::ExportJson, false) }
                <label class="ctl import" title="Open a scenario: a JSON file exported here (J)">
                    <span class="ctl-icon" aria-hidden="true">{ "⤒" }</span>
                    <span class="ctl-label">{ "Import" }</span>
                    <input type="file" accept=".json,application/json" class="visually-hidden" onchange={on_import} />
                </label>
                { button("Help", "?", "Keyboard shortcuts", "?", on, Control::ToggleHelp, false) }
            </div>
        </div>
    }
}
