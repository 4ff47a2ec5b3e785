//! Why, as the model reports it: the L1 policy's last eviction and the last read's path,
//! both recorded only by steps that report their events.

use super::CachingModel;
use crate::caching::{CachingEvent, Eviction, L2Eviction, Level, Op, ReadPath, ReadRoute};

impl CachingModel {
    /// The L1 policy's last eviction by its own choice, with the order it chose from
    /// (`None` before the first). Recorded by [`crate::Model::step_into`] only: evictions
    /// made while fast-forwarding leave the record as it was, and its `at` says when it
    /// happened.
    pub fn last_eviction(&self) -> Option<&Eviction> {
        self.cache.last_eviction()
    }

    /// The L2's last eviction under its `maxmemory-policy`, with the eviction pool it chose
    /// from (`None` before the first). Recorded like [`CachingModel::last_eviction`].
    pub fn last_l2_eviction(&self) -> Option<&L2Eviction> {
        self.cache.last_l2_eviction()
    }

    /// The last completed read's path through the levels (`None` before the first).
    /// Recorded by [`crate::Model::step_into`] only, like [`CachingModel::last_eviction`].
    pub fn last_read(&self) -> Option<&ReadPath> {
        self.last_read.as_ref()
    }

    /// Takes the first read a step completed as the last read.
    pub(super) fn record_read(&mut self, events: &[CachingEvent]) {
        let mut answered = 1;
        for e in events {
            match *e {
                CachingEvent::OriginLoadFinished { waiters, .. } => answered = waiters,
                CachingEvent::RequestCompleted {
                    request,
                    key,
                    op: Op::Read,
                    served_by,
                    latency,
                    node,
                    stale,
                    version,
                    ..
                } => {
                    // With one node the why reads as it always has.
                    let several = self.config.app_nodes > 1;
                    let set_ttl = self.cache.set_ttl();
                    let route = match served_by {
                        Level::L1 => ReadRoute::L1Hit,
                        Level::L2 => ReadRoute::L2Hit {
                            refill_ttl: self.cache.refill_ttl(),
                        },
                        Level::Origin => ReadRoute::Origin {
                            l1_ttl: set_ttl,
                            l2_ttl: set_ttl.saturating_mul(2),
                            answered,
                        },
                    };
                    self.last_read = Some(ReadPath {
                        at: self.now,
                        request,
                        key,
                        route,
                        latency,
                        node: several.then_some(node),
                        stale: stale.filter(|_| several).map(|origin| (version, origin)),
                    });
                    return;
                }
                _ => {}
            }
        }
    }
}
