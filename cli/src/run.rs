//! `scalelab run`: a link or a scenario file, run headless to a step or a simulated time,
//! summarised, and exported exactly as the page exports it.

use crate::{say, time_arg};
use scalelab_core::readouts::Readouts;
use scalelab_core::sim::SimTime;
use scalelab_core::{Metrics, Model};
use scalelab_web::export::{self, Format};
use scalelab_web::input::MAX_STEP;
use scalelab_web::player::{from_link_within, PlayerState};
use scalelab_web::scenario;
use scalelab_web::scenes::{with_scene, Scene, SceneFn};
use scalelab_web::url_state::{parse_query, to_query, UrlState};
use std::io::Write;

/// Where the run stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Until {
    /// The step the file or link holds.
    Given,
    /// A step.
    Step(u64),
    /// The first step at or past a simulated time.
    Time(SimTime),
}

/// What `run` was asked to do.
#[derive(Debug, Default)]
struct Request<'a> {
    file: Option<&'a str>,
    link: Option<&'a str>,
    until: Option<Until>,
    csv: Option<&'a str>,
    json: Option<&'a str>,
}

/// `scalelab run …`; returns the exit status.
pub fn command(args: &[&str], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let request = match read_args(args) {
        Ok(r) => r,
        Err(problem) => {
            say!(err, "scalelab run: {problem}\n(see scalelab --help)");
            return 2;
        }
    };
    let url = match open(&request) {
        Ok(url) => url,
        Err(problem) => {
            say!(err, "scalelab run: {problem}");
            return 2;
        }
    };
    let Some(scene) = url.scene else {
        say!(err, "scalelab run: the link names no scene (add scene=balancing, caching, sharding, scaling or system)");
        return 2;
    };
    let until = request.until.unwrap_or(Until::Given);
    let summary = match with_scene(scene, Run { url: &url, until }) {
        Ok(s) => s,
        Err(problem) => {
            say!(err, "scalelab run: {problem}");
            return 2;
        }
    };
    let to_stdout = request.csv == Some("-") || request.json == Some("-");
    if !to_stdout {
        let _ = out.write_all(summary.text.as_bytes());
    }
    let query = to_query(&url, &scenario::param_pairs(&url.params));
    for (format, path) in [(Format::Csv, request.csv), (Format::Json, request.json)] {
        let Some(path) = path else { continue };
        let file = match export::from_query(&query, summary.step, format) {
            Ok(f) => f,
            Err(problem) => {
                say!(err, "scalelab run: {problem}");
                return 2;
            }
        };
        let written = if path == "-" {
            out.write_all(file.text.as_bytes())
        } else {
            std::fs::write(path, &file.text)
        };
        // A reader that stops early (`scalelab run … --csv - | head`) is not a failure.
        let written = written.or_else(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe if path == "-" => Ok(()),
            _ => Err(e),
        });
        if let Err(e) = written {
            say!(err, "scalelab run: cannot write {path}: {e}");
            return 1;
        }
    }
    0
}

fn read_args<'a>(args: &[&'a str]) -> Result<Request<'a>, String> {
    let mut r = Request::default();
    let mut rest = args.iter().copied();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| rest.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg {
            "--link" => r.link = Some(value("--link")?),
            "--csv" => r.csv = Some(value("--csv")?),
            "--json" => r.json = Some(value("--json")?),
            "--step" | "--until" if r.until.is_some() => {
                return Err("give --step or --until, once".into())
            }
            "--step" => {
                let text = value("--step")?;
                let step = text
                    .parse::<u64>()
                    .ok()
                    .filter(|s| *s <= MAX_STEP)
                    .ok_or_else(|| {
                        format!("--step “{text}” is not a whole number from 0 to {MAX_STEP}")
                    })?;
                r.until = Some(Until::Step(step));
            }
            "--until" => r.until = Some(Until::Time(time_arg::parse(value("--until")?)?)),
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(format!("unknown option {flag}"))
            }
            file if r.file.is_none() => r.file = Some(file),
            extra => return Err(format!("one file at a time (also given: {extra})")),
        }
    }
    match (r.file, r.link) {
        (None, None) => Err("give a scenario FILE or --link LINK".into()),
        (Some(_), Some(_)) => Err("give a scenario FILE or --link LINK, not both".into()),
        _ if r.csv.is_some() && r.csv == r.json => {
            Err("--csv and --json cannot both write to the same place".into())
        }
        _ => Ok(r),
    }
}

