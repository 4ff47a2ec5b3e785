//! The scaling readouts: what each lane of a comparison cost, dropped and decided. A lane is
//! named by its label (`vertical`, `horizontal`, `hybrid`, `threshold`, `HPA`); the lone set-up outside
//! a comparison is `main`.

use super::{pick, smallest, Reading, ReadoutError, ReadoutSpec, Readouts};
use crate::scaling::{metric_name, Lane, ScalingModel};

impl Readouts for ScalingModel {
    const READOUTS: &'static [ReadoutSpec] = &[
        ReadoutSpec {
            name: "lane_cost",
            subject: Some("lane label"),
            meaning: "what the lane has cost so far, in core-seconds",
        },
        ReadoutSpec {
            name: "lane_extra_cost",
            subject: Some("lane label"),
            meaning: "what the lane has cost beyond the cheapest lane so far, in core-seconds (0 for the cheapest)",
        },
        ReadoutSpec {
            name: "cheapest_lane",
            subject: None,
            meaning: "the label of the lane that has cost the least so far",
        },
        ReadoutSpec {
            name: "lane_dropped",
            subject: Some("lane label"),
            meaning: "requests the lane has dropped so far",
        },
        ReadoutSpec {
            name: "fewest_dropped_lane",
            subject: None,
            meaning: "the label of the lane that has dropped the fewest requests so far",
        },
        ReadoutSpec {
            name: "lane_ready",
            subject: Some("lane label"),
            meaning: "the lane's instances ready to serve now",
        },
        ReadoutSpec {
            name: "lane_cores",
            subject: Some("lane label"),
            meaning: "the cores the lane runs now (all instances together)",
        },
        ReadoutSpec {
            name: "lane_scale_actions",
            subject: Some("lane label"),
            meaning: "how many times the lane has scaled so far",
        },
        ReadoutSpec {
            name: "lane_missed_scale_ins",
            subject: Some("lane label"),
            meaning: "scale-ins the lane's rule wanted but did not make (the guide's cooldown bug)",
        },
        ReadoutSpec {
            name: "lane_desired",
            subject: Some("lane label"),
            meaning: "the instance count the lane's autoscaler asked for at the last step, when that step was one of its decisions (a run's last step must land on a decision)",
        },
        ReadoutSpec {
            name: "lane_trigger",
            subject: Some("lane label"),
            meaning: "the reading that fired the lane's last scaling decision: CPU, memory, rate, error rate or replicas (none before the first)",
        },
        ReadoutSpec {
            name: "lane_downtime_s",
            subject: Some("lane label"),
            meaning: "seconds the lane could serve nothing (a vertical resize restarts the machine)",
        },
    ];

    fn family_reading(&self, name: &str, subject: &str) -> Result<Reading, ReadoutError> {
        let named = || self.lanes().iter().map(|l| (lane_name(l), l));
        let cost = |l: &Lane| l.service().cost().core_seconds;
        let dropped = |l: &Lane| l.service().stats().dropped as f64;
        match name {
            "cheapest_lane" => return Ok(Reading::Text(best(named(), cost))),
            "fewest_dropped_lane" => return Ok(Reading::Text(best(named(), dropped))),
            _ => {}
        }
        let lane = pick(name, subject, named())?;
        let stats = lane.service().stats();
        let n = |v: u32| Reading::Number(f64::from(v));
        Ok(match name {
            "lane_cost" => Reading::Number(cost(lane)),
            "lane_extra_cost" => Reading::Number(lane.extra_cost(self)),
            "lane_dropped" => Reading::Number(stats.dropped as f64),
            "lane_ready" => n(stats.ready),
            "lane_cores" => n(stats.cores),
            "lane_scale_actions" => n(stats.scale_actions),
            "lane_missed_scale_ins" => n(lane.missed_count()),
            "lane_trigger" => Reading::Text(lane.last_trigger().map_or("none", metric_name).into()),
            "lane_desired" => match lane.last_decision() {
                Some(d) => n(d.desired),
                None => return Err(ReadoutError::NoValueYet { name: name.into() }),
            },
            // lane_downtime_s, the last in the list.
            _ => Reading::Number(lane.downtime().as_secs_f64()),
        })
    }
}

/// How a lesson names a lane: its label, or `main` for the lone unlabelled set-up.
fn lane_name(lane: &Lane) -> String {
    match lane.label() {
        "" => "main".into(),
        label => label.into(),
    }
}

/// The name of the lane with the smallest figure (the first on a tie).
fn best<'a>(
    lanes: impl Iterator<Item = (String, &'a Lane)>,
    figure: impl Fn(&Lane) -> f64,
) -> String {
    smallest(lanes.map(|(name, l)| (name, figure(l)))).unwrap_or_default()
}
