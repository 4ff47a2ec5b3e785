//! A small SVG line chart for metric series. Each line also has its own dash pattern and a
//! labelled legend, so colour is never the only way to tell lines apart.

use crate::components::memo::{memo, View};
use crate::components::svg::{Attr, El};
use crate::fixed::{fixed, push_fixed};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub struct Line {
    /// Column index into each row's values.
    pub column: usize,
    pub label: AttrValue,
}

/// A chart: what it shows, drawn through [`memo`] (see [`time_chart`]).
#[derive(Clone)]
pub struct Chart {
    pub title: AttrValue,
    pub rows: Rc<Vec<(f64, Vec<f64>)>>,
    pub lines: Vec<Line>,
    /// Fixed top of the y axis (e.g. 1.0 for a rate); otherwise the data's maximum.
    pub y_max: Option<f64>,
    /// Show values as percentages of 1.0.
    pub percent: bool,
    /// The x axis's right-end label, for rows whose x is not simulated time (by default the
    /// last row's time, in seconds).
    pub x_end: Option<AttrValue>,
}

/// Rows are compared by identity: the player hands out a new `Rc` only when a row changed, so
/// a chart is re-rendered only when its data did (comparing the rows themselves would never
/// find them equal, as missing values are NaN).
impl PartialEq for Chart {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rows, &other.rows)
            && self.title == other.title
            && self.lines == other.lines
            && self.y_max.map(f64::to_bits) == other.y_max.map(f64::to_bits)
            && self.percent == other.percent
            && self.x_end == other.x_end
    }
}

const W: f64 = 320.0;
const H: f64 = 120.0;
const PAD_L: f64 = 40.0;
const PAD_B: f64 = 16.0;
// The same numbers as the drawing's fixed attributes, written once (a test checks they agree).
const VIEW_BOX: &str = "0 0 320 120";
const ASPECT: &str = "aspect-ratio: 320 / 120";
const X_AXIS: &str = "40"; // PAD_L
const TICK_X: &str = "36"; // PAD_L - 4
const BASE_Y: &str = "104"; // H - PAD_B
const RIGHT: &str = "320"; // W
const BOTTOM: &str = "120"; // H

/// A chart of `lines` over `rows` against simulated time (in numbers, not percentages), drawn
/// through [`crate::components::memo::memo`]: what most of the scenes' charts are.
pub fn time_chart(
    title: &'static str,
    rows: Rc<Vec<(f64, Vec<f64>)>>,
    lines: Vec<Line>,
    y_max: Option<f64>,
) -> Html {
    memo(Chart {
        title: title.into(),
        rows,
        lines,
        y_max,
        percent: false,
        x_end: None,
    })
}

impl View for Chart {
    fn view(&self) -> Html {
        chart(self)
    }
}

fn chart(p: &Chart) -> Html {
    let rows = &p.rows;
    let t0 = rows.first().map(|r| r.0).unwrap_or(0.0);
    let t1 = rows.last().map(|r| r.0).unwrap_or(1.0).max(t0 + 1e-9);
    let data_max = rows
        .iter()
        .flat_map(|(_, v)| p.lines.iter().filter_map(move |l| v.get(l.column).copied()))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let y_max = p.y_max.unwrap_or(data_max).max(1e-9);
    let percent = p.percent;
    let fmt = move |v: f64| {
        if percent {
            format!("{}%", fixed(v * 100.0, 0))
        } else if v >= 100.0 {
            fixed(v, 0)
        } else {
            fixed(v, 2)
        }
    };
    let x = |t: f64| PAD_L + (t - t0) / (t1 - t0) * (W - PAD_L - 4.0);
    let y = |v: f64| (H - PAD_B) - (v / y_max).clamp(0.0, 1.0) * (H - PAD_B - 6.0);
    let summary = p
        .lines
        .iter()
        .map(|l| {
            let last = rows
                .last()
                .and_then(|r| r.1.get(l.column))
                .copied()
                .unwrap_or(0.0);
            format!("{} {}", l.label, fmt(last))
        })
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <figure class="chart">
            <figcaption>{ p.title.clone() }</figcaption>
            // Strict containment at the plot's aspect ratio: redrawing the lines (every frame
            // while a scene plays) is laid out and painted within this box alone.
            <div class="plot" style={ASPECT}>
            <svg viewBox={VIEW_BOX} role="img" aria-label={format!("{}: {}", p.title, summary)}>
                <line class="axis" x1={X_AXIS} y1={BASE_Y} x2={RIGHT} y2={BASE_Y} />
                <line class="axis" x1={X_AXIS} y1="4" x2={X_AXIS} y2={BASE_Y} />
                <text class="tick" x={TICK_X} y="12" text-anchor="end">{ fmt(y_max) }</text>
                <text class="tick" x={TICK_X} y={BASE_Y} text-anchor="end">{ "0" }</text>
                <text class="tick" x={RIGHT} y={BOTTOM} text-anchor="end">{ p.x_end.clone().unwrap_or_else(|| format!("{} s", fixed(t1, 1)).into()) }</text>
                { for p.lines.iter().enumerate().map(|(i, l)| {
                    let mut pts = String::with_capacity(rows.len() * 12);
                    for (t, v) in rows.iter() {
                        if let Some(v) = v.get(l.column).filter(|v| v.is_finite()) {
                            if !pts.is_empty() {
                                pts.push(' ');
                            }
                            push_fixed(&mut pts, x(*t), 1);
                            pts.push(',');
                            push_fixed(&mut pts, y(*v), 1);
                        }
                    }
                    series_mark(El::new("polyline"), i).a(Attr::Points, pts).html()
                }) }
            </svg>
            </div>
            <ul class="legend">
                { for p.lines.iter().enumerate().map(|(i, l)| html! {
                    <li>
                        <svg width="22" height="8" aria-hidden="true">
                            { series_mark(El::new("line"), i).set(Attr::X1, "0").set(Attr::Y1, "4").set(Attr::X2, "22").set(Attr::Y2, "4").html() }
                        </svg>
                        { l.label.clone() }
                    </li>
                }) }
            </ul>
        </figure>
    }
}

/// A line or swatch in series `i`'s colour and dash (`series s<i>` in style.css). Built with
/// `El`: a computed class in `html!` goes through yew's `Classes` set, which would cost every
/// page about 2.5 KB gzipped for this one attribute.
fn series_mark(el: El, i: usize) -> El {
    el.string(Attr::Class, format!("series s{i}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_attributes_match_the_constants() {
        assert_eq!(VIEW_BOX, format!("0 0 {W} {H}"));
        assert_eq!(ASPECT, format!("aspect-ratio: {W} / {H}"));
        assert_eq!(X_AXIS, PAD_L.to_string());
        assert_eq!(TICK_X, (PAD_L - 4.0).to_string());
        assert_eq!(BASE_Y, (H - PAD_B).to_string());
        assert_eq!(RIGHT, W.to_string());
        assert_eq!(BOTTOM, H.to_string());
    }
}
