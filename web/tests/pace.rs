//! Play keeps the speed's pace: after a wall interval at speed X, simulated time has advanced
//! X × the interval, in every scene, at its own speed and a rung either side; a machine that
//! cannot keep up is told so, and what it simulates is the same run.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test: a panic is the failure it reports"
)]

use scalelab_core::Model;
use scalelab_web::params::ParamValues;
use scalelab_web::player::{rate, rung_of, speed_label, PlayerState};
use scalelab_web::scenes::{balancing, caching, scaling, sharding, system, Scene};
use std::cell::Cell;

/// One 60 Hz frame.
const FRAME_MS: f64 = 1_000.0 / 60.0;
/// The wall interval played.
const WALL_MS: f64 = 10_000.0;

fn player<S: Scene>(rung: usize) -> PlayerState<S> {
    let mut p = PlayerState::<S>::new(ParamValues::defaults(S::specs()), 42).expect("builds");
    p.speed = rung;
    p.playing = true;
    p
}

/// Plays `wall_ms` in 60 Hz frames; each look at the clock costs `look_ms` of wall time
/// (0: a machine that always keeps up).
fn play<S: Scene>(p: &mut PlayerState<S>, wall_ms: f64, look_ms: f64) {
    let mut now = 0.0;
    while now < wall_ms {
        now += FRAME_MS;
        let t = Cell::new(now);
        let clock = || {
            t.set(t.get() + look_ms);
            t.get()
        };
        p.frame(FRAME_MS, now, &clock);
    }
}

fn keeps_pace<S: Scene>() {
    let own = rung_of(S::SPEED);
    for rung in [own - 1, own, own + 1] {
        let mut p = player::<S>(rung);
        play(&mut p, WALL_MS, 0.0);
        let advanced = p.model().now().as_secs_f64();
        let asked = rate(rung) * WALL_MS / 1_000.0;
        let steps = p.timeline.step().max(1) as f64;
        // The model's clock moves in events: it may stand up to one event past the playhead.
        let tolerance = asked * 0.02 + 2.0 * advanced / steps;
        assert!(
            (advanced - asked).abs() <= tolerance,
            "{} at {}: {advanced} s of simulated time in {} s, asked {asked} s (± {tolerance})",
            S::ID.name(),
            speed_label(rung),
            WALL_MS / 1_000.0
        );
        assert_eq!(p.behind(), None, "{} kept up yet says behind", S::ID.name());
    }
}

#[test]
fn balancing_keeps_its_pace() {
    keeps_pace::<balancing::BalancingScene>();
}

#[test]
fn caching_keeps_its_pace() {
    keeps_pace::<caching::CachingScene>();
}

#[test]
fn sharding_keeps_its_pace() {
    keeps_pace::<sharding::ShardingScene>();
}

#[test]
fn scaling_keeps_its_pace() {
    keeps_pace::<scaling::ScalingScene>();
}

#[test]
fn system_keeps_its_pace() {
    keeps_pace::<system::SystemScene>();
}

/// Each scene's own speed shows single events and a trend in the first ten seconds: between
/// 10 and 60 steps a second on screen, and at least a hundred steps in all.
#[test]
fn every_scene_starts_at_a_readable_pace() {
    fn steps_per_second<S: Scene>() -> f64 {
        let mut p = player::<S>(rung_of(S::SPEED));
        play(&mut p, WALL_MS, 0.0);
        p.timeline.step() as f64 / (WALL_MS / 1_000.0)
    }
    for (name, per_s) in [
        ("balancing", steps_per_second::<balancing::BalancingScene>()),
        ("caching", steps_per_second::<caching::CachingScene>()),
        ("sharding", steps_per_second::<sharding::ShardingScene>()),
        ("scaling", steps_per_second::<scaling::ScalingScene>()),
        ("system", steps_per_second::<system::SystemScene>()),
    ] {
        assert!(
            (10.0..=60.0).contains(&per_s),
            "{name}: {per_s} steps a second"
        );
    }
}

/// A machine too slow for the pace asked: play says the pace it keeps, and the run is the one
/// a fast machine simulates to the same step.
#[test]
fn behind_says_the_pace_kept_and_changes_no_result() {
    type S = balancing::BalancingScene;
    let rung = rung_of(100.0);
    let mut slow = player::<S>(rung);
    // Every look at the clock costs 4 ms: a frame's 8 ms budget runs out after two chunks
    // of steps, about half of the 3 800 a frame at 100× asks for.
    play(&mut slow, 3_000.0, 4.0);
    let kept = slow.behind().expect("too slow for 100×, yet not behind");
    assert!(kept < 100.0 * 0.9, "kept {kept}×");
    assert!(kept > 0.0);

    let mut fast = player::<S>(rung);
    fast.playing = false;
    fast.seek(slow.timeline.step());
    assert_eq!(fast.model().now(), slow.model().now());
    use scalelab_core::Metrics;
    let bits = |v: Vec<f64>| v.into_iter().map(f64::to_bits).collect::<Vec<_>>();
    assert_eq!(bits(fast.model().metrics()), bits(slow.model().metrics()));
}

/// The drawing moves at the speed's pace: a dot's trip (the drawing's standard motion, which
/// stands for a request's 10 ms of service in balancing) takes on screen what 10 ms of
/// simulated time takes at the speed, and the drawing runs at the wall's pace while paused.
#[test]
fn the_drawing_moves_at_the_speeds_pace() {
    type S = balancing::BalancingScene;
    /// Wall ms the drawing's clock needs to move 700 ms (one standard motion).
    fn trip_ms(p: &mut PlayerState<S>) -> f64 {
        p.tick_drawing(0.0);
        let start = p.drawing_ms();
        let mut wall = 0.0;
        while p.drawing_ms() - start < 700.0 {
            wall += 1.0;
            p.tick_drawing(wall);
        }
        wall
    }
    for (rate, wall) in [
        (0.02, 500.0),
        (0.01, 1_000.0),
        (0.005, 2_000.0),
        (0.1, 150.0),
        (0.001, 2_500.0),
    ] {
        let mut p = player::<S>(rung_of(rate));
        let took = trip_ms(&mut p);
        assert!(
            (took - wall).abs() <= 2.0,
            "at {}: a trip takes {took} ms, not {wall}",
            speed_label(rung_of(rate))
        );
    }
    let mut paused = player::<S>(rung_of(0.001));
    paused.playing = false;
    assert!((trip_ms(&mut paused) - 700.0).abs() <= 2.0);
}
