//! Least response time: the moving mean of the well-known tutorial code, and an EWMA variant.

use super::positions::remove_at;
use crate::balancing::candidate::Candidate;
use crate::balancing::decision::{Figure, NoTrace, PickTrace, Rule};
use serde::{Deserialize, Serialize};

/// Largest sample kept (about 58 years in µs): a full window of them still sums within u64.
const MAX_SAMPLE_MICROS: u64 = u64::MAX / (1 << 16);

/// The last `capacity` response times of one server with a running sum: a ring that grows to
/// `capacity` and then overwrites its oldest sample in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseWindow {
    /// Oldest first until full; after that, `next` is the oldest.
    samples: Vec<u64>,
    /// u64, not u128: serde's internally tagged enums (and JSON) cannot carry u128.
    sum: u64,
    /// Where the next sample goes once the window is full.
    next: u32,
    capacity: u32,
}

impl ResponseWindow {
    /// An empty window of `capacity` samples (1 to 65 536).
    pub fn new(capacity: u32) -> Self {
        ResponseWindow {
            samples: Vec::new(),
            sum: 0,
            next: 0,
            capacity: capacity.clamp(1, 1 << 16),
        }
    }

    /// Adds a response time, overwriting the oldest once the window is full.
    pub fn record(&mut self, micros: u64) {
        // Capped so the running sum of a full window cannot overflow.
        let micros = micros.min(MAX_SAMPLE_MICROS);
        if (self.samples.len() as u32) < self.capacity {
            self.samples.push(micros);
        } else {
            if let Some(slot) = self.samples.get_mut(self.next as usize) {
                self.sum -= core::mem::replace(slot, micros);
            }
            self.next += 1;
            if self.next >= self.capacity {
                self.next = 0;
            }
        }
        self.sum += micros;
    }

    /// Mean in µs; **0 with no samples**, exactly as the tutorial code reads an empty window.
    pub fn mean(&self) -> u64 {
        if self.samples.is_empty() {
            0
        } else {
            self.sum / self.samples.len() as u64
        }
    }

    /// Samples held.
    pub fn len(&self) -> u32 {
        self.samples.len() as u32
    }

    /// Whether it holds no sample.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }
}

/// Least response time as the well-known tutorial code writes it: the lowest mean of the last 100
/// response times wins, first server on ties. A server with no samples reads 0, so a new (or newly
/// revived-and-reset) server is flooded until its first responses come back: kept as is, so
/// students can watch it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeastResponseTime {
    windows: Vec<ResponseWindow>,
    window: u32,
}

impl LeastResponseTime {
    /// Empty windows of `window` samples for `servers` servers.
    pub fn new(servers: u32, window: u32) -> Self {
        LeastResponseTime {
            windows: (0..servers).map(|_| ResponseWindow::new(window)).collect(),
            window,
        }
    }

    /// The mean of `server`'s window in µs (0 without samples).
    pub fn mean_of(&self, server: u32) -> u64 {
        self.windows
            .get(server as usize)
            .map_or(0, ResponseWindow::mean)
    }

    /// The lowest window mean, the first server on ties.
    pub fn pick(&mut self, candidates: &[Candidate]) -> Option<u32> {
        self.pick_traced(candidates, &mut NoTrace)
    }

    /// Samples in `server`'s window.
    pub fn samples_of(&self, server: u32) -> u32 {
        self.windows
            .get(server as usize)
            .map_or(0, ResponseWindow::len)
    }

    /// [`LeastResponseTime::pick`], reporting every mean with its sample count.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        trace: &mut T,
    ) -> Option<u32> {
        let mut best: Option<(u32, u64)> = None;
        for c in candidates {
            let m = self.mean_of(c.server);
            if best.is_none_or(|(_, bm)| m < bm) {
                best = Some((c.server, m));
            }
        }
        let (server, mean) = best?;
        if T::ON {
            let mut tied = 0;
            for c in candidates {
                let m = self.mean_of(c.server);
                tied += u32::from(m == mean);
                trace.figure(
                    c.server,
                    Figure::Mean {
                        mean: m,
                        samples: self.samples_of(c.server),
                    },
                );
            }
            trace.rule(Rule::LowestMean { mean, tied });
        }
        Some(server)
    }

    /// Records a response time of `server`.
    pub fn record(&mut self, server: u32, latency: u64) {
        if let Some(w) = self.windows.get_mut(server as usize) {
            w.record(latency);
        }
    }

    /// Gives a new last server an empty window.
    pub fn on_server_added(&mut self) {
        self.windows.push(ResponseWindow::new(self.window));
    }

    /// Drops the window of the server at `index`.
    pub fn on_server_removed(&mut self, index: u32) {
        remove_at(&mut self.windows, index);
    }
}

/// A cost far above any real latency, for a server that has requests outstanding but has not
/// answered once yet (Finagle's Peak-EWMA "penalty").
const UNKNOWN_BUSY_COST: f64 = 1e15;

