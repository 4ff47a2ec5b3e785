//! The settings form, generated from a scene's parameter specs: the same ranges the URL
//! decoder enforces.

use crate::decimal;
use crate::params::{ParamKind, ParamSpec, ParamValues};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct SettingsProps {
    pub specs: &'static [ParamSpec],
    pub values: ParamValues,
    /// `(key, raw value)`; the player validates it.
    pub on_change: Callback<(&'static str, String)>,
}

#[component]
pub fn Settings(p: &SettingsProps) -> Html {
    html! {
        <form class="settings" aria-label="Scene settings" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { for p.specs.iter().map(|spec| field(spec, &p.values, &p.on_change)) }
        </form>
    }
}

fn field(
    spec: &'static ParamSpec,
    values: &ParamValues,
    on_change: &Callback<(&'static str, String)>,
) -> Html {
    let id = format!("param-{}", spec.key);
    let key = spec.key;
    let cb = on_change.clone();
    let control = match spec.kind {
        ParamKind::Int { min, max, .. } => {
            let onchange = Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                cb.emit((key, input.value()));
            });
            html! {
                <input id={id.clone()} type="number" min={min.to_string()} max={max.to_string()} step="1"
                    value={values.int(key).to_string()} {onchange} title={spec.help} />
            }
        }
        ParamKind::Float { min, max, step, .. } => {
            let onchange = Callback::from(move |e: Event| {
                let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                cb.emit((key, input.value()));
            });
            html! {
                <input id={id.clone()} type="number" min={decimal::show(min)} max={decimal::show(max)} step={decimal::show(step)}
                    value={decimal::show(values.float(key))} {onchange} title={spec.help} />
            }
        }
        ParamKind::Choice { options, .. } => {
            let current = values.choice(key);
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
    };
    html! {
        <div class="field">
            <label for={id}>{ spec.label }</label>
            { control }
        </div>
    }
}
