//! The settings form, generated from a scene's parameter specs: the same ranges the URL
//! decoder enforces.

use super::explain::explain;
use super::memo::View;
use crate::decimal;
use crate::params::{ParamKind, ParamSpec, ParamValues};
use yew::prelude::*;

/// The form's data; drawn with [`crate::components::memo::memo`].
#[derive(Clone)]
pub struct Settings {
    /// The scene's name, which keys its explainers.
    pub scene: &'static str,
    pub specs: &'static [ParamSpec],
    pub values: ParamValues,
    /// `(key, raw value)`; the player validates it.
    pub on_change: Callback<(&'static str, String)>,
}

/// A scene's specs are one static list: the same list is the same address, so the form's
/// comparison on every frame does not walk every option's texts.
impl PartialEq for Settings {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.specs, other.specs)
            && self.scene == other.scene
            && self.values == other.values
            && self.on_change == other.on_change
    }
}

impl View for Settings {
    fn view(&self) -> Html {
        settings(self)
    }
}

fn settings(p: &Settings) -> Html {
    html! {
        <form class="settings" aria-label="Scene settings" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { for p.specs.iter().map(|spec| field(p.scene, spec, &p.values, &p.on_change)) }
        </form>
    }
}

fn field(
    scene: &str,
    spec: &'static ParamSpec,
    values: &ParamValues,
    on_change: &Callback<(&'static str, String)>,
) -> Html {
    let id = format!("param-{}", spec.key);
    let key = spec.key;
    let cb = on_change.clone();
    // Whole and decimal numbers share one input (and one listener); only their texts differ.
    let number = match spec.kind {
        ParamKind::Int { min, max, .. } => Some((
            min.to_string(),
            max.to_string(),
            AttrValue::Static("1"),
            values.int(key).to_string(),
        )),
        ParamKind::Float { min, max, step, .. } => Some((
            decimal::show(min),
            decimal::show(max),
            AttrValue::from(decimal::show(step)),
            decimal::show(values.float(key)),
        )),
        ParamKind::Choice { .. } => None,
    };
    let mut explainer = Html::default();
    let control = match (number, spec.kind) {
        (Some((min, max, step, value)), _) => {
            let onchange = Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                cb.emit((key, input.value()));
            });
            html! {
                <input id={id.clone()} type="number" {min} {max} {step}
                    {value} {onchange} title={spec.help} />
            }
        }
        (None, ParamKind::Choice { options, .. }) => {
            let current = values.choice(key);
            explainer = explain(scene, key, spec.label, current);
            let onchange = Callback::from(move |e: Event| {
                let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                cb.emit((key, select.value()));
            });
            html! {
                <select id={id.clone()} {onchange} title={spec.help}>
                    { for options.iter().map(|(v, label)| html! {
                        <option value={*v} selected={*v == current}>{ *label }</option>
                    }) }
                </select>
            }
        }
        (None, _) => Html::default(),
    };
    html! {
        <div class="field">
            <label for={id}>{ spec.label }</label>
            { control }
            { explainer }
        </div>
    }
}
