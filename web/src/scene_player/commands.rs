//! Everything a control, a key or the embedding page can ask of the player, and what each
//! does to the player's state.

use super::state::Holder;
use crate::browser;
use crate::components::controls::Control;
use crate::embed_msg::ParentCommand;
use crate::export::{file_name, Format};
use crate::player::MAX_SPEED;
use crate::scenes::Scene;
use wasm_bindgen::JsCast;

/// Sends a command to the player and redraws it.
pub type Dispatch<S> = std::rc::Rc<dyn Fn(Cmd<S>)>;

/// One request to the player.
pub enum Cmd<S: Scene> {
    /// A control of the bar, or its keyboard shortcut.
    Control(Control),
    /// Play or pause outright (the embedding page's commands).
    SetPlaying(bool),
    Param(&'static str, String),
    Act(S::Action),
    /// Select an item of the drawing for the inspector (`None` deselects).
    Focus(Option<S::Focus>),
    /// The link (a query) that opens the scenario file the user picked, or why the file was
    /// refused.
    Imported(Result<String, String>),
}

impl<S: Scene> From<ParentCommand> for Cmd<S> {
    fn from(cmd: ParentCommand) -> Self {
        match cmd {
            ParentCommand::Play => Cmd::SetPlaying(true),
            ParentCommand::Pause => Cmd::SetPlaying(false),
            ParentCommand::Step => Cmd::Control(Control::Step),
            ParentCommand::Back => Cmd::Control(Control::Back),
            ParentCommand::Reset => Cmd::Control(Control::Reset),
            ParentCommand::Seek(step) => Cmd::Control(Control::Seek(step)),
            ParentCommand::Speed(rung) => Cmd::Control(Control::Speed(rung)),
        }
    }
}

/// Carries out `cmd` on the player's state (the caller redraws).
pub fn run<S: Scene>(h: &mut Holder<S>, cmd: Cmd<S>) {
    // Any command may change what the model, the settings or the selection show.
    h.commands += 1;
    let now = browser::now_ms();
    let p = &mut h.player;
    let control = match cmd {
        Cmd::Control(control) => control,
        Cmd::SetPlaying(on) => {
            if p.playing != on {
                p.playing = on;
                h.last_frame_ms = None;
            }
            return;
        }
        Cmd::Param(key, raw) => {
            let spec = S::specs().iter().find(|s| s.key == key);
            match spec.map(|s| s.parse(&raw)) {
                Some(Ok(value)) => {
                    let mut params = p.params.clone();
                    params.set(key, value);
                    let seed = p.seed;
                    h.rebuild(params, seed);
                }
                Some(Err(problem)) => p.last_error = Some(problem.to_string()),
                None => {}
            }
            return;
        }
        Cmd::Act(action) => return p.act(action, now),
        Cmd::Focus(focus) => {
            h.focus = focus;
            return;
        }
        Cmd::Imported(link) => return import(h, link),
    };
    match control {
        Control::TogglePlay => {
            p.playing = !p.playing;
            h.last_frame_ms = None;
        }
        Control::Step => {
            p.playing = false;
            p.step_once(now);
        }
        Control::Back => {
            p.playing = false;
            p.step_back(now);
        }
        Control::Faster => p.speed = (p.speed + 1).min(MAX_SPEED),
        Control::Slower => p.speed = p.speed.saturating_sub(1),
        Control::Speed(rung) => p.speed = rung.min(MAX_SPEED),
        Control::Reset => {
            let (params, seed) = (p.params.clone(), p.seed);
            h.rebuild(params, seed);
            h.player.playing = false;
        }
        Control::Seed(seed) => {
            let params = p.params.clone();
            h.rebuild(params, seed);
        }
        Control::Seek(step) => {
            p.playing = false;
            p.seek(step);
        }
        Control::ToggleHelp => h.help = !h.help,
        Control::CopyLink => {
            let url = browser::url_with_query(&h.query());
            browser::copy_to_clipboard(&url);
            h.status = format!("Link copied: {url}");
        }
        Control::ExportCsv => export(h, Format::Csv),
        Control::ExportJson => export(h, Format::Json),
    }
}

/// Hands the link to this exact state to the export bundle, which re-simulates the run and
/// saves it (see [`crate::export`]): the page itself carries no export code.
fn export<S: Scene>(h: &mut Holder<S>, format: Format) {
    let name = file_name(S::ID.name(), h.player.seed, format);
    browser::export_from_link(&h.query(), h.player.timeline.step(), format.name());
    h.status = format!("Saving {name}");
}

/// Opens an imported scenario file as its own link (so its scene's bundle loads and the
/// address bar can be shared); a refused file is reported and nothing else changes.
fn import<S: Scene>(h: &mut Holder<S>, link: Result<String, String>) {
    match link {
        Ok(query) => {
            browser::navigate_to_query(&query);
            h.status = "Opening the imported scenario…".into();
        }
        Err(e) => h.status = format!("Import failed: {e}. Nothing was changed."),
    }
}

/// The control a key press stands for, if any (the shortcuts the help lists).
pub fn key_control(e: &web_sys::KeyboardEvent) -> Option<Control> {
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    // Typing in a field is not a shortcut.
    let target = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    if let Some(el) = target {
        let tag = el.tag_name().to_ascii_lowercase();
        if matches!(tag.as_str(), "input" | "select" | "textarea") {
            return None;
        }
        // A lesson's panel has buttons and fields of its own: Space there presses them.
        if el.closest(".lesson").ok().flatten().is_some() {
            return None;
        }
    }
    Some(match e.key().as_str() {
        " " | "k" => Control::TogglePlay,
        "ArrowRight" => Control::Step,
        "ArrowLeft" => Control::Back,
        "+" | "=" => Control::Faster,
        "-" | "_" => Control::Slower,
        "r" | "R" => Control::Reset,
        "?" => Control::ToggleHelp,
        "l" | "L" => Control::CopyLink,
        "c" | "C" => Control::ExportCsv,
        "j" | "J" => Control::ExportJson,
        _ => return None,
    })
}
