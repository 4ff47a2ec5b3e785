//! Running a model for a number of steps and fingerprinting what it did.

use super::Digest;
use crate::Model;
use serde::Serialize;

/// Steps `model` `steps` times and digests every event, in order. Two runs with the same config
/// and seed must give the same digest, natively and in wasm32 alike.
pub fn digest_run<M>(model: &mut M, steps: u64) -> Digest
where
    M: Model,
    M::Event: Serialize,
{
    let mut digest = Digest::new();
    let mut events = Vec::new();
    for _ in 0..steps {
        events.clear();
        model.step_into(&mut events);
        for e in &events {
            digest.update(e);
        }
    }
    digest
}
