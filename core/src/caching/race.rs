//! A race: one seeded key trace fed to several L1 eviction policies at once.
//!
//! Every lane is a full [`CachingModel`] built from the same config and seed with only the L1
//! policy changed, so each lane has its own L1, L2 and origin and receives the same requests:
//! arrivals, keys and the read/write mix each draw from their own RNG stream (and the L2's
//! eviction sampling from another), so nothing a cache does can shift the trace. The first
//! lane leads: a step is one of its events (the page draws and narrates it), and every other
//! lane then processes its own events up to the lead's time, so the lanes compare like with
//! like at every moment. One lane is the scene's usual single-policy view, step for step the
//! plain [`CachingModel`].

use super::{
    CacheStats, CachingAction, CachingConfig, CachingError, CachingEvent, CachingModel,
    EvictionPolicy,
};
use crate::model::{Metrics, Model};
use crate::sim::{Percentiles, SimTime};
use crate::timeline::Action;
use serde::{Deserialize, Serialize};

/// Most lanes a race runs: one per policy would be five, and six lines are as many as one
/// chart tells apart.
pub const MAX_RACE_LANES: u64 = 6;

/// The caching scene's set-up: one cache config shared by every lane, and an L1 policy per lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CachingRaceConfig {
    /// L2, origin, workload, write policy and seed shared by every lane (its `l1.policy` is
    /// replaced by each lane's).
    pub base: CachingConfig,
    /// One L1 eviction policy per lane, each at most once; the first lane is the one drawn.
    pub lanes: Vec<EvictionPolicy>,
}

impl Default for CachingRaceConfig {
    /// The teaching preset raced by every reference policy (the guide's FIFO left out).
    fn default() -> Self {
        CachingRaceConfig {
            base: CachingConfig::default(),
            lanes: vec![
                EvictionPolicy::Lru,
                EvictionPolicy::Lfu,
                EvictionPolicy::Ttl,
                EvictionPolicy::WTinyLfu,
            ],
        }
    }
}

impl CachingRaceConfig {
    /// One lane under `config`'s own L1 policy: the single-policy view.
    pub fn single(config: CachingConfig) -> Self {
        let lanes = vec![config.l1.policy];
        CachingRaceConfig {
            base: config,
            lanes,
        }
    }

    /// Checks the lanes (1 ..= [`MAX_RACE_LANES`], no policy twice) and the shared config.
    pub fn validate(&self) -> Result<(), CachingError> {
        self.check_lanes()?;
        self.base.validate()
    }

    /// Checks the lanes alone: [`CachingRace::new`] leaves the shared config to each lane's
    /// [`CachingModel::new`], which checks it anyway (one copy of the check in the page).
    fn check_lanes(&self) -> Result<(), CachingError> {
        let count = self.lanes.len() as u64;
        if count == 0 {
            return Err(CachingError::NoRaceLanes);
        }
        if count > MAX_RACE_LANES {
            return Err(CachingError::TooManyRaceLanes {
                count,
                max: MAX_RACE_LANES,
            });
        }
        for (i, policy) in self.lanes.iter().enumerate() {
            if self
                .lanes
                .get(..i)
                .is_some_and(|seen| seen.contains(policy))
            {
                return Err(CachingError::DuplicateRaceLane { policy: *policy });
            }
        }
        Ok(())
    }
}

/// One lane's row on the race board: what its L1 policy made of the shared trace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaceLane {
    /// The lane's L1 eviction policy.
    pub policy: EvictionPolicy,
    /// Its L1's hits, misses, hit rate and evictions.
    pub l1: CacheStats,
    /// Reads that went all the way to the origin.
    pub origin_loads: u64,
    /// Read latency percentiles since the start, in µs.
    pub read_latency: Percentiles,
}

/// The caching scene's model: one or more lanes, each a [`CachingModel`] with its own L1
/// policy, all fed the same seeded requests. One lane is the single-policy view; several are
/// a race.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachingRace {
    /// Every lane in lane order; [`CachingRace::new`] refuses a race without lanes. One `Vec`
    /// rather than a lead beside the rest, so the page carries one copy of a lane's clone and
    /// drop.
    lanes: Vec<CachingModel>,
}

impl CachingRace {
    /// Builds every lane from the config; an invalid config is an error naming the problem.
    pub fn new(config: CachingRaceConfig) -> Result<Self, CachingError> {
        config.check_lanes()?;
        let mut lanes = Vec::with_capacity(config.lanes.len());
        for policy in &config.lanes {
            let mut c = config.base.clone();
            c.l1.policy = *policy;
            lanes.push(CachingModel::new(c)?);
        }
        Ok(CachingRace { lanes })
    }

    /// The first lane: the one the page draws, narrates and inspects (`None` only for a race
    /// without lanes, which [`CachingRace::new`] refuses).
    pub fn lead(&self) -> Option<&CachingModel> {
        self.lanes.first()
    }

    /// Every lane's model, in lane order.
    pub fn lanes(&self) -> impl Iterator<Item = &CachingModel> {
        self.lanes.iter()
    }

