//! CSV and JSON exports of a run: the event trace and the metric series, plus what is needed
//! to reproduce it (scene, seed, parameters, actions).

use crate::player::PlayerState;
use crate::scenes::Scene;
use serde_json::{json, Value};

/// The serde variant name of an event (`{"Routed": {...}}` → `Routed`).
fn kind_of(v: &Value) -> String {
    match v {
        Value::Object(map) if map.len() == 1 => map.keys().next().cloned().unwrap_or_default(),
        Value::Object(map) => map
            .get("kind")
            .or_else(|| map.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("event")
            .to_string(),
        Value::String(s) => s.clone(),
        _ => "event".into(),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn to_csv<S: Scene>(p: &PlayerState<S>) -> String {
    let names = S::metric_names();
    let mut out = String::from("record,step,time_s,kind,detail");
    for n in names {
        out.push(',');
        out.push_str(&csv_field(n));
    }
    out.push('\n');
    for (step, e) in p.trace() {
        let v = serde_json::to_value(e).unwrap_or(Value::Null);
        let detail = v.to_string();
        out.push_str(&format!(
            "event,{step},,{},{}{}\n",
            csv_field(&kind_of(&v)),
            csv_field(&detail),
            ",".repeat(names.len())
        ));
    }
    for (t, row) in p.series() {
        out.push_str(&format!("metric,,{t},,"));
        for v in row {
            out.push_str(&format!(",{v}"));
        }
        out.push('\n');
    }
    out
}

pub fn to_json<S: Scene>(p: &PlayerState<S>) -> String {
    let params: serde_json::Map<String, Value> = p
        .params
        .non_default(S::specs())
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v)))
        .collect();
    let events: Vec<Value> = p
        .trace()
        .iter()
        .map(|(step, e)| json!({ "step": step, "event": e }))
        .collect();
    let metrics: Vec<Value> = p
        .series()
        .iter()
        .map(|(t, row)| {
            let mut all = vec![json!(t)];
            all.extend(row.iter().map(|v| json!(v)));
            Value::Array(all)
        })
        .collect();
    let mut columns = vec!["time_s"];
    columns.extend(S::metric_names().iter().copied());
    let doc = json!({
        "scene": S::ID.name(),
        "seed": p.seed,
        "params": params,
        "ops": p.encoded_ops(),
        "step": p.timeline.step(),
        "metric_columns": columns,
        "metrics": metrics,
        "events": events,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
