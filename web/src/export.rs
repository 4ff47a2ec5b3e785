//! CSV and JSON exports of a run: the event trace and the metric series, plus what is needed
//! to reproduce it (scene, seed, parameters, actions).
//!
//! A scene page does not carry this code: its Export buttons hand the link to the exact state
//! to the export bundle (`src/bin/export.rs`, loaded on the first export), which re-simulates
//! the run from the link ([`from_query`]) and writes the file. The model is deterministic, so
//! the re-simulated run is the one on screen; the page saves the events' JSON writers and the
//! CSV/JSON layout (about 5 KB gzipped per page).
//!
//! Both are written as text straight from the events' `Serialize` impls: no JSON tree is built
//! (an export holds up to 20 000 events), and the JSON export puts one event or metric row per
//! line, so a 20 000-event file stays readable in an editor and a few MB smaller than
//! pretty-printing every field would make it.

use crate::json_out::{json, json_number, scenario_fields};
use crate::player::PlayerState;
use crate::scenes::{with_scene, Scene, SceneFn};
use crate::url_state::parse_query;
use scalelab_core::Metrics;
use std::collections::VecDeque;

/// Events an export holds: the newest, up to the exported step.
pub const MAX_TRACE: usize = 20_000;

/// A run to export: the player a link builds (its model, actions and metric series) and the
/// trace of its last [`MAX_TRACE`] events, each with the step that produced it.
pub struct Run<S: Scene> {
    /// The player at the exported step.
    pub player: PlayerState<S>,
    /// `(step, event)`, oldest first, ending at the player's step.
    pub trace: VecDeque<(u64, S::Event)>,
}

/// The run `player` reached, with its trace re-simulated: from a copy of its timeline, the
/// steps before the present are replayed with their events (starting a little over
/// [`MAX_TRACE`] steps back, further if they held fewer events), so the trace is exactly the
/// events the steps had, whatever way the player got here.
pub fn record<S: Scene>(player: PlayerState<S>) -> Run<S> {
    let end = player.timeline.step();
    let mut span = (MAX_TRACE as u64).min(end);
    loop {
        let mut timeline = player.timeline.clone();
        timeline.seek(end - span);
        let mut trace = VecDeque::new();
        while timeline.step() < end {
            let step = timeline.step() + 1;
            for e in timeline.forward() {
                if trace.len() >= MAX_TRACE {
                    trace.pop_front();
                }
                trace.push_back((step, e.clone()));
            }
        }
        if trace.len() >= MAX_TRACE || span == end {
            return Run { player, trace };
        }
        span = span.saturating_mul(2).min(end);
    }
}

/// The two export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One table of events and metric samples ([`to_csv`]).
    Csv,
    /// The scenario, the metric series and the trace ([`to_json`]).
    Json,
}

impl Format {
    /// The name the page passes to the export bundle, and the file's extension.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The format `name` stands for.
    pub fn parse(name: &str) -> Option<Format> {
        [Format::Csv, Format::Json]
            .into_iter()
            .find(|f| f.name() == name)
    }

    /// The file's media type.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Json => "application/json",
        }
    }
}

/// The file name a scene's export gets.
pub fn file_name(scene: &str, seed: u64, format: Format) -> String {
    format!("scalelab-{scene}-seed{seed}.{}", format.name())
}

/// An exported file: its name, media type and text.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFile {
    /// `scalelab-<scene>-seed<seed>.<csv|json>`.
    pub name: String,
    /// `text/csv` or `application/json`.
    pub mime: &'static str,
    /// The file's contents.
    pub text: String,
}

