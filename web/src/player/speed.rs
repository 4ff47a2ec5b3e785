//! The speed ladder: how fast simulated time runs against the wall clock, one ladder for every
//! scene, so "10×" means ten seconds of simulated time each second wherever a student reads it.
//!
//! A step is one event of the simulation, and a scene's events are milliseconds apart
//! (balancing) or a second apart (scaling's ticks); a ladder in steps per second meant a
//! different pace in each scene. The rungs run 1-2-5 from 1/1000× to 1000×, so each is an
//! exact decimal in a link (`speed=0.02`) and an exact fraction on screen (`1/50×`).

use crate::input::{clip, InputProblem};

/// Simulated seconds per wall second at each rung; the last means "as fast as this machine
/// simulates" (nothing drawn between the few redraws a second).
pub const RATES: [f64; 20] = [
    0.001,
    0.002,
    0.005,
    0.01,
    0.02,
    0.05,
    0.1,
    0.2,
    0.5,
    1.0,
    2.0,
    5.0,
    10.0,
    20.0,
    50.0,
    100.0,
    200.0,
    500.0,
    1_000.0,
    f64::INFINITY,
];

/// The top rung: as fast as the machine simulates.
pub const MAX_SPEED: usize = RATES.len() - 1;

/// The rung whose rate is nearest `rate` (by ratio, so 15× is nearer 20× than 10×).
pub fn nearest(rate: f64) -> usize {
    if rate.is_infinite() {
        return MAX_SPEED;
    }
    let mut best = 0;
    for (i, r) in RATES.iter().enumerate().take(MAX_SPEED) {
        let better = |a: f64, b: f64| (rate / a).max(a / rate) < (rate / b).max(b / rate);
        if RATES.get(best).is_some_and(|&b| better(*r, b)) {
            best = i;
        }
    }
    best
}

/// The rate at rung `index` (1× for an index past the ladder).
pub fn rate(index: usize) -> f64 {
    RATES.get(index).copied().unwrap_or(1.0)
}

/// The speed as the control bar shows it: `1/50×`, `1×`, `20×`, `max`.
pub fn speed_label(index: usize) -> String {
    let r = rate(index);
    if r.is_infinite() {
        "max".into()
    } else if r < 1.0 {
        format!("1/{}×", scalelab_core::num_text::Fixed(1.0 / r, 0))
    } else {
        format!("{}×", scalelab_core::num_text::Fixed(r, 0))
    }
}

/// The control bar's speed text: `Speed 1/50×`, or the pace kept when this machine falls
/// behind the pace asked (`Speed: asked 100×, running 40×`), so a student is never told a
/// pace the drawing does not keep.
pub fn speed_text(index: usize, kept: Option<f64>) -> String {
    match kept {
        Some(kept) => format!(
            "Speed: asked {}, running {}",
            speed_label(index),
            pace_label(kept)
        ),
        None => format!("Speed {}", speed_label(index)),
    }
}

/// A measured pace as a student reads it: `40×`, `2.5×`, `1/130×`.
fn pace_label(rate: f64) -> String {
    use scalelab_core::num_text::Fixed;
    if rate >= 10.0 {
        format!("{}×", Fixed(rate, 0))
    } else if rate >= 1.0 {
        format!("{}×", Fixed(rate, 1))
    } else if rate > 0.0 {
        format!("1/{}×", Fixed(1.0 / rate, 0))
    } else {
        "0×".into()
    }
}

/// What the speed means, in a sentence a student (and a screen reader) reads.
pub fn speed_meaning(index: usize) -> String {
    let r = rate(index);
    if r.is_infinite() {
        "as fast as this computer can simulate; the drawing shows the state a few times a second"
            .into()
    } else if r < 1.0 {
        format!(
            "1 s of simulated time takes {} s",
            scalelab_core::num_text::Fixed(1.0 / r, 0)
        )
    } else if r == 1.0 {
        "simulated time runs as fast as the clock on the wall".into()
    } else {
        format!(
            "{} s of simulated time pass every second",
            scalelab_core::num_text::Fixed(r, 0)
        )
    }
}

/// How a link writes the speed: the rate as a decimal (`0.02`, `20`) or `max`.
pub fn speed_value(index: usize) -> String {
    let r = rate(index);
    if r.is_infinite() {
        "max".into()
    } else {
        scalelab_core::num_text::shortest(r)
    }
}

/// Reads a link's `speed=`: `max` or a positive rate. A rate between two rungs plays at the
/// nearer one, with a note saying so (the second value); anything else is a problem.
pub fn parse_speed(text: &str) -> Result<(usize, Option<String>), InputProblem> {
    if text == "max" {
        return Ok((MAX_SPEED, None));
    }
    let problem = || InputProblem {
        param: "speed".into(),
        given: clip(text),
        accepted: "max or simulated seconds per second, from 0.001 to 1000 (0.02, 1, 50)".into(),
    };
    let asked = crate::decimal::parse(text)
        .filter(|r| r.is_finite() && *r > 0.0)
        .ok_or_else(problem)?;
    let index = nearest(asked);
    let note = (rate(index) != asked).then(|| {
        format!(
            "The link asks for speed {}; the nearest speed on the ladder is {}.",
            clip(text),
            speed_label(index)
        )
    });
    Ok((index, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rung_reads_back_from_its_link_value() {
        for i in 0..RATES.len() {
            assert_eq!(parse_speed(&speed_value(i)), Ok((i, None)), "rung {i}");
        }
    }

    #[test]
    fn labels_are_fractions_below_one_and_multiples_above() {
        assert_eq!(speed_label(0), "1/1000×");
        assert_eq!(speed_label(4), "1/50×");
        assert_eq!(speed_label(9), "1×");
        assert_eq!(speed_label(13), "20×");
        assert_eq!(speed_label(MAX_SPEED), "max");
        assert_eq!(speed_meaning(4), "1 s of simulated time takes 50 s");
        assert_eq!(
            speed_meaning(13),
            "20 s of simulated time pass every second"
        );
    }

    #[test]
    fn behind_says_the_pace_kept() {
        assert_eq!(speed_text(15, None), "Speed 100×");
        assert_eq!(speed_text(15, Some(40.2)), "Speed: asked 100×, running 40×");
        assert_eq!(speed_text(9, Some(0.5)), "Speed: asked 1×, running 1/2×");
        assert_eq!(speed_text(9, Some(2.46)), "Speed: asked 1×, running 2.5×");
    }

    #[test]
    fn a_rate_between_rungs_plays_at_the_nearer_with_a_note() {
        let (i, note) = parse_speed("16").expect("a rate");
        assert_eq!(speed_label(i), "20×");
        assert!(note.is_some_and(|n| n.contains("20×")));
        assert_eq!(parse_speed("0.0001").map(|(i, _)| i), Ok(0));
        assert_eq!(parse_speed("1e9").map(|(i, _)| i), Ok(MAX_SPEED - 1));
        for bad in ["", "0", "-1", "fast", "inf", "NaN", "1e999"] {
            assert!(parse_speed(bad).is_err(), "{bad:?}");
        }
    }
}
