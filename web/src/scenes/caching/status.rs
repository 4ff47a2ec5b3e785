//! What the last operations did: the warm-up's progress, the last stampede's cost at the
//! origin, the write-behind buffer, and the writes the last crash lost.

use crate::components::svg::{Attr, El};
use crate::fixed::fixed;
use scalelab_core::caching::{
    CachingModel, Key, LostWrite, StampedeCost, WarmingProgress, WritePolicy,
};
use yew::prelude::*;

/// Keys listed by name; the rest are counted.
const MAX_LISTED: usize = 24;

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn warming(w: &WarmingProgress) -> Html {
    let total = w.to_load().max(1);
    let done = w.loaded.min(total);
    let text = match w.elapsed {
        Some(e) => format!(
            "Warm-up done: {} keys loaded, {} already cached, in {} ms of simulated time.",
            w.loaded,
            w.skipped,
            fixed(e.as_micros() as f64 / 1e3, 0)
        ),
        None => format!(
            "Warming: {done} of {} keys loaded ({} already cached)…",
            w.to_load(),
            w.skipped
        ),
    };
    // Built, not `html!`: the macro sets `value` only on `input` and `textarea`.
    let bar = El::new("progress")
        .a(Attr::Max, total.to_string())
        .a(Attr::Value, done.to_string())
        .set(Attr::AriaLabel, "Warm-up progress")
        .html();
    html! { <p class="caching-warming">{bar}{" "}{text}</p> }
}

fn stampede(s: &StampedeCost) -> Html {
    let loads = format!("{} origin load{}", s.loads, plural(s.loads));
    // While reads are unanswered the badge has no verdict; then one load is the cure.
    let badge = if s.answered < s.reads {
        html! { <span class="badge">{loads}</span> }
    } else if s.loads > 1 {
        html! { <span class="badge warn">{loads}</span> }
    } else {
        html! { <span class="badge ok">{loads}</span> }
    };
    let text = format!(
        " Stampede: {} concurrent reads of cold key:{} (coalescing {}) → {} origin load{}, {} waited on a load in flight, {} of {} answered.",
        s.reads,
        s.key,
        if s.coalescing { "on" } else { "off" },
        s.loads,
        plural(s.loads),
        s.waits,
        s.answered.min(s.reads),
        s.reads
    );
    html! { <p class="caching-stampede">{badge}{text}</p> }
}

fn key_list(keys: &[Key]) -> String {
    let mut out: Vec<String> = keys
        .iter()
        .take(MAX_LISTED)
        .map(|k| format!("key:{k}"))
        .collect();
    if keys.len() > MAX_LISTED {
        out.push(format!("… {} more", keys.len() - MAX_LISTED));
    }
    out.join(" ")
}

fn buffer(buffered: &[Key]) -> Html {
    let n = buffered.len() as u64;
    let head = format!(
        "Write-behind buffer: {n} write{} not yet at the origin",
        plural(n)
    );
    let keys = (!buffered.is_empty()).then(|| format!(": {}", key_list(buffered)));
    html! { <p class="caching-buffer">{head}{keys}</p> }
}

fn lost(lost: &[LostWrite]) -> Html {
    let n = lost.len() as u64;
    let badges = lost.iter().take(MAX_LISTED).map(|l| {
        let title = format!(
            "version {} never reached the origin, which still has version {}",
            l.version, l.origin_version
        );
        let text = format!(
            "✕ LOST key:{} v{} (origin v{})",
            l.key, l.version, l.origin_version
        );
        html! { <span class="badge warn" {title}>{text}</span> }
    });
    let more = (lost.len() > MAX_LISTED).then(|| {
        let text = format!("… and {} more", lost.len() - MAX_LISTED);
        html! { <span class="muted">{text}</span> }
    });
    let summary = format!(
        " The crash lost {n} buffered write{}; the origin still has the older versions:",
        plural(n)
    );
    html! {
        <div class="caching-lost" role="status">
            <p><span class="badge warn">{"⚠ DATA LOST"}</span>{summary}</p>
            <p
                class="caching-lost-keys"
                style="display:flex;flex-wrap:wrap;gap:0.25rem 0.4rem;margin-top:0.25rem"
            >
                {for badges}
                {more}
            </p>
        </div>
    }
}

/// The `<div class="caching-status">`.
pub fn status(m: &CachingModel) -> Html {
    let buffered = m.buffered_keys();
    let write_behind = matches!(m.config().write_policy, WritePolicy::WriteBehind { .. });
    let lost_writes = m.lost_writes();
    html! {
        <div class="caching-status" aria-live="off">
            {m.last_warming().map(warming)}
            {m.last_stampede().map(stampede)}
            {(write_behind || !buffered.is_empty()).then(|| buffer(&buffered))}
            {(!lost_writes.is_empty()).then(|| lost(lost_writes))}
        </div>
    }
}
