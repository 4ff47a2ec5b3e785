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
    El::new("p")
        .set(Attr::Class, "caching-warming")
        .child(bar)
        .text(" ")
        .text(text)
        .html()
}

fn stampede(s: &StampedeCost) -> Html {
    let loads = format!("{} origin load{}", s.loads, plural(s.loads));
    // While reads are unanswered the badge has no verdict; then one load is the cure.
    let class = if s.answered < s.reads {
        "badge"
    } else if s.loads > 1 {
        "badge warn"
    } else {
        "badge ok"
    };
    let badge = El::new("span").set(Attr::Class, class).text(loads);
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
    El::new("p")
        .set(Attr::Class, "caching-stampede")
        .el(badge)
        .text(text)
        .html()
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
    let keys = if buffered.is_empty() {
        String::new()
    } else {
        format!(": {}", key_list(buffered))
    };
    El::new("p")
        .set(Attr::Class, "caching-buffer")
        .text(head)
        .text(keys)
        .html()
}

fn lost(lost: &[LostWrite]) -> Html {
    let n = lost.len() as u64;
    let mut keys = El::new("p").set(Attr::Class, "caching-lost-keys").set(
        Attr::Style,
        "display:flex;flex-wrap:wrap;gap:0.25rem 0.4rem;margin-top:0.25rem",
    );
    for l in lost.iter().take(MAX_LISTED) {
        let title = format!(
            "version {} never reached the origin, which still has version {}",
            l.version, l.origin_version
        );
        let text = format!(
            "✕ LOST key:{} v{} (origin v{})",
            l.key, l.version, l.origin_version
        );
        keys = keys.el(El::new("span")
            .set(Attr::Class, "badge warn")
            .string(Attr::Title, title)
            .text(text));
    }
    keys = keys.maybe((lost.len() > MAX_LISTED).then(|| {
        El::new("span")
            .set(Attr::Class, "muted")
            .text(format!("… and {} more", lost.len() - MAX_LISTED))
    }));
    let summary = format!(
        " The crash lost {n} buffered write{}; the origin still has the older versions:",
        plural(n)
    );
    El::new("div")
        .set(Attr::Class, "caching-lost")
        .set(Attr::Role, "status")
        .el(El::new("p")
            .el(El::new("span")
                .set(Attr::Class, "badge warn")
                .text("⚠ DATA LOST"))
            .text(summary))
        .el(keys)
        .html()
}

/// The `<div class="caching-status">`.
pub fn status(m: &CachingModel) -> Html {
    let buffered = m.buffered_keys();
    let write_behind = matches!(m.config().write_policy, WritePolicy::WriteBehind { .. });
    let lost_writes = m.lost_writes();
    let or_none = |h: Option<Html>| h.unwrap_or_default();
    El::new("div")
        .set(Attr::Class, "caching-status")
        .set(Attr::AriaLive, "off")
        .child(or_none(m.last_warming().map(warming)))
        .child(or_none(m.last_stampede().map(stampede)))
        .child(or_none(
            (write_behind || !buffered.is_empty()).then(|| buffer(&buffered)),
        ))
        .child(or_none(
            (!lost_writes.is_empty()).then(|| lost(lost_writes)),
        ))
        .html()
}
