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
///
/// `as_written` is the guide's code to the letter: one loop that adds a server's weight and
/// returns it at once if it has reached the total, so the servers after it gain nothing on
/// that pick. Over 60 000 picks weights {3, 2, 1} get 78/17/6 % and {1, 1, 1} 63/22/15 %:
/// not the weights at all. The two-pass version above is what that code is usually taken to
/// mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NaiveWeighted {
    current: Vec<i64>,
    #[serde(default)]
    as_written: bool,
}

impl NaiveWeighted {
    /// Zeroed counters for `servers` servers (the two-pass version).
    pub fn new(servers: u32) -> Self {
        NaiveWeighted {
            current: vec![0; servers as usize],
            as_written: false,
        }
    }

    /// Zeroed counters for `servers` servers, picking exactly as the guide's code does.
    pub fn as_written(servers: u32) -> Self {
        NaiveWeighted {
            as_written: true,
            ..NaiveWeighted::new(servers)
        }
    }

    /// Whether this is the guide's one-pass version.
    pub fn is_as_written(&self) -> bool {
        self.as_written
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
        if self.as_written {
            // The guide's loop: the total first, then add-and-return in one pass.
            total = candidates.iter().map(|c| i64::from(c.weight)).sum();
        }
        for c in candidates {
            if let Some(cur) = self.current.get_mut(c.server as usize) {
                let before = *cur;
                *cur = cur.saturating_add(i64::from(c.weight));
                let raised = *cur;
                // The guide's version returns the moment a server reaches the total; the
                // two-pass one first sums every weight.
                let reached = self.as_written && raised >= total;
                if reached {
                    *cur -= total;
                } else if !self.as_written {
                    total = total.saturating_add(i64::from(c.weight));
                }
                trace.figure(
                    c.server,
                    Figure::Accumulated {
                        weight: c.weight,
                        before,
                        raised,
                        after: *cur,
                    },
                );
                if reached {
                    trace.rule(Rule::FirstToReachTotal {
                        total,
                        reached: true,
                    });
                    return Some(c.server);
                }
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
        // No server reached the total (in the guide's one pass, none can by now): the first.
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
                id: i as u32,
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

    /// Shares in % over 60 000 picks.
    fn shares(mut s: NaiveWeighted, weights: &[u32]) -> Vec<f64> {
        let c = cands(weights);
        let mut counts = vec![0u32; weights.len()];
        for _ in 0..60_000 {
            let i = s.pick(&c).expect("a pick") as usize;
            counts[i] += 1;
        }
        counts
            .iter()
            .map(|&n| f64::from(n) * 100.0 / 60_000.0)
            .collect()
    }

    fn near(got: &[f64], want: &[f64]) -> bool {
        got.iter().zip(want).all(|(g, w)| (g - w).abs() <= 1.0)
    }

    #[test]
    fn the_guides_code_as_written_skips_later_servers() {
        let got = shares(NaiveWeighted::as_written(3), &[3, 2, 1]);
        assert!(near(&got, &[78.0, 17.0, 6.0]), "{got:?}");
        let got = shares(NaiveWeighted::as_written(3), &[1, 1, 1]);
        assert!(near(&got, &[63.0, 22.0, 15.0]), "{got:?}");
        // The two-pass version gets the weights right on average.
        let got = shares(NaiveWeighted::new(3), &[3, 2, 1]);
        assert!(near(&got, &[50.0, 33.3, 16.7]), "{got:?}");
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