/// The export of the run a page is showing: its link's query (scene, seed, settings, actions)
/// and its step, re-simulated. The step comes apart from the query because a page may be past
/// the step a link can hold ([`MAX_STEP`](crate::input::MAX_STEP), after a run at top speed),
/// and so may its actions; the page passes its own state, so the query's problems (none in
/// practice) are not fatal.
pub fn from_query(query: &str, step: u64, format: Format) -> Result<ExportFile, String> {
    struct Export<'a>(&'a crate::url_state::UrlState, Format);
    impl SceneFn for Export<'_> {
        type Output = ExportFile;
        fn call<S: Scene>(self) -> ExportFile {
            let max_step = self.0.step.max(crate::input::MAX_STEP);
            let (player, _problems) = crate::player::from_link_within::<S>(self.0, &[], max_step);
            let run = record(player);
            let text = match self.1 {
                Format::Csv => to_csv(&run),
                Format::Json => to_json(&run),
            };
            ExportFile {
                name: file_name(S::ID.name(), run.player.seed, self.1),
                mime: self.1.mime(),
                text,
            }
        }
    }
    let (mut url, _problems) = parse_query(query);
    url.step = step;
    let scene = url.scene.ok_or("the link names no scene to export")?;
    Ok(with_scene(scene, Export(&url, format)))
}

