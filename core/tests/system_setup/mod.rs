//! Shared by the system tests: running to a simulated time and counting what happened.

#![allow(dead_code)]

use scalelab_core::sim::SimTime;
use scalelab_core::system::{SystemEvent, SystemModel};
use scalelab_core::Model;

/// Steps until the model's clock reaches `secs`, returning every event on the way.
pub fn run_until(model: &mut SystemModel, secs: f64) -> Vec<SystemEvent> {
    let until = SimTime((secs * 1e6) as u64);
    let mut all = Vec::new();
    let mut events = Vec::new();
    while model.now() < until {
        events.clear();
        model.step_into(&mut events);
        all.extend(events.iter().cloned());
    }
    all
}

/// Store reads and writes per second each shard served over the events' span of `secs`.
pub fn shard_counts(events: &[SystemEvent], shards: usize) -> Vec<u64> {
    let mut counts = vec![0; shards];
    for e in events {
        if let SystemEvent::Answered {
            shard: Some(s),
            answer,
            ..
        } = e
        {
            if !matches!(answer, scalelab_core::system::Answer::Coalesced) {
                counts[*s as usize] += 1;
            }
        }
    }
    counts
}

/// Answers the store gave (reads that missed both caches), among `events`.
pub fn store_reads(events: &[SystemEvent]) -> usize {
    events
        .iter()
        .filter(|e| {
            matches!(
                e,
                SystemEvent::Answered {
                    answer: scalelab_core::system::Answer::Shard,
                    ..
                }
            )
        })
        .count()
}
