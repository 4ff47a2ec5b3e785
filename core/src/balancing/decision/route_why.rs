//! A route decision's *why* as one sentence: "least connections chose web-3: 0 in flight,
//! web-1 had 2". Numbers are integers or durations, so no float formatter is linked.

use super::{Considered, Figure, HashKey, RouteDecision, Rule, TieBreak};
use crate::balancing::event::ServerName;
use crate::balancing::NAIVE_HASH_KEY;
use crate::sim::SimDuration;
use core::fmt::{Display, Formatter, Result};

/// A route decision with the server names to say it by (see [`RouteDecision::why`]).
pub struct RouteWhy<'a, S> {
    d: &'a RouteDecision,
    names: &'a [S],
}

impl<'a, S> RouteWhy<'a, S> {
    pub(super) fn new(d: &'a RouteDecision, names: &'a [S]) -> Self {
        RouteWhy { d, names }
    }
}

/// A duration in µs from a float figure (a mean or a score), truncated as durations read.
fn micros(v: f64) -> SimDuration {
    SimDuration(if v.is_finite() && v > 0.0 {
        v as u64
    } else {
        0
    })
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

impl<S: AsRef<str>> RouteWhy<'_, S> {
    fn name(&self, server: u32) -> ServerName<'_, S> {
        ServerName(server, self.names)
    }

    /// The eligible server other than the winner with the best `key` (the lowest, or the
    /// highest when `highest`), the first on ties.
    fn runner_up<K: PartialOrd + Copy>(
        &self,
        highest: bool,
        key: impl Fn(&Considered) -> Option<K>,
    ) -> Option<(u32, K)> {
        let mut best: Option<(u32, K)> = None;
        for c in self.d.eligible() {
            if Some(c.server) == self.d.winner {
                continue;
            }
            let Some(k) = key(c) else { continue };
            let better = best.is_none_or(|(_, b)| if highest { k > b } else { k < b });
            if better {
                best = Some((c.server, k));
            }
        }
        best
    }

    fn skipped(&self, f: &mut Formatter<'_>, lead: &str) -> Result {
        for (i, c) in self.d.skipped().enumerate() {
            let sep = if i == 0 { lead } else { ", " };
            write!(f, "{sep}{} ({})", self.name(c.server), c.standing.label())?;
        }
        Ok(())
    }

    fn rule(&self, f: &mut Formatter<'_>, winner: u32) -> Result {
        let figure = self.d.chosen().map_or(Figure::None, |c| c.figure);
        match self.d.rule {
            Rule::NoneEligible => f.write_str("no server was eligible"),
            Rule::NextInTurn { cursor, wrapped } => {
                let at = u64::from(cursor) + 1;
                if wrapped {
                    write!(
                        f,
                        "no eligible server at or after the cursor (position {at}), so the \
                         turn wrapped to the first"
                    )
                } else if winner == cursor {
                    write!(f, "its turn (the cursor was at position {at})")
                } else {
                    write!(
                        f,
                        "the first eligible server at or after the cursor (position {at})"
                    )
                }
            }
            Rule::FewestInFlight {
                in_flight,
                tied,
                tie,
            } => {
                write!(f, "{in_flight} in flight")?;
                if tied > 1 {
                    let others = tied - 1;
                    write!(f, ", tied with {others} other{}; ", plural(others))?;
                    match tie {
                        TieBreak::Rotation { cursor } => write!(
                            f,
                            "ties take turns, and the turn was at position {}",
                            u64::from(cursor) + 1
                        ),
                        TieBreak::FirstServer => f.write_str("ties always go to the first server"),
                    }
                } else {
                    let next = self.runner_up(false, |c| match c.figure {
                        Figure::InFlight(n) => Some(n),
                        _ => None,
                    });
                    match next {
                        Some((s, n)) => write!(f, ", {} had {n}", self.name(s)),
                        None => Ok(()),
                    }
                }
            }
            Rule::LargestCurrentWeight { total } => {
                let Figure::Smooth {
                    effective_weight,
                    current_before,
                    current_raised,
                    current_after,
                    ..
                } = figure
                else {
                    return write!(f, "the largest current weight (total {total})");
                };
                write!(
                    f,
                    "current weight {current_before} + {effective_weight} = {current_raised}, \
                     the largest"
                )?;
                let next = self.runner_up(true, |c| match c.figure {
                    Figure::Smooth { current_raised, .. } => Some(current_raised),
                    _ => None,
                });
                if let Some((s, w)) = next {
                    if w == current_raised {
                        write!(f, " (tied with {}; the earlier server wins)", self.name(s))?;
                    } else {
                        write!(f, " ({} had {w})", self.name(s))?;
                    }
                }
                write!(
                    f,
                    "; it pays back the total {total}, leaving {current_after}"
                )
            }
            Rule::FirstToReachTotal { total, reached } => match figure {
                Figure::Accumulated { raised, after, .. } if reached => write!(
                    f,
                    "its accumulated weight {raised} was the first to reach the total {total}; \
                     it pays the total back, leaving {after}"
                ),
                _ => write!(
                    f,
                    "no accumulated weight reached the total {total}, so the first eligible \
                     server takes the request and nothing is paid back"
                ),
            },
            Rule::HashModulo {
                key,
                hash,
                eligible,
                index,
            } => match key {
                HashKey::Client(ip) => write!(
                    f,
                    "client {ip} hashes to {hash}, and {hash} mod {eligible} eligible = {index}"
                ),
                HashKey::Constant => write!(
                    f,
                    "it hashes the constant \"{NAIVE_HASH_KEY}\", not the client's address: \
                     {hash} mod {eligible} eligible = {index}, for every client"
                ),
            },
            Rule::RingPoint {
                client,
                position,
                point,
                number,
                wrapped,
            } => {
                write!(f, "client {client} sits at {position} on the ring; ")?;
                if wrapped {
                    f.write_str(
                        "no server point lies after it, so the ring wraps to the lowest point, ",
                    )?;
                } else {
                    f.write_str("the next server point clockwise is ")?;
                }
                write!(
                    f,
                    "{}'s point {} (at {point})",
                    self.name(winner),
                    u64::from(number) + 1
                )
            }
            Rule::TableSlot {
                client,
                hash,
                slot,
                size,
            } => write!(
                f,
                "client {client} hashes to {hash}; {hash} mod {size} = slot {slot} of the Maglev \
                 table, which {} fills",
                self.name(winner)
            ),
            Rule::LowestMean { tied, .. } => {
                if let Figure::Mean { mean, samples } = figure {
                    if samples == 0 {
                        f.write_str("no response times yet, so its mean reads 0")?;
                    } else {
                        write!(
                            f,
                            "mean response time {} over {samples} answer{}",
                            SimDuration(mean),
                            plural(samples)
                        )?;
                    }
                }
                let next = self.runner_up(false, |c| match c.figure {
                    Figure::Mean { mean, samples } => Some((mean, samples)),
                    _ => None,
                });
                if tied > 1 {
                    let others = tied - 1;
                    write!(
                        f,
                        ", tied with {others} other{}; the first server wins",
                        plural(others)
                    )
                } else if let Some((s, (mean, samples))) = next {
                    write!(
                        f,
                        ", {} had {} over {samples}",
                        self.name(s),
                        SimDuration(mean)
                    )
                } else {
                    Ok(())
                }
            }
            Rule::LowestScore { score, tied } => {
                match figure {
                    Figure::Ewma {
                        ewma: Some(e),
                        in_flight,
                        ..
                    } => write!(
                        f,
                        "EWMA {} × ({in_flight} in flight + 1) = {}, the lowest score",
                        micros(e),
                        micros(score)
                    )?,
                    Figure::Ewma {
                        ewma: None,
                        in_flight: 0,
                        ..
                    } => f.write_str("no answers yet and idle, so its score is 0")?,
                    _ => f.write_str(
                        "every server is busy without an answer yet; it has the fewest in flight",
                    )?,
                }
                let next = self.runner_up(false, |c| match c.figure {
                    Figure::Ewma {
                        ewma,
                        in_flight,
                        score,
                    } => Some((score, ewma.is_some(), in_flight)),
                    _ => None,
                });
                match next {
                    _ if tied > 1 => {
                        let others = tied - 1;
                        write!(
                            f,
                            "; tied with {others} other{}, the one with fewer in flight wins",
                            plural(others)
                        )
                    }
                    Some((s, (v, true, _))) => {
                        write!(f, "; {} scored {}", self.name(s), micros(v))
                    }
                    Some((s, (_, false, n))) => write!(
                        f,
                        "; {} has not answered yet and has {n} in flight",
                        self.name(s)
                    ),
                    None => Ok(()),
                }
            }
            Rule::UniformDraw { index, eligible } => write!(
                f,
                "a uniform draw over the {eligible} eligible servers picked number {}",
                u64::from(index) + 1
            ),
            Rule::FewestOfDraws { kept } => {
                f.write_str("it drew ")?;
                let n = self.d.draws.len();
                for (i, d) in self.d.draws.iter().enumerate() {
                    let sep = match i {
                        0 => "",
                        _ if i + 1 == n => " and ",
                        _ => ", ",
                    };
                    write!(
                        f,
                        "{sep}{} ({} in flight)",
                        self.name(d.server),
                        d.in_flight
                    )?;
                }
                let first = self.d.draws.first().map(|d| d.in_flight);
                let all_equal = self.d.draws.iter().all(|d| Some(d.in_flight) == first);
                if n < 2 {
                    Ok(())
                } else if all_equal {
                    let all = if n == 2 { "both" } else { "all" };
                    write!(f, ", {all} equal, so it kept the first")
                } else if kept == 0 {
                    f.write_str(" and kept the first: no later draw had fewer in flight")
                } else {
                    f.write_str(" and kept the one with the fewest in flight")
                }
            }
        }
    }
}

impl<S: AsRef<str>> Display for RouteWhy<'_, S> {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        let label = self.d.strategy.label();
        let Some(winner) = self.d.winner else {
            write!(f, "{label} had no server to choose")?;
            return self.skipped(f, ": skipped ");
        };
        write!(f, "{label} chose {}: ", self.name(winner))?;
        if self.d.eligible_count() == 1 {
            f.write_str("the only eligible server")?;
        } else {
            self.rule(f, winner)?;
        }
        self.skipped(f, "; skipped ")
    }
}