/// The kind of an event, read from its JSON (`{"type":"routed",…}` → `routed`): the events
/// are internally tagged (`kind` or `type`), and serde writes the tag first. An externally
/// tagged event (`{"Routed":{…}}`) gives its variant, a unit variant (`"tick"`) its name.
fn kind_of(event_json: &str) -> &str {
    fn string_at(s: &str) -> Option<(&str, &str)> {
        let rest = s.strip_prefix('"')?;
        let end = rest.find('"')?;
        Some((rest.get(..end)?, rest.get(end + 1..)?))
    }
    if let Some(obj) = event_json.strip_prefix('{') {
        if let Some((key, rest)) = string_at(obj) {
            if key == "kind" || key == "type" {
                if let Some((tag, _)) = rest.strip_prefix(':').and_then(string_at) {
                    return tag;
                }
            }
            return key;
        }
    } else if let Some((name, _)) = string_at(event_json) {
        return name;
    }
    "event"
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One CSV table: `record` says whether a row is an event (its step, kind and JSON detail) or
/// a metric sample (its time and one column per metric).
pub fn to_csv<S: Scene>(run: &Run<S>) -> String {
    let p = &run.player;
    let names = <S::Model as Metrics>::METRIC_NAMES;
    let mut out = String::from("record,step,time_s,kind,detail");
    for n in names {
        out.push(',');
        out.push_str(&csv_field(n));
    }
    out.push('\n');
    let empty_metrics = ",".repeat(names.len());
    for (step, e) in &run.trace {
        let detail = json(e);
        out.push_str(&format!(
            "event,{step},,{},{}{empty_metrics}\n",
            csv_field(kind_of(&detail)),
            csv_field(&detail),
        ));
    }
    for (t, row) in p.series() {
        out.push_str("metric,,");
        out.push_str(&json_number(*t));
        out.push_str(",,");
        for v in row {
            out.push(',');
            if v.is_finite() {
                out.push_str(&json(v));
            }
        }
        out.push('\n');
    }
    out
}

/// The JSON export: what [`crate::scenario::import`] reads back (scene, seed, params, ops,
/// step, speed), then the metric columns and rows, then the event trace.
pub fn to_json<S: Scene>(run: &Run<S>) -> String {
    let p = &run.player;
    let params = p.params.non_default(S::specs());
    let mut columns = vec!["time_s"];
    columns.extend(<S::Model as Metrics>::METRIC_NAMES.iter().copied());
    let fields = scenario_fields(
        Some(S::ID),
        p.seed,
        &params,
        &p.encoded_ops(),
        p.timeline.step(),
        Some(p.speed),
        ",\n  ",
    );
    let mut out = format!(
        "{{\n  {fields},\n  \"metric_columns\": {},\n  \"metrics\": [",
        json(&columns),
    );
    let mut first = true;
    for (t, row) in p.series() {
        out.push_str(if first { "\n    [" } else { ",\n    [" });
        first = false;
        out.push_str(&json_number(*t));
        for v in row {
            out.push(',');
            out.push_str(&json_number(*v));
        }
        out.push(']');
    }
    out.push_str(if first {
        "],\n  \"events\": ["
    } else {
        "\n  ],\n  \"events\": ["
    });
    first = true;
    for (step, e) in &run.trace {
        out.push_str(if first { "\n    " } else { ",\n    " });
        first = false;
        out.push_str(&format!("{{\"step\": {step}, \"event\": {}}}", json(e)));
    }
    out.push_str(if first { "]\n}\n" } else { "\n  ]\n}\n" });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValues;
    use crate::scenes::{balancing, caching, scaling, sharding, system};
    use serde_json::Value;

    #[test]
    fn kinds_come_from_the_tag() {
        assert_eq!(kind_of(r#"{"type":"routed","server":1}"#), "routed");
        assert_eq!(kind_of(r#"{"kind":"hit","key":3}"#), "hit");
        assert_eq!(kind_of(r#"{"Moved":{"key":3}}"#), "Moved");
        assert_eq!(kind_of(r#""tick""#), "tick");
        assert_eq!(kind_of("{}"), "event");
        assert_eq!(kind_of("3"), "event");
    }

    /// Both exports of a played scene parse, agree with the player, and name every event kind.
    fn exports_agree<S: Scene>(steps: u64) {
        let mut p = PlayerState::<S>::new(ParamValues::defaults(S::specs()), 5).unwrap();
        p.seek(steps);
        let run = record(p);
        let p = &run.player;
        let doc: Value = serde_json::from_str(&to_json(&run)).unwrap();
        assert_eq!(doc["scene"], S::ID.name());
        assert_eq!(doc["seed"], 5);
        assert_eq!(doc["step"], steps);
        let events = doc["events"].as_array().unwrap();
        assert_eq!(events.len(), run.trace.len());
        assert!(!events.is_empty(), "{}", S::ID.name());
        for ((step, e), got) in run.trace.iter().zip(events) {
            assert_eq!(got["step"], *step);
            // Compared as parsed text: serde_json's default parser may round a float's last
            // digit, which would differ from `to_value`.
            let want: Value = serde_json::from_str(&serde_json::to_string(e).unwrap()).unwrap();
            assert_eq!(got["event"], want);
        }
        let metrics = doc["metrics"].as_array().unwrap();
        assert_eq!(metrics.len(), p.series().len());
        let columns = doc["metric_columns"].as_array().unwrap();
        for row in metrics {
            assert_eq!(row.as_array().unwrap().len(), columns.len());
        }

        let csv = to_csv(&run);
        let mut lines = csv.lines();
        let header = lines.next().unwrap();
        assert_eq!(
            header.split(',').count(),
            5 + <S::Model as Metrics>::METRIC_NAMES.len()
        );
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), run.trace.len() + p.series().len());
        let kinds = rows
            .iter()
            .filter(|r| r.starts_with("event,"))
            .map(|r| r.split(',').nth(3).unwrap());
        for kind in kinds {
            assert!(
                !kind.is_empty() && kind != "event",
                "{}: {kind}",
                S::ID.name()
            );
        }
    }

    #[test]
    fn every_scene_exports_what_it_played() {
        exports_agree::<balancing::BalancingScene>(200);
        exports_agree::<caching::CachingScene>(200);
        exports_agree::<sharding::ShardingScene>(200);
        exports_agree::<scaling::ScalingScene>(200);
        exports_agree::<system::SystemScene>(200);
    }

    /// The export bundle's re-simulation from a page's link gives the file the page's own
    /// player would have written: same trace, same series, same scenario.
    #[test]
    fn an_export_from_the_link_is_the_played_runs() {
        let mut p = PlayerState::<balancing::BalancingScene>::new(
            ParamValues::defaults(balancing::BalancingScene::specs()),
            9,
        )
        .unwrap();
        p.seek(150);
        p.act(
            scalelab_core::balancing::BalancingAction::KillServer { server: 1 },
            0.0,
        );
        p.seek(400);
        for _ in 0..30 {
            p.step_once(0.0);
        }
        let mut url = crate::url_state::UrlState::new(crate::scenes::SceneId::Balancing);
        url.seed = p.seed;
        url.step = p.timeline.step();
        url.ops = p.encoded_ops();
        let query = crate::url_state::to_query(&url, &[]);
        let run = record(p);
        for format in [Format::Csv, Format::Json] {
            let file = from_query(&query, 430, format).unwrap();
            let played = match format {
                Format::Csv => to_csv(&run),
                Format::Json => to_json(&run),
            };
            assert_eq!(file.text, played, "{}", format.name());
            assert_eq!(
                file.name,
                format!("scalelab-balancing-seed9.{}", format.name())
            );
        }
        assert!(from_query("seed=3", 0, Format::Csv).is_err());
        assert_eq!(Format::parse("json"), Some(Format::Json));
        assert_eq!(Format::parse("xml"), None);
    }

    #[test]
    fn an_empty_run_is_still_json() {
        let p = PlayerState::<caching::CachingScene>::new(
            ParamValues::defaults(caching::CachingScene::specs()),
            1,
        )
        .unwrap();
        let doc: Value = serde_json::from_str(&to_json(&record(p))).unwrap();
        assert!(doc["events"].as_array().unwrap().is_empty());
    }

    /// The recorded trace is the newest [`MAX_TRACE`] events of the steps up to the present,
    /// as stepping from the start with every event kept gives them, actions included.
    #[test]
    fn the_trace_is_the_last_events_of_the_run() {
        use scalelab_core::timeline::Timeline;
        let ops = "100:kill.1,9000:revive.1,20000:slow.2.3";
        let end = 40_000;
        let mut p = PlayerState::<balancing::BalancingScene>::new(
            ParamValues::defaults(balancing::BalancingScene::specs()),
            4,
        )
        .unwrap();
        assert!(p.replay_ops(ops).is_empty());
        p.seek(end);
        let run = record(p);

        let params = ParamValues::defaults(balancing::BalancingScene::specs());
        let model = balancing::BalancingScene::build(&params, 4).unwrap();
        let mut timeline: Timeline<_, _> = Timeline::new(model);
        let actions = crate::player::decode_ops::<balancing::BalancingScene>(ops).actions;
        let mut all = VecDeque::new();
        while timeline.step() < end {
            for (at, a) in &actions {
                if *at == timeline.step() {
                    timeline.act(a.clone()).unwrap();
                }
            }
            let events = timeline.forward().to_vec();
            let step = timeline.step();
            all.extend(events.into_iter().map(|e| (step, e)));
        }
        let newest: VecDeque<_> = all.iter().skip(all.len() - MAX_TRACE).cloned().collect();
        assert_eq!(run.trace.len(), MAX_TRACE);
        assert!(
            run.trace == newest,
            "the trace differs from the run's last events"
        );
    }

    /// A page past the step a link can hold (after top speed), with an action taken there,
    /// exports the run it shows: the step and the late action are not dropped.
    #[test]
    fn a_run_past_a_links_last_step_exports_whole() {
        let max = crate::input::MAX_STEP;
        let mut p = PlayerState::<balancing::BalancingScene>::new(
            ParamValues::defaults(balancing::BalancingScene::specs()),
            6,
        )
        .unwrap();
        p.seek(max + 500);
        p.act(
            scalelab_core::balancing::BalancingAction::KillServer { server: 2 },
            0.0,
        );
        p.seek(max + 2_000);
        let mut url = crate::url_state::UrlState::new(crate::scenes::SceneId::Balancing);
        url.seed = p.seed;
        url.ops = p.encoded_ops();
        let query = crate::url_state::to_query(&url, &[]);
        let step = p.timeline.step();
        let played = to_json(&record(p));
        let file = from_query(&query, step, Format::Json).unwrap();
        assert!(
            file.text == played,
            "the export differs from the played run"
        );
        let late = format!("\"{}:kill.2\"", crate::input::MAX_STEP + 500);
        assert!(
            file.text.contains(&late),
            "the late action is not in the export"
        );
    }
}
