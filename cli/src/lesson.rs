//! `scalelab lesson …`: check a lesson file and see what the simulation will answer, list the
//! readouts a lesson can name, read one state's readouts.
//!
//! `lesson check` reads a lesson file exactly as the browser does (the same parser and
//! limits), opens every step's state, and prints each question's answer as the simulation
//! computes it, so an author sees what students will be told before they are.

use crate::say;
use scalelab_core::readouts::{Reading, Readouts};
use scalelab_core::Metrics;
use scalelab_web::lesson::{self, answer, markdown};
use std::io::Write;

/// `lesson read QUERY READOUT…`: each readout's value in the state `query`; false when the
/// state does not open.
pub fn read(out: &mut dyn Write, query: &str, readouts: &[&str]) -> bool {
    let live = match answer::Live::open(query) {
        Ok(live) => live,
        Err(e) => {
            say!(out, "the state does not open: {e}");
            return false;
        }
    };
    for readout in readouts {
        match live.reading(readout) {
            Ok(r) => say!(out, "{readout} = {}", r.to_text()),
            Err(e) => say!(out, "{readout}: {e}"),
        }
    }
    true
}

/// Checks one lesson file and prints its report; false when it has a problem.
pub fn check(out: &mut dyn Write, file: &str) -> bool {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            say!(out, "{file}: cannot be read: {e}");
            return false;
        }
    };
    let result = lesson::parse(&text).and_then(|l| answer::verify(&l).map(|r| (l, r)));
    let (lesson, reports) = match result {
        Ok(found) => found,
        Err(problems) => {
            say!(out, "{file}: {} problem(s)", problems.len());
            for p in problems {
                say!(out, "  - {p}");
            }
            return false;
        }
    };
    say!(
        out,
        "{file}: ok — \"{}\" ({}), {} steps",
        lesson.title,
        lesson.id,
        lesson.steps.len()
    );
    for (i, (step, report)) in lesson.steps.iter().zip(&reports).enumerate() {
        say!(out, "  {}. {}", i + 1, report.title);
        if let (Some(task), Some((readout, now))) = (&step.task, &report.task) {
            let now = now.as_ref().map_or("no value yet".into(), |r| r.to_text());
            let c = &task.done_when;
            let wanted = match (&c.is, c.at_least, c.at_most) {
                (Some(is), _, _) => format!("is {is}"),
                (_, Some(min), _) => format!("≥ {}", Reading::Number(min).to_text()),
                (_, _, Some(max)) => format!("≤ {}", Reading::Number(max).to_text()),
                _ => String::new(),
            };
            say!(
                out,
                "     task: done when {readout} {wanted} (it reads {now} when the step opens)"
            );
        }
        if let (Some(q), Some((ask, truth, right))) = (&step.question, &report.question) {
            let ask = markdown::parse(ask)
                .map(|b| markdown::plain_text(&b))
                .unwrap_or_default();
            say!(out, "     asks: {ask}");
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
                out,
                "     answer: {}{unit}{choice}  [{} at the end of its run]",
                truth.to_text(),
                q.readout
            );
        }
    }
    true
}

/// Every readout a lesson can name, scene by scene.
pub fn print_readouts(out: &mut dyn Write) {
    fn scene<M: Readouts + Metrics>(out: &mut dyn Write, name: &str) {
        say!(out, "{name}:");
        for metric in M::METRIC_NAMES {
            say!(out, "  {metric}  (a charted metric column)");
        }
        for spec in M::READOUTS {
            say!(out, "  {}  {}", spec.written(), spec.meaning);
        }
    }
    scene::<scalelab_core::balancing::BalancingModel>(out, "balancing");
    scene::<scalelab_core::caching::CachingRace>(out, "caching");
    scene::<scalelab_core::sharding::ShardingModel>(out, "sharding");
    scene::<scalelab_core::scaling::ScalingModel>(out, "scaling");
    scene::<scalelab_core::system::SystemModel>(out, "system");
}
