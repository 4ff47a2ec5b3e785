//! Where the latency went: the last requests' time at each hop as stacked bars, and each hop's
//! percentiles over the recent requests and over the whole run, so the hop that sets the tail
//! stands out.

use crate::components::svg::{Attr, El};
use crate::fixed::{attr, fixed};
use scalelab_core::system::{Answer, Hop, SystemModel};
use yew::prelude::*;

/// Bars drawn (the newest requests). The list keeps room for this many from the first step
/// (`.hop-bars` in style.css).
const BARS: usize = 12;

fn hop_label(h: Hop) -> &'static str {
    match h {
        Hop::Balancer => "balancer + queue",
        Hop::App => "app CPU",
        Hop::L1 => "L1",
        Hop::L2 => "L2",
        Hop::Shard => "shard",
    }
}

fn hop_class(h: Hop) -> &'static str {
    match h {
        Hop::Balancer => "seg h-balancer",
        Hop::App => "seg h-app",
        Hop::L1 => "seg h-l1",
        Hop::L2 => "seg h-l2",
        Hop::Shard => "seg h-shard",
    }
}

fn answer_name(a: Answer) -> &'static str {
    match a {
        Answer::L1 => "L1 hit",
        Answer::L2 => "L2 hit",
        Answer::Shard => "from a shard",
        Answer::Coalesced => "coalesced",
        Answer::Write => "write",
    }
}

/// Microseconds as milliseconds with two decimals.
fn ms(us: u64) -> String {
    format!("{} ms", fixed(us as f64 / 1_000.0, 2))
}

pub fn breakdown(m: &SystemModel) -> Html {
    let recent = m.stats().recent();
    let newest: Vec<_> = recent.iter().rev().take(BARS).collect();
    let longest = newest
        .iter()
        .map(|r| r.hops.total())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let bars = newest.iter().map(|r| {
        let label = format!(
            "request {} ({}): {}",
            r.request,
            answer_name(r.answer),
            ms(r.hops.total())
        );
        // Built with `El`: a segment's class is one of five fixed names, and `El` sets it
        // without linking Yew's class-set code into the page.
        let mut svg = El::new("svg")
            .set(Attr::Class, "hops")
            .set(Attr::ViewBox, "0 0 100 10")
            .set(Attr::PreserveAspectRatio, "none")
            .set(Attr::Role, "img")
            .string(Attr::AriaLabel, label.clone());
        let mut x = 0.0;
        for h in Hop::ALL {
            let w = r.hops.at(h) as f64 / longest * 100.0;
            svg = svg.el(El::new("rect")
                .set(Attr::Class, hop_class(h))
                .val(Attr::X, attr(x, 2))
                .set(Attr::Y, "0")
                .val(Attr::Width, attr(w, 2))
                .set(Attr::Height, "10"));
            x += w;
        }
        html! {
            <li>{svg.html()}<span class="muted">{label}</span></li>
        }
    });
    let stats = m.stats();
    let rows = Hop::ALL.iter().map(|h| {
        html! {
            <tr>
                <th scope="row">{El::new("span").set(Attr::Class, hop_class(*h)).text("■ ").html()}{hop_label(*h)}</th>
                <td>{ms(stats.recent_quantile(Some(*h), 0.5))}</td>
                <td>{ms(stats.recent_quantile(Some(*h), 0.99))}</td>
                <td>{ms(stats.hop_p99(*h))}</td>
            </tr>
        }
    });
    html! {
        <section class="breakdown" aria-label="Where the latency went">
            <h3>{"Where the latency went"}</h3>
            <div class="breakdown-grid">
                <div>
                    <p class="muted">{"The newest requests, each bar split by the time it spent at each hop (longest bar = full width)."}</p>
                    <ul class="hop-bars">
                        if newest.is_empty() {
                            <li class="muted">{"No request answered yet: press Play or Step."}</li>
                        }
                        {for bars}
                    </ul>
                </div>
                <table class="hop-table">
                    <caption>{format!("Per hop, over the last {} answers and the whole run", recent.len())}</caption>
                    <thead><tr><th scope="col">{"hop"}</th><th scope="col">{"p50 recent"}</th><th scope="col">{"p99 recent"}</th><th scope="col">{"p99 whole run"}</th></tr></thead>
                    <tbody>
                        {for rows}
                        <tr>
                            <th scope="row">{"end to end"}</th>
                            <td>{ms(stats.recent_quantile(None, 0.5))}</td>
                            <td>{ms(stats.recent_quantile(None, 0.99))}</td>
                            <td>{ms(stats.end_to_end.quantile(0.99))}</td>
                        </tr>
                    </tbody>
                </table>
            </div>
        </section>
    }
}
