//! `scalelab`: the playground's engine on the command line.
//!
//! ```sh
//! cargo run -p scalelab-cli -- lesson check web/lessons/lru-vs-fifo.json   # validate, print every answer
//! cargo run -p scalelab-cli -- lesson readouts                              # what a lesson can ask each scene
//! cargo run -p scalelab-cli -- lesson read 'scene=sharding&step=500' keys_moved  # one state's readouts
//! ```
//!
//! `lesson check` reads a lesson file exactly as the browser does (the same parser and
//! limits), opens every step's state, and prints each question's answer as the simulation
//! computes it, so an author sees what students will be told before they are. It exits with
//! status 1 when any file has a problem, and names every one.

use scalelab_core::readouts::{Reading, Readouts};
use scalelab_core::Metrics;
use scalelab_web::lesson::{self, answer, markdown};
use std::process::ExitCode;

/// `println!` that stops quietly when the reader has gone (`scalelab lesson check … | head`)
/// instead of panicking on the broken pipe.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

const USAGE: &str = "usage: scalelab lesson check FILE...\n       scalelab lesson readouts\n       scalelab lesson read QUERY READOUT...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["lesson", "check", files @ ..] if !files.is_empty() => {
            let mut ok = true;
            for file in files {
                ok &= check(file);
            }
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        ["lesson", "read", query, readouts @ ..] if !readouts.is_empty() => {
            let live = match answer::Live::open(query) {
                Ok(live) => live,
                Err(e) => {
                    say!("the state does not open: {e}");
                    return ExitCode::FAILURE;
                }
            };
            for readout in readouts {
                match live.reading(readout) {
                    Ok(r) => say!("{readout} = {}", r.to_text()),
                    Err(e) => say!("{readout}: {e}"),
                }
            }
            ExitCode::SUCCESS
        }
        ["lesson", "readouts"] => {
            print_readouts();
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Checks one lesson file and prints its report; false when it has a problem.
fn check(file: &str) -> bool {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            say!("{file}: cannot be read: {e}");
            return false;
        }
    };
    let result = lesson::parse(&text).and_then(|l| answer::verify(&l).map(|r| (l, r)));
    let (lesson, reports) = match result {
        Ok(found) => found,
        Err(problems) => {
            say!("{file}: {} problem(s)", problems.len());
            for p in problems {
                say!("  - {p}");
            }
            return false;
        }
    };
    say!(
        "{file}: ok — \"{}\" ({}), {} steps",
        lesson.title,
        lesson.id,
        lesson.steps.len()
    );
    for (i, (step, report)) in lesson.steps.iter().zip(&reports).enumerate() {
        say!("  {}. {}", i + 1, report.title);
        if let (Some(task), Some((readout, now))) = (&step.task, &report.task) {
            let now = now.as_ref().map_or("no value yet".into(), |r| r.to_text());
            let c = &task.done_when;
            let wanted = match (&c.is, c.at_least, c.at_most) {
                (Some(is), _, _) => format!("is {is}"),
                (_, Some(min), _) => format!("≥ {}", Reading::Number(min).to_text()),
                (_, _, Some(max)) => format!("≤ {}", Reading::Number(max).to_text()),
                _ => String::new(),
            };
            say!("     task: done when {readout} {wanted} (it reads {now} when the step opens)");
        }
        if let (Some(q), Some((ask, truth, right))) = (&step.question, &report.question) {
            let ask = markdown::parse(ask)
                .map(|b| markdown::plain_text(&b))
                .unwrap_or_default();
            say!("     asks: {ask}");
            let choice = right
                .and_then(|i| {
                    q.choices
                        .as_ref()?
                        .get(i)
                        .map(|c| format!(" (choice {}: {})", i + 1, c.text()))
                })
                .unwrap_or_default();
            let unit = q
                .number
                .as_ref()
                .and_then(|n| n.unit.as_deref())
                .map(|u| format!(" {u}"))
                .unwrap_or_default();
            say!(
                "     answer: {}{unit}{choice}  [{} at the end of its run]",
                truth.to_text(),
                q.readout
            );
        }
    }
    true
}

/// Every readout a lesson can name, scene by scene.
fn print_readouts() {
    fn scene<M: Readouts + Metrics>(name: &str) {
        say!("{name}:");
        for metric in M::METRIC_NAMES {
            say!("  {metric}  (a charted metric column)");
        }
        for spec in M::READOUTS {
            say!("  {}  {}", spec.written(), spec.meaning);
        }
    }
    scene::<scalelab_core::balancing::BalancingModel>("balancing");
    scene::<scalelab_core::caching::CachingModel>("caching");
    scene::<scalelab_core::sharding::ShardingModel>("sharding");
    scene::<scalelab_core::scaling::ScalingModel>("scaling");
}
