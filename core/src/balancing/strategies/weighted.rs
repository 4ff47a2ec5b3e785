//! Weighted round robin: nginx's smooth algorithm, and the naive one of the well-known tutorial
//! code.

use super::positions::remove_at;
use crate::balancing::candidate::Candidate;
use crate::balancing::decision::{Figure, NoTrace, PickTrace, Rule};
use serde::{Deserialize, Serialize};

/// nginx's per-peer state (`ngx_http_upstream_rr_peer_t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwrrPeer {
    /// The configured weight.
    pub weight: i64,
    /// Accumulated weight; the largest wins and pays back the total.
    pub current_weight: i64,
    /// Weight after failures: cut on a failure, then climbing back by one per pick.
    pub effective_weight: i64,
}

/// Smooth weighted round robin, as in nginx's `ngx_http_upstream_get_peer`: every eligible peer
/// gains its effective weight, the largest current weight wins (strict `>`, so ties go to the
/// earlier peer) and pays back the total. Weights {5, 1, 1} give `a a b a c a a`, interleaved
/// rather than five `a`s in a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmoothWeighted {
    peers: Vec<SwrrPeer>,
    max_fails: u32,
}

impl SmoothWeighted {
    /// Peers for servers with `weights`; `max_fails` sets how much a failure cuts (nginx
    /// `max_fails`).
    pub fn new(weights: &[u32], max_fails: u32) -> Self {
        let mut s = SmoothWeighted {
            peers: Vec::with_capacity(weights.len()),
            max_fails: max_fails.max(1),
        };
        for &w in weights {
            s.on_server_added(w);
        }
        s
    }

    /// Every peer's state, by position.
    pub fn peers(&self) -> &[SwrrPeer] {
        &self.peers
    }

    /// Every peer's `current_weight`, in server order (all 0 again after a full cycle).
    pub fn current_weights(&self) -> Vec<i64> {
        self.peers.iter().map(|p| p.current_weight).collect()
    }

    /// nginx's pick: every eligible peer gains its effective weight; the largest current weight
    /// wins.
    pub fn pick(&mut self, candidates: &[Candidate]) -> Option<u32> {
        self.pick_traced(candidates, &mut NoTrace)
    }

    /// [`SmoothWeighted::pick`], reporting every eligible peer's weights before and after.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        trace: &mut T,
    ) -> Option<u32> {
        let mut total: i64 = 0;
        let mut best: Option<(u32, i64)> = None;
        for c in candidates {
            let Some(peer) = self.peers.get_mut(c.server as usize) else {
                continue;
            };
            let before = peer.current_weight;
            let gained = peer.effective_weight;
            peer.current_weight = peer.current_weight.saturating_add(peer.effective_weight);
            total = total.saturating_add(peer.effective_weight);
            if peer.effective_weight < peer.weight {
                peer.effective_weight += 1;
            }
            trace.figure(
                c.server,
                Figure::Smooth {
                    weight: peer.weight,
                    effective_weight: gained,
                    current_before: before,
                    current_raised: peer.current_weight,
                    current_after: peer.current_weight,
                },
            );
            if best.is_none_or(|(_, w)| peer.current_weight > w) {
                best = Some((c.server, peer.current_weight));
            }
        }
        let (server, _) = best?;
        if let Some(peer) = self.peers.get_mut(server as usize) {
            peer.current_weight = peer.current_weight.saturating_sub(total);
            let paid = peer.current_weight;
            trace.amend(server, |f| {
                if let Figure::Smooth { current_after, .. } = f {
                    *current_after = paid;
                }
            });
        }
        trace.rule(Rule::LargestCurrentWeight { total });
        Some(server)
    }

    /// nginx `ngx_http_upstream_free_round_robin_peer` on failure:
    /// `effective_weight -= weight / max_fails`, floored at 0; picks then restore it by 1 each.
    pub fn record_failure(&mut self, server: u32) {
        if let Some(peer) = self.peers.get_mut(server as usize) {
            let cut = peer.weight / i64::from(self.max_fails.max(1));
            peer.effective_weight = (peer.effective_weight - cut).max(0);
        }
    }

    /// Appends a peer with `weight`.
    pub fn on_server_added(&mut self, weight: u32) {
        self.peers.push(SwrrPeer {
            weight: i64::from(weight),
            current_weight: 0,
            effective_weight: i64::from(weight),
        });
    }

    /// Drops the peer at `index`.
    pub fn on_server_removed(&mut self, index: u32) {
        remove_at(&mut self.peers, index);
    }
}

