//! What the system has done so far: the request ledger, hit counts, per-hop latency
//! percentiles and the ring of recent per-hop breakdowns a page draws.

use super::event::{Answer, Hop, Hops};
use crate::sim::LatencyHistogram;
use serde::{Deserialize, Serialize};

/// One answered request as the recent ring keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentRequest {
    /// Its id.
    pub request: u64,
    /// Its key.
    pub key: u64,
    /// Which level answered.
    pub answer: Answer,
    /// Time at each hop.
    pub hops: Hops,
}

/// Counters and latency statistics since the start.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SystemStats {
    /// Requests that reached the balancer.
    pub arrived: u64,
    /// Requests answered.
    pub answered: u64,
    /// Requests turned away (no instance, a queue past its timeout).
    pub dropped: u64,
    /// Requests taken that got no answer (instance killed, shard down).
    pub failed: u64,
    /// Answers by level: L1, L2, shard, coalesced, write.
    pub by_answer: [u64; 5],
    /// L1 lookups and hits.
    pub l1_lookups: u64,
    /// L1 hits.
    pub l1_hits: u64,
    /// L2 lookups (not counted while it is down) and hits.
    pub l2_lookups: u64,
    /// L2 hits.
    pub l2_hits: u64,
    /// End-to-end latency of answered requests.
    pub end_to_end: LatencyHistogram,
    /// Per hop, in [`Hop::ALL`] order.
    pub per_hop: [LatencyHistogram; 5],
    /// The last answered requests, oldest first once `recent_head` wraps.
    recent: Vec<RecentRequest>,
    recent_head: u32,
    recent_cap: u32,
}

impl SystemStats {
    /// Empty statistics keeping `recent` requests.
    pub fn new(recent: u32) -> Self {
        SystemStats {
            arrived: 0,
            answered: 0,
            dropped: 0,
            failed: 0,
            by_answer: [0; 5],
            l1_lookups: 0,
            l1_hits: 0,
            l2_lookups: 0,
            l2_hits: 0,
            end_to_end: LatencyHistogram::new(),
            per_hop: Default::default(),
            recent: Vec::new(),
            recent_head: 0,
            recent_cap: recent.max(1),
        }
    }

    /// Requests taken and not yet answered, dropped or failed.
    pub fn in_flight(&self) -> u64 {
        self.arrived
            .saturating_sub(self.answered + self.dropped + self.failed)
    }

    /// Notes one answer.
    pub fn answer(&mut self, request: u64, key: u64, answer: Answer, hops: Hops) {
        self.answered += 1;
        if let Some(n) = self.by_answer.get_mut(answer_slot(answer)) {
            *n += 1;
        }
        self.end_to_end.record(hops.total());
        for (h, hist) in Hop::ALL.iter().zip(self.per_hop.iter_mut()) {
            hist.record(hops.at(*h));
        }
        let entry = RecentRequest {
            request,
            key,
            answer,
            hops,
        };
        if (self.recent.len() as u32) < self.recent_cap {
            self.recent.push(entry);
        } else if let Some(slot) = self.recent.get_mut(self.recent_head as usize) {
            *slot = entry;
            self.recent_head = (self.recent_head + 1) % self.recent_cap;
        }
    }

    /// The last answered requests, oldest first.
    pub fn recent(&self) -> Vec<RecentRequest> {
        let (newer, older) = self.recent.split_at(self.recent_head as usize);
        older.iter().chain(newer).copied().collect()
    }

    /// Answers given by `answer`.
    pub fn answered_by(&self, answer: Answer) -> u64 {
        self.by_answer
            .get(answer_slot(answer))
            .copied()
            .unwrap_or(0)
    }

    /// The `q` quantile in µs of the recent requests' time at `hop`, or end to end when
    /// `hop` is `None` (0 before the first answer): what the page shows as "now", where the
    /// histograms hold the whole run.
    pub fn recent_quantile(&self, hop: Option<super::event::Hop>, q: f64) -> u64 {
        let mut times: Vec<u64> = self
            .recent
            .iter()
            .map(|r| hop.map_or(r.hops.total(), |h| r.hops.at(h)))
            .collect();
        if times.is_empty() {
            return 0;
        }
        times.sort_unstable();
        let rank = ((q.clamp(0.0, 1.0) * times.len() as f64).ceil() as usize).max(1);
        times.get(rank - 1).copied().unwrap_or(0)
    }

    /// The p99 of `hop` in µs (0 before the first answer).
    pub fn hop_p99(&self, hop: Hop) -> u64 {
        self.per_hop
            .get(hop as usize)
            .map_or(0, |h| h.quantile(0.99))
    }
}

fn answer_slot(answer: Answer) -> usize {
    match answer {
        Answer::L1 => 0,
        Answer::L2 => 1,
        Answer::Shard => 2,
        Answer::Coalesced => 3,
        Answer::Write => 4,
    }
}
