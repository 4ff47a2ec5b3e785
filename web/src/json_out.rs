//! The one JSON writer: every JSON text the page produces (the exports, a scenario document,
//! the messages a parent page is sent in tests) is written through here, with serde_json's
//! serializer. Reading untrusted JSON is `json_in`'s job.

use crate::scenes::SceneId;
use serde::Serialize;

/// `value` as compact JSON. Serializing the types exported here (strings, numbers, the
/// events' derived impls) cannot fail; `null` stands in if one ever did.
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// A metric as JSON: `null` for a value JSON cannot hold (NaN, ±∞).
pub fn json_number(v: f64) -> String {
    if v.is_finite() {
        json(&v)
    } else {
        "null".into()
    }
}

/// The fields a scenario file holds ([`crate::scenario::import`] reads them back), as JSON object members joined by `sep` (the JSON export
/// writes them one per line).
pub fn scenario_fields(
    scene: Option<SceneId>,
    seed: u64,
    params: &[(&str, String)],
    ops: &str,
    step: u64,
    speed: Option<usize>,
    sep: &str,
) -> String {
    let params: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}: {}", json(k), json(v)))
        .collect();
    let scene = scene.map_or("null".into(), |s| json(s.name()));
    let mut fields = vec![
        format!("\"scene\": {scene}"),
        format!("\"seed\": {seed}"),
        format!("\"params\": {{{}}}", params.join(", ")),
        format!("\"ops\": {}", json(ops)),
        format!("\"step\": {step}"),
    ];
    if let Some(rung) = speed {
        fields.push(format!(
            "\"speed\": {}",
            json(&crate::player::speed_value(rung))
        ));
    }
    fields.join(sep)
}
