//! A small SVG line chart for metric series. Each line also has its own dash pattern and a
//! labelled legend, so colour is never the only way to tell lines apart.

use std::fmt::Write as _;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
pub struct Line {
    /// Column index into each row's values.
    pub column: usize,
    pub label: AttrValue,
}

#[derive(Properties, Clone)]
pub struct ChartProps {
    pub title: AttrValue,
    pub rows: std::rc::Rc<Vec<(f64, Vec<f64>)>>,
    pub lines: Vec<Line>,
    /// Fixed top of the y axis (e.g. 1.0 for a rate); otherwise the data's maximum.
    #[prop_or_default]
    pub y_max: Option<f64>,
    /// Show values as percentages of 1.0.
    #[prop_or_default]
    pub percent: bool,
}

/// Rows are compared by identity: the player hands out a new `Rc` only when a row changed, so
/// a chart is re-rendered only when its data did (comparing the rows themselves would never
/// find them equal, as missing values are NaN).
impl PartialEq for ChartProps {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.rows, &other.rows)
            && self.title == other.title
            && self.lines == other.lines
            && self.y_max.map(f64::to_bits) == other.y_max.map(f64::to_bits)
            && self.percent == other.percent
    }
}

/// `v` rounded to tenths, as `{:.1}` would write it but without float formatting (a chart
/// writes thousands of these per redraw).
fn push_tenths(out: &mut String, v: f64) {
    let tenths = (v * 10.0).round();
    if !tenths.is_finite() || tenths.abs() >= 1e15 {
        let _ = write!(out, "{v:.1}");
        return;
    }
    let tenths = tenths as i64;
    if tenths < 0 {
        out.push('-');
    }
    let a = tenths.unsigned_abs();
    // Integer formatting is cheap; only float formatting was the cost.
    let _ = write!(out, "{}.{}", a / 10, a % 10);
}

const W: f64 = 320.0;
const H: f64 = 120.0;
const PAD_L: f64 = 40.0;
const PAD_B: f64 = 16.0;

#[component]
pub fn Chart(p: &ChartProps) -> Html {
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
            format!("{:.0}%", v * 100.0)
        } else if v >= 100.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.2}")
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
            <div class="plot" style={format!("aspect-ratio: {W} / {H}")}>
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={format!("{}: {}", p.title, summary)}>
                <line class="axis" x1={PAD_L.to_string()} y1={(H - PAD_B).to_string()} x2={W.to_string()} y2={(H - PAD_B).to_string()} />
                <line class="axis" x1={PAD_L.to_string()} y1="4" x2={PAD_L.to_string()} y2={(H - PAD_B).to_string()} />
                <text class="tick" x={(PAD_L - 4.0).to_string()} y="12" text-anchor="end">{ fmt(y_max) }</text>
                <text class="tick" x={(PAD_L - 4.0).to_string()} y={(H - PAD_B).to_string()} text-anchor="end">{ "0" }</text>
                <text class="tick" x={W.to_string()} y={H.to_string()} text-anchor="end">{ format!("{t1:.1} s") }</text>
                { for p.lines.iter().enumerate().map(|(i, l)| {
                    let mut pts = String::with_capacity(rows.len() * 12);
                    for (t, v) in rows.iter() {
                        if let Some(v) = v.get(l.column).filter(|v| v.is_finite()) {
                            if !pts.is_empty() {
                                pts.push(' ');
                            }
                            push_tenths(&mut pts, x(*t));
                            pts.push(',');
                            push_tenths(&mut pts, y(*v));
                        }
                    }
                    html! { <polyline class={format!("series s{i}")} points={pts} /> }
                }) }
            </svg>
            </div>
            <ul class="legend">
                { for p.lines.iter().enumerate().map(|(i, l)| html! {
                    <li><svg width="22" height="8" aria-hidden="true"><line class={format!("series s{i}")} x1="0" y1="4" x2="22" y2="4" /></svg>{ l.label.clone() }</li>
                }) }
            </ul>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::push_tenths;

    #[test]
    fn tenths_read_like_float_formatting() {
        for v in [
            0.0, 0.04, 0.05, 1.26, 9.95, 40.0, 123.456, 316.04, -2.5, -0.26, 1e9,
        ] {
            let mut s = String::new();
            push_tenths(&mut s, v);
            let want = format!("{v:.1}");
            let (a, b): (f64, f64) = (s.parse().unwrap(), want.parse().unwrap());
            assert!((a - b).abs() <= 0.1 + 1e-9, "{v}: {s} vs {want}");
            assert_eq!(s.split('.').nth(1).map(str::len), Some(1), "{s}");
        }
        let mut s = String::new();
        push_tenths(&mut s, 12.34);
        assert_eq!(s, "12.3");
    }
}