/// The state the file or link opens, with every problem that refuses it named.
fn open(request: &Request<'_>) -> Result<UrlState, String> {
    if let Some(path) = request.file {
        let text = if path == "-" {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map(|_| text)
                .map_err(|e| format!("standard input cannot be read: {e}"))?
        } else {
            std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot be read: {e}"))?
        };
        return scenario::import(&text).map_err(|e| format!("{path}: {e}"));
    }
    let link = request.link.unwrap_or_default();
    let (url, problems) = parse_query(query_of(link));
    if problems.is_empty() {
        Ok(url)
    } else {
        let list: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
        Err(format!(
            "the link has {} problem(s):\n{}",
            problems.len(),
            list.join("\n")
        ))
    }
}

/// A link's query: what follows its `?` (the whole text when it has none), without a
/// `#fragment`.
fn query_of(link: &str) -> &str {
    let query = link.split_once('?').map_or(link, |(_, q)| q);
    query.split_once('#').map_or(query, |(q, _)| q)
}

/// The run's summary and the step it ended at.
struct Summary {
    step: u64,
    text: String,
}

struct Run<'a> {
    url: &'a UrlState,
    until: Until,
}

impl SceneFn for Run<'_> {
    type Output = Result<Summary, String>;

    fn call<S: Scene>(self) -> Self::Output {
        let (mut player, problems) = from_link_within::<S>(self.url, &[], MAX_STEP);
        if !problems.is_empty() {
            return Err(format!("the state does not open: {}", problems.join(" ")));
        }
        match self.until {
            Until::Given => {}
            Until::Step(step) => player.seek(step),
            Until::Time(t) => run_until(&mut player, t)?,
        }
        Ok(summarise(&player))
    }
}

/// Steps `player` until its simulated clock reaches `t`.
fn run_until<S: Scene>(player: &mut PlayerState<S>, t: SimTime) -> Result<(), String> {
    if player.model().now() > t {
        player.seek(0);
    }
    while player.model().now() < t {
        let step = player.timeline.step();
        if step >= MAX_STEP {
            return Err(format!(
                "the run reaches only {} by step {MAX_STEP}, before {t}",
                player.model().now()
            ));
        }
        player.seek(step + 1);
    }
    Ok(())
}

fn summarise<S: Scene>(player: &PlayerState<S>) -> Summary {
    let model = player.model();
    let step = player.timeline.step();
    let mut text = String::new();
    let mut line = |l: String| {
        text.push_str(&l);
        text.push('\n');
    };
    line(format!("scene      {}", S::ID.name()));
    line(format!("seed       {}", player.seed));
    line(format!("step       {step}"));
    line(format!("time       {}", model.now()));
    line("metrics".into());
    for (name, value) in S::Model::METRIC_NAMES.iter().zip(model.metrics()) {
        let value = if value.is_nan() {
            "no value yet".to_string()
        } else {
            scalelab_core::readouts::Reading::Number(value).to_text()
        };
        line(format!("  {name} = {value}"));
    }
    line("readouts".into());
    for spec in S::Model::READOUTS.iter().filter(|s| s.subject.is_none()) {
        let value = model
            .reading(spec.name)
            .map_or_else(|e| e.to_string(), |r| r.to_text());
        line(format!("  {} = {value}", spec.name));
    }
    Summary { step, text }
}