/// Response time as an exponentially weighted moving average, multiplied by requests in flight
/// plus one (the Peak-EWMA cost of Finagle and linkerd, without the peak tracking): a server that
/// is fast but already busy stops looking best. A server with no samples costs 0 only while it
/// is idle, so a new server gets one probe request rather than a flood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EwmaResponseTime {
    ewma: Vec<Option<f64>>,
    alpha: f64,
}

impl EwmaResponseTime {
    /// Empty averages for `servers` servers, weighting the newest sample by `alpha` (0.2 when out
    /// of (0, 1]).
    pub fn new(servers: u32, alpha: f64) -> Self {
        EwmaResponseTime {
            ewma: vec![None; servers as usize],
            alpha: if alpha.is_finite() && alpha > 0.0 && alpha <= 1.0 {
                alpha
            } else {
                0.2
            },
        }
    }

    /// The smoothed latency of `server` in µs, if it has answered at least once.
    pub fn ewma_of(&self, server: u32) -> Option<f64> {
        self.ewma.get(server as usize).copied().flatten()
    }

    /// The cost a pick compares for `c`: its average × (in flight + 1); 0 for an idle server
    /// without samples, far above any latency for a busy one.
    pub fn cost(&self, c: &Candidate) -> f64 {
        match self.ewma_of(c.server) {
            Some(e) => e * (f64::from(c.active) + 1.0),
            None if c.active == 0 => 0.0,
            None => UNKNOWN_BUSY_COST + f64::from(c.active),
        }
    }

    /// The lowest cost (average × (in flight + 1)), the less busy on ties.
    pub fn pick(&mut self, candidates: &[Candidate]) -> Option<u32> {
        self.pick_traced(candidates, &mut NoTrace)
    }

    /// [`EwmaResponseTime::pick`], reporting every average, in-flight count and score.
    pub(crate) fn pick_traced<T: PickTrace>(
        &mut self,
        candidates: &[Candidate],
        trace: &mut T,
    ) -> Option<u32> {
        let mut best: Option<(&Candidate, f64)> = None;
        for c in candidates {
            let cost = self.cost(c);
            trace.figure(
                c.server,
                Figure::Ewma {
                    ewma: self.ewma_of(c.server),
                    in_flight: c.active,
                    score: cost,
                },
            );
            let better = match best {
                None => true,
                Some((b, bc)) => cost < bc || (cost == bc && c.active < b.active),
            };
            if better {
                best = Some((c, cost));
            }
        }
        let (chosen, score) = best?;
        if T::ON {
            let tied = candidates.iter().filter(|c| self.cost(c) == score).count() as u32;
            trace.rule(Rule::LowestScore { score, tied });
        }
        Some(chosen.server)
    }

    /// Folds a response time of `server` into its average.
    pub fn record(&mut self, server: u32, latency: u64) {
        if let Some(slot) = self.ewma.get_mut(server as usize) {
            let x = latency as f64;
            *slot = Some(match *slot {
                None => x,
                Some(prev) => prev + self.alpha * (x - prev),
            });
        }
    }

    /// Gives a new last server no average yet.
    pub fn on_server_added(&mut self) {
        self.ewma.push(None);
    }

    /// Drops the average of the server at `index`.
    pub fn on_server_removed(&mut self, index: u32) {
        remove_at(&mut self.ewma, index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands(n: u32) -> Vec<Candidate> {
        (0..n)
            .map(|server| Candidate {
                server,
                id: server,
                weight: 1,
                active: 0,
            })
            .collect()
    }

    #[test]
    fn guide_mean_reads_zero_without_samples_and_floods_the_new_server() {
        let mut s = LeastResponseTime::new(3, 100);
        s.record(0, 5_000);
        s.record(1, 3_000);
        // Server 2 has never answered: it reads 0 and wins every pick.
        for _ in 0..10 {
            assert_eq!(s.pick(&cands(3)), Some(2));
        }
        s.record(2, 9_000);
        assert_eq!(s.pick(&cands(3)), Some(1));
    }

    #[test]
    fn window_keeps_the_last_samples_only() {
        let mut w = ResponseWindow::new(100);
        for v in 1..=200u64 {
            w.record(v);
        }
        assert_eq!(w.len(), 100);
        assert_eq!(w.mean(), (101..=200u64).sum::<u64>() / 100);
    }

    #[test]
    fn ewma_spreads_over_unknown_servers_and_follows_latency() {
        let mut s = EwmaResponseTime::new(3, 0.5);
        let mut c = cands(3);
        assert_eq!(s.pick(&c), Some(0));
        c[0].active = 1;
        assert_eq!(s.pick(&c), Some(1), "a busy unknown server is not flooded");
        s.record(0, 1_000);
        s.record(0, 3_000);
        assert_eq!(s.ewma_of(0), Some(2_000.0));
    }
}
