//! The speed ladder: how fast simulated time runs against the wall clock, one ladder for every
//! scene, so "10×" means ten seconds of simulated time each second wherever a student reads it.
//!
//! A step is one event of the simulation, and a scene's events are milliseconds apart
//! (balancing) or a second apart (scaling's ticks); a ladder in steps per second meant a
//! different pace in each scene. The rungs run 1-2-5 from 1/1000× to 1000×, so each is an
//! exact decimal in a link (`speed=0.02`) and an exact fraction on screen (`1/50×`).

use crate::input::{clip, InputProblem};

/// The ladder, slowest first: each rung's rate (simulated seconds per wall second) and its
/// link value (`speed=0.02`), written out so no page formats or parses a float for it. The
/// ladder is symmetric about 1×, so a slow rung's label (`1/50×`) is read off the fast rung
/// opposite. The last rung is "as fast as this machine simulates" (nothing drawn between the
/// few redraws a second).
pub const RUNGS: [(f64, &str); 20] = [
    (0.001, "0.001"),
    (0.002, "0.002"),
    (0.005, "0.005"),
    (0.01, "0.01"),
    (0.02, "0.02"),
    (0.05, "0.05"),
    (0.1, "0.1"),
    (0.2, "0.2"),
    (0.5, "0.5"),
    (1.0, "1"),
    (2.0, "2"),
    (5.0, "5"),
    (10.0, "10"),
    (20.0, "20"),
    (50.0, "50"),
    (100.0, "100"),
    (200.0, "200"),
    (500.0, "500"),
    (1_000.0, "1000"),
    (f64::INFINITY, "max"),
];

/// The 1× rung, the ladder's middle.
const ONE: usize = 9;

/// The top rung: as fast as the machine simulates.
pub const MAX_SPEED: usize = RUNGS.len() - 1;

/// The rung whose rate is `rate`, at compile time: a scene's own speed must be a rung.
#[allow(
    clippy::indexing_slicing,
    clippy::panic,
    reason = "evaluated in a const block: an index stays within the loop's bound, and a rate \
              that is no rung fails the build, never a page"
)]
pub const fn rung_of(rate: f64) -> usize {
    let mut i = 0;
    while i < RUNGS.len() {
        if RUNGS[i].0 == rate {
            return i;
        }
        i += 1;
    }
    panic!("not a rung of the speed ladder")
}

/// The rate at rung `index` (1× for an index past the ladder).
pub fn rate(index: usize) -> f64 {
    RUNGS.get(index).map_or(1.0, |r| r.0)
}

/// How a link writes the speed: the rate as a decimal (`0.02`, `20`) or `max`.
pub fn speed_value(index: usize) -> &'static str {
    RUNGS.get(index).map_or("1", |r| r.1)
}

/// How many wall seconds one simulated second takes below 1× (`50` at 1/50×), how many
/// simulated seconds pass each wall second above (`20` at 20×); empty at 1× and at max.
fn figure(index: usize) -> &'static str {
    match index {
        i if i < ONE => speed_value(2 * ONE - i),
        i if i > ONE && i < MAX_SPEED => speed_value(i),
        _ => "",
    }
}

/// The speed as the control bar shows it: `1/50×`, `1×`, `20×`, `max`.
pub fn speed_label(index: usize) -> String {
    let mut label = String::new();
    if index < ONE {
        label.push_str("1/");
    }
    match figure(index) {
        "" if index >= MAX_SPEED => return "max".into(),
        "" => label.push('1'),
        f => label.push_str(f),
    }
    label.push('×');
    label
}

/// The control bar's speed text: `Speed 1/50×`, or the pace kept when this machine falls
/// behind the pace asked (`Speed: asked 100×, running 40×`), so a student is never told a
/// pace the drawing does not keep.
pub fn speed_text(index: usize, kept: Option<f64>) -> String {
    let mut text = String::from("Speed");
    match kept {
        Some(kept) => {
            text.push_str(": asked ");
            text.push_str(&speed_label(index));
            text.push_str(", running ");
            text.push_str(&pace_label(kept));
        }
        None => {
            text.push(' ');
            text.push_str(&speed_label(index));
        }
    }
    text
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
    let (before, after) = if r.is_infinite() {
        ("as fast as this computer can simulate; the drawing shows the state a few times a second", "")
    } else if r < 1.0 {
        ("1 s of simulated time takes ", " s")
    } else if index == ONE {
        ("simulated time runs as fast as the clock on the wall", "")
    } else {
        ("", " s of simulated time pass every second")
    };
    let mut text = String::from(before);
    text.push_str(figure(index));
    text.push_str(after);
    text
}

/// Reads a link's `speed=`: one of the rungs' link values (`0.02`, `20`, `max`). Anything
/// else is a problem that lists them: a rung is what the control bar can show, and a link that
/// names one is read without parsing a number.
pub fn parse_speed(text: &str) -> Result<usize, InputProblem> {
    RUNGS
        .iter()
        .position(|r| r.1 == text)
        .ok_or_else(|| InputProblem {
            param: "speed".into(),
            given: clip(text),
            accepted: "a rung of the speed ladder: 0.001, 0.002, 0.005 … 0.5, 1, 2, 5 … 1000 \
                       (simulated seconds per second), or max"
                .into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rung_reads_back_from_its_link_value() {
        for i in 0..RUNGS.len() {
            assert_eq!(parse_speed(speed_value(i)), Ok(i), "rung {i}");
            assert_eq!(rung_of(rate(i)), i);
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
    fn anything_but_a_rung_is_a_problem_that_lists_them() {
        for bad in [
            "", "0", "16", "0.020", "-1", "fast", "inf", "NaN", "MAX", "1e3",
        ] {
            let p = parse_speed(bad).expect_err(bad);
            assert_eq!(p.param, "speed");
            assert!(
                p.accepted.contains("0.001") && p.accepted.contains("max"),
                "{bad:?}"
            );
        }
    }
}
