//! Rewind is exact: whatever sequence of steps, step-backs, seeks and user actions, the state
//! at a step is the state a straight run with the same actions reaches, and stepping back k
//! then forward k gives back identical state and events.
#![cfg(not(target_arch = "wasm32"))]
// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::sim::{SimRng, SimTime};
use scalelab_core::timeline::{Action, Timeline};
use scalelab_core::Model;
use serde::{Deserialize, Serialize};

/// A random walk: small, but random and stateful like the real models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Walk {
    t: u64,
    position: i64,
    rng: SimRng,
}

impl Model for Walk {
    type Event = (u64, i64);
    fn now(&self) -> SimTime {
        SimTime(self.t)
    }
    fn step_into(&mut self, out: &mut Vec<(u64, i64)>) {
        self.t += 1;
        self.position += self.rng.below(7) as i64 - 3;
        out.push((self.t, self.position));
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Nudge(i64);

impl Action<Walk> for Nudge {
    fn apply(&self, m: &mut Walk) -> Result<(), scalelab_core::Error> {
        if self.0 == 0 {
            // A rejected action: nothing may change.
            return Err(scalelab_core::sim::SimError::Parse("zero nudge".into()).into());
        }
        m.position += self.0;
        Ok(())
    }
}

fn walk() -> Walk {
    Walk {
        t: 0,
        position: 0,
        rng: SimRng::seed_from(7),
    }
}

#[derive(Debug, Clone)]
enum Op {
    Forward(u8),
    FastForward(u8),
    Back(u8),
    Act(i64),
    Seek(u16),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u8..40).prop_map(Op::Forward),
        (1u8..40).prop_map(Op::FastForward),
        (1u8..40).prop_map(Op::Back),
        (-2i64..3).prop_map(Op::Act),
        (0u16..400).prop_map(Op::Seek),
    ]
}

/// The same actions applied on a straight run from the start.
fn straight_run(actions: &[(u64, Nudge)], to: u64) -> Walk {
    let mut m = walk();
    for (_, a) in actions.iter().filter(|(s, _)| *s == 0) {
        a.apply(&mut m).unwrap();
    }
    for step in 1..=to {
        m.step();
        for (_, a) in actions.iter().filter(|(s, _)| *s == step) {
            a.apply(&mut m).unwrap();
        }
    }
    m
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_history_matches_a_straight_run(ops in prop::collection::vec(op(), 1..60)) {
        // Tiny limits so thinning and replay paths are exercised constantly.
        let mut tl: Timeline<Walk, Nudge> = Timeline::with_limits(walk(), 4, 3);
        // The same history with every fast-forward taken one step at a time: fast-forward
        // runs plain steps in a batch, and must snapshot and replay exactly as stepping does.
        let mut one_by_one: Timeline<Walk, Nudge> = Timeline::with_limits(walk(), 4, 3);
        for op in ops {
            match op {
                Op::Forward(n) => for _ in 0..n { tl.forward(); one_by_one.forward(); },
                Op::FastForward(n) => {
                    tl.fast_forward(u64::from(n));
                    for _ in 0..n { one_by_one.forward(); }
                    prop_assert!(tl.last_events().is_empty());
                }
                Op::Back(n) => for _ in 0..n { tl.back(); one_by_one.back(); },
                Op::Act(k) => {
                    let before = tl.model().clone();
                    if tl.act(Nudge(k)).is_err() {
                        prop_assert_eq!(tl.model(), &before);
                    }
                    let _ = one_by_one.act(Nudge(k));
                }
                Op::Seek(s) => { tl.seek(u64::from(s)); one_by_one.seek(u64::from(s)); }
            }
            prop_assert_eq!(tl.step(), one_by_one.step());
            prop_assert_eq!(tl.horizon(), one_by_one.horizon());
            prop_assert_eq!(tl.snapshot_count(), one_by_one.snapshot_count());
            prop_assert_eq!(tl.model(), one_by_one.model());
            prop_assert!(tl.snapshot_count() <= 4);
            prop_assert!(tl.step() <= tl.horizon());
            prop_assert_eq!(tl.model(), &straight_run(tl.actions(), tl.step()));
        }
    }

    #[test]
    fn back_k_then_forward_k_is_identity(pre in 1u64..200, k in 1u64..100) {
        let mut tl: Timeline<Walk, Nudge> = Timeline::with_limits(walk(), 5, 4);
        let k = k.min(pre);
        let mut events = Vec::new();
        for i in 0..pre {
            if i == pre / 2 { tl.act(Nudge(5)).unwrap(); }
            events.push(tl.forward().to_vec());
        }
        let state = tl.model().clone();
        for _ in 0..k { prop_assert!(tl.back()); }
        let mut replayed = Vec::new();
        for _ in 0..k { replayed.push(tl.forward().to_vec()); }
        prop_assert_eq!(tl.model(), &state);
        prop_assert_eq!(&replayed[..], &events[events.len() - k as usize..]);
    }
}

#[test]
fn acting_in_the_past_discards_the_future() {
    let mut tl: Timeline<Walk, Nudge> = Timeline::new(walk());
    for _ in 0..90 {
        tl.forward();
    }
    tl.seek(40);
    assert_eq!(tl.horizon(), 90, "stepping back keeps the future");
    tl.act(Nudge(1)).unwrap();
    assert_eq!(tl.horizon(), 40, "acting in the past discards it");
    tl.seek(90);
    assert_eq!(tl.step(), 40, "there is no future to seek into any more");
}

#[test]
fn snapshots_stay_bounded_over_a_long_session() {
    let mut tl: Timeline<Walk, Nudge> = Timeline::with_limits(walk(), 16, 8);
    tl.fast_forward(1_000_000);
    assert!(tl.snapshot_count() <= 16);
    tl.seek(3);
    assert_eq!(tl.model(), &straight_run(&[], 3));
}