/// Weighted round robin as the well-known tutorial code writes it, kept as the naive variant.
///
/// What that code does: on each pick every eligible peer adds its weight to its
/// `current`, `total` is the sum of their weights, and the *first* peer whose `current ≥ total`
/// is returned and pays back `total`. When no peer qualifies the first eligible peer is returned
/// and nobody pays anything back. The long-run shares come out roughly right, but the heaviest
/// peer (especially when listed first) gets long bursts: weights {5, 1, 1} start with seven `a`s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NaiveWeighted {
    current: Vec<i64>,
}

impl NaiveWeighted {
    /// Zeroed counters for `servers` servers.
    pub fn new(servers: u32) -> Self {
        NaiveWeighted {
            current: vec![0; servers as usize],
        }
    }

    /// Every server's accumulated weight, by position.
    pub fn current_weights(&self) -> &[i64] {
        &self.current
    }

    /// The naive pick: the first server whose accumulated weight reaches the round's total.
    pub fn pick(&mut self, candidates: &[Candidate]) -> Option<u32> {
        self.pick_traced(candidates, &mut NoTrace)
    }

    /// [`NaiveWeighted::pick`], reporting every accumulated weight before and after.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        trace: &mut T,
    ) -> Option<u32> {
        let mut total: i64 = 0;
        for c in candidates {
            if let Some(cur) = self.current.get_mut(c.server as usize) {
                let before = *cur;
                *cur = cur.saturating_add(i64::from(c.weight));
                total = total.saturating_add(i64::from(c.weight));
                trace.figure(
                    c.server,
                    Figure::Accumulated {
                        weight: c.weight,
                        before,
                        raised: *cur,
                        after: *cur,
                    },
                );
            }
        }
        for c in candidates {
            if let Some(cur) = self.current.get_mut(c.server as usize) {
                if *cur >= total {
                    *cur -= total;
                    let paid = *cur;
                    trace.amend(c.server, |f| {
                        if let Figure::Accumulated { after, .. } = f {
                            *after = paid;
                        }
                    });
                    trace.rule(Rule::FirstToReachTotal {
                        total,
                        reached: true,
                    });
                    return Some(c.server);
                }
            }
        }
        let first = candidates.first()?;
        trace.rule(Rule::FirstToReachTotal {
            total,
            reached: false,
        });
        Some(first.server)
    }

    /// Gives a new last server a zero counter.
    pub fn on_server_added(&mut self) {
        self.current.push(0);
    }

    /// Drops the counter of the server at `index`.
    pub fn on_server_removed(&mut self, index: u32) {
        remove_at(&mut self.current, index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands(weights: &[u32]) -> Vec<Candidate> {
        weights
            .iter()
            .enumerate()
            .map(|(i, &weight)| Candidate {
                server: i as u32,
                weight,
                active: 0,
            })
            .collect()
    }

    fn letters(picks: &[u32]) -> String {
        picks.iter().map(|&p| (b'a' + p as u8) as char).collect()
    }

    #[test]
    fn nginx_vector_5_1_1() {
        let w = [5, 1, 1];
        let c = cands(&w);
        let mut s = SmoothWeighted::new(&w, 1);
        let picks: Vec<u32> = (0..7).filter_map(|_| s.pick(&c)).collect();
        assert_eq!(letters(&picks), "aabacaa");
        assert_eq!(s.current_weights(), vec![0, 0, 0]);
    }

    #[test]
    fn failure_penalty_drops_and_recovers_effective_weight() {
        let w = [4, 4];
        let c = cands(&w);
        let mut s = SmoothWeighted::new(&w, 2);
        s.record_failure(0);
        assert_eq!(s.peers()[0].effective_weight, 2);
        s.record_failure(0);
        s.record_failure(0);
        assert_eq!(s.peers()[0].effective_weight, 0, "floored at 0");
        for _ in 0..4 {
            s.pick(&c);
        }
        assert_eq!(
            s.peers()[0].effective_weight,
            4,
            "climbs back by one per pick"
        );
    }

    #[test]
    fn naive_vector_5_1_1_is_bursty() {
        let w = [5, 1, 1];
        let c = cands(&w);
        let mut s = NaiveWeighted::new(3);
        let picks: Vec<u32> = (0..12).filter_map(|_| s.pick(&c)).collect();
        assert_eq!(letters(&picks), "aaaaaaabaaca");
    }
}
