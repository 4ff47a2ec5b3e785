//! What every part of the caching page shares: how long a mark stays on screen, how it fades,
//! the colours and words of eviction reasons and W-TinyLFU regions, and how a rate reads.

use crate::components::svg::{Attr, El};
use crate::fixed::fixed;
use scalelab_core::caching::{EvictionReason, Region};

/// A flash (hit, insert, promotion) lasts this long; an evicted entry takes this to leave;
/// an origin load's dot takes this to travel (ms of wall time).
pub const FLASH_MS: f64 = 700.0;
pub const LEAVE_MS: f64 = 1_000.0;
pub const TRAVEL_MS: f64 = 600.0;

/// 0 → 1 over `span` ms of age; the end state at once when motion is reduced.
pub fn progress(age: f64, span: f64, reduced: bool) -> f64 {
    if reduced {
        1.0
    } else {
        (age / span).clamp(0.0, 1.0)
    }
}

/// A flash fades out, unless motion is reduced (then it simply disappears at the end).
pub fn fade(age: f64, span: f64, reduced: bool) -> f64 {
    if reduced {
        1.0
    } else {
        (1.0 - age / span).clamp(0.15, 1.0)
    }
}

/// How the page names an eviction reason ("out: capacity").
pub fn reason_label(r: EvictionReason) -> &'static str {
    match r {
        EvictionReason::Capacity => "capacity",
        EvictionReason::Expired => "expiry",
        EvictionReason::Explicit => "explicit",
    }
}

pub fn reason_colour(r: EvictionReason) -> &'static str {
    match r {
        EvictionReason::Capacity => "var(--warn)",
        EvictionReason::Expired => "var(--muted)",
        EvictionReason::Explicit => "var(--accent)",
    }
}

/// A W-TinyLFU region's colour (the single-list policies' `Main` has none).
pub fn region_colour(r: Region) -> Option<&'static str> {
    match r {
        Region::Main => None,
        Region::Window => Some("var(--s1)"),
        Region::Probation => Some("var(--s3)"),
        Region::Protected => Some("var(--s0)"),
    }
}

/// A region's name where a dense grid has little room.
pub fn region_short(r: Region) -> &'static str {
    match r {
        Region::Main => "",
        Region::Window => "win",
        Region::Probation => "prob",
        Region::Protected => "prot",
    }
}

/// A rate as a whole percentage, "—" before there is one.
pub fn pct(r: Option<f64>) -> String {
    r.map(|r| format!("{}%", fixed(r * 100.0, 0)))
        .unwrap_or_else(|| "—".into())
}

/// An unfilled rounded rectangle `pad` units outside the box `x, y, w, h`: the rings round a
/// slot or cell just hit, the selection's outline, the origin lit while it loads. The caller
/// sets its stroke.
pub fn outline((x, y, w, h): (f64, f64, f64, f64), pad: f64, rx: &'static str) -> El {
    El::new("rect")
        .num(Attr::X, x - pad)
        .num(Attr::Y, y - pad)
        .num(Attr::Width, w + 2.0 * pad)
        .num(Attr::Height, h + 2.0 * pad)
        .set(Attr::Rx, rx)
        .set(Attr::Fill, "none")
}

/// A text centred on `x`.
pub fn middle_text(x: f64, y: f64) -> El {
    El::new("text")
        .num(Attr::X, x)
        .num(Attr::Y, y)
        .set(Attr::TextAnchor, "middle")
}
