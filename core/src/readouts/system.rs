//! The system readouts: where a request's time goes (per hop), how the store's load spreads
//! over the shards, which level answers, and what the autoscaler last decided. A hop is named
//! `balancer`, `app`, `l1`, `l2` or `shard`; a shard by its number; a level `l1`, `l2`,
//! `shard`, `coalesced` or `write`.

use super::{pick, Reading, ReadoutError, ReadoutSpec, Readouts};
use crate::scaling::ThresholdVerdict;
use crate::system::{Answer, Hop, SystemModel};

/// The levels a readout names, as a lesson writes them.
const LEVELS: [(&str, Answer); 5] = [
    ("l1", Answer::L1),
    ("l2", Answer::L2),
    ("shard", Answer::Shard),
    ("coalesced", Answer::Coalesced),
    ("write", Answer::Write),
];

impl Readouts for SystemModel {
    const READOUTS: &'static [ReadoutSpec] = &[
        ReadoutSpec {
            name: "hop_p99_ms",
            subject: Some("hop: balancer, app, l1, l2 or shard"),
            meaning: "the p99 of the time requests spent at the hop since the start, in ms",
        },
        ReadoutSpec {
            name: "recent_hop_p99_ms",
            subject: Some("hop: balancer, app, l1, l2 or shard"),
            meaning: "the p99 of the time the recent requests spent at the hop, in ms",
        },
        ReadoutSpec {
            name: "shard_load",
            subject: Some("shard number"),
            meaning: "reads and writes per second the shard served over the autoscaler's last interval",
        },
        ReadoutSpec {
            name: "shard_share_pct",
            subject: Some("shard number"),
            meaning: "the shard's share of every read and write the store has served, in %",
        },
        ReadoutSpec {
            name: "busiest_shard",
            subject: None,
            meaning: "the number of the shard with the most load over the last interval (the first on a tie)",
        },
        ReadoutSpec {
            name: "answered_by",
            subject: Some("level: l1, l2, shard, coalesced or write"),
            meaning: "requests answered by the level so far (writes are answered by the store)",
        },
        ReadoutSpec {
            name: "slowest_hop",
            subject: None,
            meaning: "the hop whose recent p99 is the largest: the one that sets the tail (the first in path order on a tie)",
        },
        ReadoutSpec {
            name: "top_answer",
            subject: None,
            meaning: "the level that has answered the most requests so far: l1, l2, shard, coalesced or write",
        },
        ReadoutSpec {
            name: "autoscale_decision",
            subject: None,
            meaning: "what the autoscaler last wanted: hold, out, in, or at-limit; with -cooldown when the cooldown held it back",
        },
        ReadoutSpec {
            name: "l2_state",
            subject: None,
            meaning: "whether the shared cache is up or down",
        },
    ];

    fn family_reading(&self, name: &str, subject: &str) -> Result<Reading, ReadoutError> {
        let ms = |us: u64| Reading::Number(us as f64 / 1_000.0);
        match name {
            "hop_p99_ms" | "recent_hop_p99_ms" => {
                let hop = *pick(name, subject, Hop::ALL.iter().map(|h| (h.name().into(), h)))?;
                if self.stats().answered == 0 {
                    return Err(ReadoutError::NoValueYet { name: name.into() });
                }
                Ok(if name == "hop_p99_ms" {
                    ms(self.stats().hop_p99(hop))
                } else {
                    ms(self.stats().recent_quantile(Some(hop), 0.99))
                })
            }
            "shard_load" | "shard_share_pct" => {
                let numbered = self
                    .shards()
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (i.to_string(), s));
                let shard = pick(name, subject, numbered)?;
                if name == "shard_load" {
                    return Ok(Reading::Number(shard.rate));
                }
                let total: u64 = self.shards().iter().map(|s| s.served).sum();
                if total == 0 {
                    return Err(ReadoutError::NoValueYet { name: name.into() });
                }
                Ok(Reading::Number(100.0 * shard.served as f64 / total as f64))
            }
            "busiest_shard" => {
                let rates = self.shard_rates();
                let mut best = 0usize;
                for (i, r) in rates.iter().enumerate() {
                    if rates.get(best).is_some_and(|b| r > b) {
                        best = i;
                    }
                }
                Ok(Reading::Number(best as f64))
            }
            "answered_by" => {
                let level = pick(
                    name,
                    subject,
                    LEVELS.iter().map(|(n, a)| (n.to_string(), a)),
                )?;
                Ok(Reading::Number(self.stats().answered_by(*level) as f64))
            }
            "slowest_hop" => {
                if self.stats().answered == 0 {
                    return Err(ReadoutError::NoValueYet { name: name.into() });
                }
                let p99 = |h: &Hop| self.stats().recent_quantile(Some(*h), 0.99);
                let mut slowest = Hop::Balancer;
                for h in &Hop::ALL {
                    if p99(h) > p99(&slowest) {
                        slowest = *h;
                    }
                }
                Ok(Reading::Text(slowest.name().into()))
            }
            "top_answer" => {
                if self.stats().answered == 0 {
                    return Err(ReadoutError::NoValueYet { name: name.into() });
                }
                let mut top = ("l1", 0);
                for (n, a) in LEVELS {
                    let count = self.stats().answered_by(a);
                    if count > top.1 {
                        top = (n, count);
                    }
                }
                Ok(Reading::Text(top.0.into()))
            }
            "autoscale_decision" => {
                let Some(why) = self.last_autoscale() else {
                    return Err(ReadoutError::NoValueYet { name: name.into() });
                };
                let wish = match why.verdict {
                    ThresholdVerdict::Hold => "hold",
                    ThresholdVerdict::Up(_) => "out",
                    ThresholdVerdict::Down(_) => "in",
                    ThresholdVerdict::AtLimit(_) => "at-limit",
                };
                let held = if why.cooldown_until.is_some() {
                    "-cooldown"
                } else {
                    ""
                };
                Ok(Reading::Text(format!("{wish}{held}")))
            }
            // l2_state, the last in the list.
            _ => Ok(Reading::Text(
                if self.l2_down() { "down" } else { "up" }.into(),
            )),
        }
    }
}
