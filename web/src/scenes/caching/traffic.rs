//! The link from L2 to the origin, and what travels on it: origin loads out, answers back
//! (with how many reads one load answered), warm fetches back, and coalesced waits. The link
//! is part of the drawing; what travels is on its marks layer.

use super::geometry::{L2_W, L2_X, MAX_DOTS, OR_X, TOP};
use super::style::{middle_text, progress, FLASH_MS, TRAVEL_MS};
use crate::components::svg::{Attr, El};
use scalelab_core::caching::CachingEvent;
use yew::Html;

/// Where the link runs: from L2's right side to the origin, at height `y`.
fn link_ends() -> ((f64, f64), (f64, f64)) {
    let y = TOP + 24.0;
    ((L2_X + L2_W - 2.0, y), (OR_X, y))
}

/// The link, labelled "miss".
pub fn link() -> Html {
    let (from, to) = link_ends();
    let y = from.1;
    El::new("g")
        .el(El::new("line")
            .set(Attr::Class, "link")
            .num(Attr::X1, from.0)
            .num(Attr::Y1, y)
            .num(Attr::X2, to.0)
            .num(Attr::Y2, y)
            .set(Attr::MarkerEnd, "url(#caching-arrow)"))
        .el(middle_text((from.0 + to.0) / 2.0, y - 4.0)
            .set(Attr::Class, "muted")
            .set(Attr::Style, "font-size:8.5px")
            .text("miss"))
        .html()
}

/// The `<g class="traffic">` of what travels on the link.
pub fn traffic(recent: &[(f64, &CachingEvent)], reduced: bool) -> Html {
    let (from, to) = link_ends();
    let y = from.1;
    let out = El::new("g").set(Attr::Class, "traffic");
    // At most MAX_DOTS marks, newest first.
    let mut marks = Vec::new();
    let mut drawn = 0;
    for (age, e) in recent.iter().rev() {
        if drawn >= MAX_DOTS {
            break;
        }
        let t = progress(*age, TRAVEL_MS, reduced);
        let (a, b, class, label) = match e {
            CachingEvent::OriginLoadStarted { .. } if *age < TRAVEL_MS => (from, to, "dot", None),
            CachingEvent::OriginLoadFinished { waiters, .. } if *age < TRAVEL_MS => (
                to,
                (L2_X + L2_W - 2.0, y + 14.0),
                "dot ok",
                (*waiters > 1).then(|| format!("→ {waiters} waiting")),
            ),
            CachingEvent::WarmFetchFinished { .. } if *age < TRAVEL_MS => {
                (to, (L2_X + L2_W - 2.0, y + 14.0), "dot ok", None)
            }
            CachingEvent::CoalescedWait { .. } if *age < FLASH_MS => {
                drawn += 1;
                marks.push(
                    El::new("text")
                        .num(Attr::X, from.0 + 2.0)
                        .num(Attr::Y, y + 14.0)
                        .set(Attr::Style, "font-size:8.5px;fill:var(--accent)")
                        .text("+1 waits")
                        .html(),
                );
                marks.push(Html::default());
                continue;
            }
            _ => continue,
        };
        drawn += 1;
        let (x, yy) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        marks.push(
            El::new("circle")
                .set(Attr::Class, class)
                .num(Attr::Cx, x)
                .num(Attr::Cy, yy)
                .set(Attr::R, "3.5")
                .html(),
        );
        marks.push(label.map_or_else(Html::default, |l| {
            El::new("text")
                .num(Attr::X, x)
                .num(Attr::Y, yy + 12.0)
                .set(Attr::FontWeight, "700")
                .set(Attr::Style, "font-size:8.5px;fill:var(--ok)")
                .kid(l)
                .html()
        }));
    }
    // Two places per mark: its dot or text, and a dot's label.
    out.list(marks).html()
}