    /// Whether this is a race (several lanes) rather than the single-policy view.
    pub fn is_race(&self) -> bool {
        self.lanes.len() > 1
    }

    /// The race board: one row per lane, in lane order.
    pub fn board(&self) -> Vec<RaceLane> {
        self.lanes()
            .map(|m| {
                let s = m.stats();
                RaceLane {
                    policy: m.config().l1.policy,
                    l1: s.l1,
                    origin_loads: s.origin.loads,
                    read_latency: s.read_latency,
                }
            })
            .collect()
    }

    /// Applies one operation to every lane, or to none: lanes are cloned first, so an error
    /// from any lane leaves the race unchanged. Every lane acts at the lead's time. Switching
    /// the L1 policy is refused in a race: the lanes' policies are what it compares.
    pub fn apply(&mut self, action: &CachingAction) -> Result<(), CachingError> {
        if matches!(action, CachingAction::Policy(_)) && self.is_race() {
            return Err(CachingError::PolicyFixedInRace);
        }
        let now = self.now();
        let mut lanes = self.lanes.clone();
        for lane in &mut lanes {
            lane.wait_until(now);
            action.apply_to(lane)?;
        }
        self.lanes = lanes;
        Ok(())
    }

    /// Every lane after the lead processes its events up to the lead's time.
    fn catch_up(&mut self, scratch: &mut Vec<CachingEvent>) {
        let [lead, rivals @ ..] = self.lanes.as_mut_slice() else {
            return;
        };
        let now = lead.now();
        for lane in rivals {
            while lane.next_event_time().is_some_and(|t| t <= now) {
                lane.step_quiet(scratch);
            }
        }
    }
}

impl Model for CachingRace {
    type Event = CachingEvent;

    fn now(&self) -> SimTime {
        self.lanes.first().map_or(SimTime::ZERO, Model::now)
    }

    /// The lead lane's next event, then the other lanes up to its time; the events are the
    /// lead's.
    fn step_into(&mut self, out: &mut Vec<CachingEvent>) {
        if let Some(lead) = self.lanes.first_mut() {
            lead.step_into(out);
        }
        if self.is_race() {
            self.catch_up(&mut Vec::new());
        }
    }

    fn step_quiet(&mut self, scratch: &mut Vec<CachingEvent>) {
        if let Some(lead) = self.lanes.first_mut() {
            lead.step_quiet(scratch);
        }
        self.catch_up(scratch);
    }
}

impl Action<CachingRace> for CachingAction {
    fn apply(&self, model: &mut CachingRace) -> Result<(), crate::Error> {
        model.apply(self).map_err(crate::Error::from)
    }
}

/// `a` then `b` as one array of `N` items (`N` = both lengths; a wrong `N` fails the build,
/// since this runs at compile time): how a race's metric columns and readouts extend a single
/// lane's without restating them.
// Indexing is checked by the compiler here: a constant's evaluation that goes out of range
// is a build error, not a panic at run time.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn concat<T: Copy, const N: usize>(a: &[T], b: &[T]) -> [T; N] {
    assert!(a.len() + b.len() == N, "N must be the sum of the lengths");
    let mut out = [a[0]; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < a.len() { a[i] } else { b[i - a.len()] };
        i += 1;
    }
    out
}

/// The single-lane columns.
const SINGLE_COLUMNS: usize = CachingModel::METRIC_NAMES.len();

impl CachingRace {
    /// Column of lane `lane`'s L1 hit rate over its last [`HIT_WINDOW`](super::HIT_WINDOW)
    /// lookups: the first lane's is [`CachingModel::COL_L1_HIT_RATE`], lanes 2 ..= 6 follow
    /// the single lane's columns; `None` past the last lane.
    pub const fn lane_hit_rate_column(lane: u32) -> Option<usize> {
        match lane {
            0 => Some(CachingModel::COL_L1_HIT_RATE),
            l if (l as u64) < MAX_RACE_LANES => Some(SINGLE_COLUMNS + l as usize - 1),
            _ => None,
        }
    }
}

impl Metrics for CachingRace {
    const METRIC_NAMES: &'static [&'static str] = &concat::<_, { SINGLE_COLUMNS + 5 }>(
        CachingModel::METRIC_NAMES,
        &[
            "lane2_l1_hit_rate",
            "lane3_l1_hit_rate",
            "lane4_l1_hit_rate",
            "lane5_l1_hit_rate",
            "lane6_l1_hit_rate",
        ],
    );

    /// The first lane's columns, then the windowed L1 hit rate of lanes 2 to 6 (`NaN` for a
    /// lane the race does not have, or before its first lookup).
    fn metrics(&self) -> Vec<f64> {
        let mut row = match self.lanes.first() {
            Some(lead) => lead.metrics(),
            None => vec![f64::NAN; SINGLE_COLUMNS],
        };
        row.extend((1..MAX_RACE_LANES as usize).map(|i| {
            self.lanes
                .get(i)
                .and_then(CachingModel::recent_l1_hit_rate)
                .unwrap_or(f64::NAN)
        }));
        row
    }
}
