//! The Kubernetes Horizontal Pod Autoscaler rule (`autoscaling/v2`, `behavior` included).
//!
//! Mirrors `pkg/controller/podautoscaler` in kubernetes/kubernetes:
//! 1. `desired = ceil(ready × current / target)`, no change when `|1 − ratio| ≤ tolerance`;
//! 2. stabilisation: scale-down takes the *highest* recommendation of the last 300 s,
//!    scale-up the *lowest* of its window (0 s by default, i.e. the current one);
//! 3. rate policies per period, `Max` selecting the policy that allows the biggest change;
//!    percent scale-up rounds up, percent scale-down truncates;
//! 4. clamp to `[min, max]`.
//!
//! One deliberate difference: percentages are applied in exact integer arithmetic, where the
//! controller uses `float64` (so `ceil(10 × 1.1)` is 11 here, 12 there).

use super::error::{check_duration, ScalingError};
use super::events::{Direction, Reason};
use super::replica_calc::{recommend, PodReading, ReplicaCalculation};
use crate::sim::{check_count, check_range, limits, SimDuration, SimTime};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// What a rate policy limits: pods, or a share of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyKind {
    /// Change by at most `value` pods per period.
    Pods,
    /// Change by at most `value` % of the pods at the start of the period.
    Percent,
}

/// One `HPAScalingPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScalingPolicy {
    /// Pods or percent.
    pub kind: PolicyKind,
    /// How many pods, or what percent of them.
    pub value: u32,
    /// The window the limit applies over.
    pub period: SimDuration,
}

impl ScalingPolicy {
    /// At most `value` pods per `period_secs` seconds.
    pub const fn pods(value: u32, period_secs: u64) -> Self {
        ScalingPolicy {
            kind: PolicyKind::Pods,
            value,
            period: SimDuration::from_secs(period_secs),
        }
    }
    /// At most `value` % of the pods per `period_secs` seconds.
    pub const fn percent(value: u32, period_secs: u64) -> Self {
        ScalingPolicy {
            kind: PolicyKind::Percent,
            value,
            period: SimDuration::from_secs(period_secs),
        }
    }
}

/// `selectPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SelectPolicy {
    /// The policy allowing the biggest change (the default).
    Max,
    /// The policy allowing the smallest change.
    Min,
    /// No scaling in this direction.
    Disabled,
}

/// `HPAScalingRules` for one direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScalingRules {
    /// Recommendations within this window are considered (the highest for scale-down, the
    /// lowest for scale-up), so a brief dip or spike does not move the count.
    pub stabilization_window: SimDuration,
    /// Which policy's limit applies when there are several.
    pub select: SelectPolicy,
    /// The rate policies.
    pub policies: Vec<ScalingPolicy>,
}

impl ScalingRules {
    /// Kubernetes' default scale-up: no window; max(100 %, 4 pods) per 15 s.
    pub fn default_up() -> Self {
        ScalingRules {
            stabilization_window: SimDuration::ZERO,
            select: SelectPolicy::Max,
            policies: vec![ScalingPolicy::percent(100, 15), ScalingPolicy::pods(4, 15)],
        }
    }

    /// Kubernetes' default scale-down: 300 s window; 100 % per 15 s.
    pub fn default_down() -> Self {
        ScalingRules {
            stabilization_window: SimDuration::from_secs(300),
            select: SelectPolicy::Max,
            policies: vec![ScalingPolicy::percent(100, 15)],
        }
    }

    fn validate(&self, direction: Direction) -> Result<(), ScalingError> {
        check_duration(
            "HPA stabilisation window",
            self.stabilization_window,
            SimDuration::ZERO,
            SimDuration::from_secs(3_600),
        )?;
        if self.select != SelectPolicy::Disabled && self.policies.is_empty() {
            return Err(ScalingError::NoPolicies { direction });
        }
        check_count(
            "HPA policies per direction",
            self.policies.len() as u64,
            0,
            8,
        )?;
        for p in &self.policies {
            let max = match p.kind {
                PolicyKind::Pods => limits::MAX_SERVERS,
                PolicyKind::Percent => 1_000,
            };
            check_count("HPA policy value", u64::from(p.value), 1, max)?;
            check_duration(
                "HPA policy period",
                p.period,
                SimDuration::from_secs(1),
                SimDuration::from_secs(1_800),
            )?;
        }
        Ok(())
    }

    fn longest_period(&self) -> SimDuration {
        self.policies
            .iter()
            .map(|p| p.period)
            .max()
            .unwrap_or(SimDuration::ZERO)
    }
}

/// The HPA rule's settings, with Kubernetes' defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HpaConfig {
    /// Target average CPU utilisation of ready pods, in %.
    pub target_cpu_pct: f64,
    /// No change while `|1 − current/target|` is at most this (Kubernetes: 0.1).
    pub tolerance: f64,
    /// How often the controller reconciles (Kubernetes: 15 s).
    pub sync_period: SimDuration,
    /// Behaviour when scaling up.
    pub scale_up: ScalingRules,
    /// Behaviour when scaling down.
    pub scale_down: ScalingRules,
}

impl Default for HpaConfig {
    fn default() -> Self {
        HpaConfig {
            target_cpu_pct: 50.0,
            tolerance: 0.1,
            sync_period: SimDuration::from_secs(15),
            scale_up: ScalingRules::default_up(),
            scale_down: ScalingRules::default_down(),
        }
    }
}

impl HpaConfig {
    /// Checks every setting against its range.
    pub fn validate(&self) -> Result<(), ScalingError> {
        check_range(
            "HPA target CPU utilisation (%)",
            self.target_cpu_pct,
            1.0,
            100.0,
        )?;
        if !self.tolerance.is_finite() || !(0.0..1.0).contains(&self.tolerance) {
            return Err(ScalingError::ToleranceOutOfRange {
                value: self.tolerance,
            });
        }
        check_duration(
            "HPA sync period",
            self.sync_period,
            SimDuration::from_secs(1),
            SimDuration::from_secs(3_600),
        )?;
        self.scale_up.validate(Direction::Up)?;
        self.scale_down.validate(Direction::Down)?;
        Ok(())
    }
}

/// Average utilisation in % of pods using `usage` of `requests` (same units, e.g. millicores).
pub fn utilisation_pct(usage: &[u64], requests: &[u64]) -> f64 {
    let used: u64 = usage.iter().fold(0u64, |a, &u| a.saturating_add(u));
    let req: u64 = requests.iter().fold(0u64, |a, &r| a.saturating_add(r));
    if req == 0 {
        return 0.0;
    }
    used as f64 * 100.0 / req as f64
}

/// The replica-count rule: `ceil(ready × utilisation / target)`, or `current` when the ratio
/// is within the tolerance of 1 (or nothing is ready to measure).
pub fn desired_replicas(
    ready: u32,
    current: u32,
    utilisation: f64,
    target: f64,
    tolerance: f64,
) -> u32 {
    if ready == 0 || target.is_nan() || target <= 0.0 || !utilisation.is_finite() {
        return current;
    }
    let ratio = utilisation / target;
    if (1.0 - ratio).abs() <= tolerance {
        return current;
    }
    // The small epsilon absorbs binary rounding (50/30 × 3 must give 5, not 6).
    let x = (f64::from(ready) * ratio - 1e-9).ceil();
    if x <= 0.0 {
        0
    } else if x >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        x as u32
    }
}

/// A past scaling change: when, and by how many replicas.
pub type ScaleEvent = (SimTime, u32);

/// Replicas changed in `(now − period, now]` (`getReplicasChangePerPeriod`).
fn changed_in(now: SimTime, period: SimDuration, events: &[ScaleEvent]) -> i64 {
    let cutoff = now.0.checked_sub(period.0);
    events
        .iter()
        .filter(|(t, _)| cutoff.is_none_or(|c| t.0 > c))
        .map(|&(_, n)| i64::from(n))
        .sum()
}

fn to_u32(v: i64) -> u32 {
    v.clamp(0, i64::from(u32::MAX)) as u32
}

/// The policy a direction's rules select now: the count it allows, the policy and the
/// replica count it started from (the current count less the changes within its period).
/// `None` when the direction is disabled or has no policy.
fn select_limit(
    now: SimTime,
    current: u32,
    up_events: &[ScaleEvent],
    down_events: &[ScaleEvent],
    rules: &ScalingRules,
    direction: Direction,
) -> Option<(i64, ScalingPolicy, i64)> {
    if rules.select == SelectPolicy::Disabled {
        return None;
    }
    let mut chosen: Option<(i64, ScalingPolicy, i64)> = None;
    for p in &rules.policies {
        let start = (i64::from(current) - changed_in(now, p.period, up_events)
            + changed_in(now, p.period, down_events))
        .max(0);
        let v = i64::from(p.value);
        let proposed = match (direction, p.kind) {
            (Direction::Up, PolicyKind::Pods) => start + v,
            // Round up, or a small fleet could never grow by a percentage.
            (Direction::Up, PolicyKind::Percent) => (start * (100 + v) + 99) / 100,
            (Direction::Down, PolicyKind::Pods) => start - v,
            // int32(start × (1 − v/100)): truncation, so 5 pods − 50 % leaves 2.
            (Direction::Down, PolicyKind::Percent) => (start * (100 - v.min(100))) / 100,
        };
        // `Max` selects the policy allowing the biggest change, `Min` the smallest; the
        // first policy wins a tie.
        let replaces = chosen.is_none_or(|(best, _, _)| {
            let bigger = match direction {
                Direction::Up => proposed > best,
                Direction::Down => proposed < best,
            };
            let smaller = proposed != best && !bigger;
            if rules.select == SelectPolicy::Min {
                smaller
            } else {
                bigger
            }
        });
        if replaces {
            chosen = Some((proposed, *p, start));
        }
    }
    chosen
}

/// The most replicas the scale-up policies allow now
/// (`calculateScaleUpLimitWithScalingRules`). Percent rounds up.
pub fn scale_up_limit(
    now: SimTime,
    current: u32,
    up_events: &[ScaleEvent],
    down_events: &[ScaleEvent],
    rules: &ScalingRules,
) -> u32 {
    select_limit(now, current, up_events, down_events, rules, Direction::Up)
        .map_or(current, |(limit, _, _)| to_u32(limit))
}

/// The fewest replicas the scale-down policies allow now
/// (`calculateScaleDownLimitWithBehaviors`). Percent truncates.
pub fn scale_down_limit(
    now: SimTime,
    current: u32,
    up_events: &[ScaleEvent],
    down_events: &[ScaleEvent],
    rules: &ScalingRules,
) -> u32 {
    select_limit(now, current, up_events, down_events, rules, Direction::Down)
        .map_or(current, |(limit, _, _)| to_u32(limit))
}

/// The rate limit a reconcile met on its way to a new count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateLimit {
    /// Which way the count was going.
    pub direction: Direction,
    /// The policy the rules selected (`None`: scaling this way is disabled).
    pub policy: Option<ScalingPolicy>,
    /// The replica count the policy's period started from.
    pub start: u32,
    /// The count it allows now (never past the current count in the wrong direction).
    pub limit: u32,
    /// Whether it cut the change short.
    pub binding: bool,
}

/// What one reconcile computed, step by step (for narration).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HpaOutcome {
    /// The measured average CPU utilisation of ready pods, %.
    pub utilisation: f64,
    /// The target utilisation, %.
    pub target: f64,
    /// The bare rule's recommendation (before stabilisation).
    pub recommended: u32,
    /// Whether the ratio was within the tolerance of 1 (no change recommended).
    pub within_tolerance: bool,
    /// After the stabilisation windows.
    pub stabilised: u32,
    /// After rate policies and `[min, max]`: what the controller sets.
    pub desired: u32,
    /// Set when a rate policy cut the change short: the limit it imposed.
    pub rate_limited: Option<u32>,
    /// The rate limit met when the count was to change, binding or not.
    pub rate: Option<RateLimit>,
    /// The lowest recommendation of the scale-up window: a scale-up goes no higher.
    pub up_lowest: u32,
    /// The highest recommendation of the scale-down window: a scale-down goes no lower.
    pub down_highest: u32,
    /// Why the count came out as it did.
    pub reason: Reason,
    /// The replica calculator's figures (`None` when no ready pod could be measured).
    pub calculation: Option<ReplicaCalculation>,
}

/// The controller's memory between reconciles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Hpa {
    recommendations: VecDeque<(SimTime, u32)>,
    up_events: VecDeque<ScaleEvent>,
    down_events: VecDeque<ScaleEvent>,
    last_sync: SimTime,
}

impl Hpa {
    /// A controller with no history, first due one sync period after time zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// A controller whose first reconcile is one sync period after `now`.
    pub fn starting_at(now: SimTime) -> Self {
        Hpa {
            last_sync: now,
            ..Self::default()
        }
    }

    /// Whether a reconcile is due at `now`.
    pub fn due(&self, cfg: &HpaConfig, now: SimTime) -> bool {
        now >= self.last_sync.after(cfg.sync_period)
    }

    /// The recommendations still inside the longest window, oldest first.
    pub fn recommendations(&self) -> impl Iterator<Item = &(SimTime, u32)> {
        self.recommendations.iter()
    }

    /// One reconcile. Records the recommendation; the caller scales to `desired` and then
    /// calls [`Hpa::record_scale`].
    #[allow(clippy::too_many_arguments)]
    pub fn reconcile(
        &mut self,
        cfg: &HpaConfig,
        min: u32,
        max: u32,
        now: SimTime,
        current: u32,
        pods: &[PodReading],
    ) -> HpaOutcome {
        self.last_sync = now;
        self.prune(cfg, now);
        let mut out = HpaOutcome {
            utilisation: 0.0,
            target: cfg.target_cpu_pct,
            recommended: current,
            within_tolerance: false,
            stabilised: current,
            desired: current,
            rate_limited: None,
            rate: None,
            up_lowest: current,
            down_highest: current,
            reason: Reason::HpaRatio,
            calculation: None,
        };
        // Out-of-bounds fleets are clamped before any metric is read (as the controller does).
        if current < min || current > max {
            out.desired = current.clamp(min, max);
            out.reason = if current < min {
                Reason::BelowMin
            } else {
                Reason::AboveMax
            };
            return out;
        }
        // The replica calculator: the ready pods' average, with booting pods and gaps in the
        // metrics counted the way that moves the fleet least.
        let Some(rec) = recommend(current, pods, cfg.target_cpu_pct, cfg.tolerance) else {
            out.reason = Reason::NoReadyPods;
            return out;
        };
        out.utilisation = f64::from(rec.utilisation);
        out.within_tolerance = rec.within_tolerance;
        if out.within_tolerance {
            out.reason = Reason::WithinTolerance;
        }
        out.calculation = Some(rec);
        let recommended = rec.replicas;
        out.recommended = recommended;
        let (up_lowest, down_highest) = self.window_bounds(cfg, now, recommended);
        out.up_lowest = up_lowest;
        out.down_highest = down_highest;
        out.stabilised = current.max(up_lowest).min(down_highest);
        self.recommendations.push_back((now, recommended));

        // Contiguous in place: the policies read the history as slices, with no copy.
        let up: &[ScaleEvent] = self.up_events.make_contiguous();
        let down: &[ScaleEvent] = self.down_events.make_contiguous();
        let mut desired = out.stabilised;
        if desired != current {
            let direction = if desired > current {
                Direction::Up
            } else {
                Direction::Down
            };
            let rules = match direction {
                Direction::Up => &cfg.scale_up,
                Direction::Down => &cfg.scale_down,
            };
            let selected = select_limit(now, current, up, down, rules, direction);
            let policy_limit = selected.map_or(current, |(l, _, _)| to_u32(l));
            let (limit, allowed, beyond) = match direction {
                Direction::Up => {
                    let limit = policy_limit.max(current);
                    let allowed = max.min(limit);
                    (limit, allowed, desired > allowed)
                }
                Direction::Down => {
                    let limit = policy_limit.min(current);
                    let allowed = min.max(limit);
                    (limit, allowed, desired < allowed)
                }
            };
            let mut binding = false;
            if beyond {
                let by_policy = match direction {
                    Direction::Up => limit < max,
                    Direction::Down => limit > min,
                };
                if by_policy {
                    out.rate_limited = Some(limit);
                    binding = true;
                } else {
                    out.reason = match direction {
                        Direction::Up => Reason::AtMax,
                        Direction::Down => Reason::AtMin,
                    };
                }
                desired = allowed;
            }
            out.rate = Some(RateLimit {
                direction,
                policy: selected.map(|(_, p, _)| p),
                start: selected.map_or(current, |(_, _, s)| to_u32(s)),
                limit,
                binding,
            });
        }
        out.desired = desired.clamp(min, max);
        out
    }

    /// `stabilizeRecommendationWithBehaviors`'s two bounds: the lowest recommendation of the
    /// scale-up window and the highest of the scale-down window (the current recommendation
    /// counts in both). The stabilised count is the current one raised to the first and
    /// lowered to the second.
    fn window_bounds(&self, cfg: &HpaConfig, now: SimTime, recommended: u32) -> (u32, u32) {
        let up_cutoff = now.0.checked_sub(cfg.scale_up.stabilization_window.0);
        let down_cutoff = now.0.checked_sub(cfg.scale_down.stabilization_window.0);
        let mut up_rec = recommended;
        let mut down_rec = recommended;
        for &(t, r) in &self.recommendations {
            if up_cutoff.is_none_or(|c| t.0 > c) {
                up_rec = up_rec.min(r);
            }
            if down_cutoff.is_none_or(|c| t.0 > c) {
                down_rec = down_rec.max(r);
            }
        }
        (up_rec, down_rec)
    }

    /// Remembers a scaling change for the rate policies.
    pub fn record_scale(&mut self, now: SimTime, from: u32, to: u32) {
        if to > from {
            self.up_events.push_back((now, to - from));
        } else if from > to {
            self.down_events.push_back((now, from - to));
        }
    }

    /// Drops history no window or policy period can still see.
    fn prune(&mut self, cfg: &HpaConfig, now: SimTime) {
        let keep = cfg
            .scale_up
            .stabilization_window
            .max(cfg.scale_down.stabilization_window);
        let policy_keep = cfg
            .scale_up
            .longest_period()
            .max(cfg.scale_down.longest_period());
        if let Some(c) = now.0.checked_sub(keep.0) {
            while self.recommendations.front().is_some_and(|(t, _)| t.0 <= c) {
                self.recommendations.pop_front();
            }
        }
        if let Some(c) = now.0.checked_sub(policy_keep.0) {
            while self.up_events.front().is_some_and(|(t, _)| t.0 <= c) {
                self.up_events.pop_front();
            }
            while self.down_events.front().is_some_and(|(t, _)| t.0 <= c) {
                self.down_events.pop_front();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: SimTime = SimTime::from_secs(1_000);

    #[test]
    fn kubernetes_doc_vector_three_pods_to_five() {
        let u = utilisation_pct(&[300, 500, 700], &[1_000, 1_000, 1_000]);
        assert_eq!(u, 50.0);
        assert_eq!(desired_replicas(3, 3, u, 30.0, 0.1), 5);
    }

    #[test]
    fn tolerance_keeps_the_count() {
        assert_eq!(desired_replicas(3, 3, 31.5, 30.0, 0.1), 3);
        assert_eq!(desired_replicas(3, 3, 28.5, 30.0, 0.1), 3);
        assert_eq!(desired_replicas(3, 3, 33.3, 30.0, 0.1), 4);
    }

    #[test]
    fn default_scale_up_is_max_of_double_and_plus_four() {
        let r = ScalingRules::default_up();
        assert_eq!(scale_up_limit(T0, 2, &[], &[], &r), 6);
        assert_eq!(scale_up_limit(T0, 10, &[], &[], &r), 20);
        // Two replicas were already added within the period: it starts from 4.
        let recent = [(SimTime::from_secs(990), 2)];
        assert_eq!(scale_up_limit(T0, 6, &recent, &[], &r), 8);
        // An event exactly one period old no longer counts.
        let old = [(SimTime::from_secs(985), 2)];
        assert_eq!(scale_up_limit(T0, 6, &old, &[], &r), 12);
    }

    #[test]
    fn the_outcome_names_the_selected_policy_and_its_start() {
        let cfg = HpaConfig::default();
        // From 2 the pods policy allows more (6 > 4); from 10 the percent one (20 > 14).
        let out = Hpa::new().reconcile(&cfg, 1, 100, T0, 2, &PodReading::fleet(2, 0, 500.0));
        let rate = out.rate.unwrap();
        assert_eq!(rate.policy, Some(ScalingPolicy::pods(4, 15)));
        assert_eq!((rate.start, rate.limit, rate.binding), (2, 6, true));
        let out = Hpa::new().reconcile(&cfg, 1, 100, T0, 10, &PodReading::fleet(10, 0, 60.0));
        let rate = out.rate.unwrap();
        assert_eq!(rate.policy, Some(ScalingPolicy::percent(100, 15)));
        assert_eq!((rate.limit, rate.binding), (20, false));
        assert_eq!(out.desired, 12);
        // Within the tolerance nothing is to change, so no policy is consulted.
        let out = Hpa::new().reconcile(&cfg, 1, 100, T0, 10, &PodReading::fleet(10, 0, 52.0));
        assert_eq!(out.rate, None);
    }

    #[test]
    fn percent_rounds_up_and_truncates_down() {
        let up = ScalingRules {
            stabilization_window: SimDuration::ZERO,
            select: SelectPolicy::Max,
            policies: vec![ScalingPolicy::percent(50, 60)],
        };
        assert_eq!(scale_up_limit(T0, 5, &[], &[], &up), 8); // ceil(7.5)
        assert_eq!(scale_up_limit(T0, 10, &[], &[], &up), 15);
        let down = ScalingRules {
            stabilization_window: SimDuration::ZERO,
            select: SelectPolicy::Max,
            policies: vec![ScalingPolicy::percent(50, 60)],
        };
        assert_eq!(scale_down_limit(T0, 5, &[], &[], &down), 2); // int(2.5)
        assert_eq!(scale_down_limit(T0, 3, &[], &[], &down), 1); // int(1.5)
        let min_select = ScalingRules {
            select: SelectPolicy::Min,
            policies: vec![ScalingPolicy::percent(50, 60), ScalingPolicy::pods(1, 60)],
            ..down
        };
        assert_eq!(scale_down_limit(T0, 10, &[], &[], &min_select), 9);
    }

    #[test]
    fn stabilisation_holds_the_highest_recent_recommendation() {
        let cfg = HpaConfig::default();
        let mut hpa = Hpa::new();
        // At 8 replicas, fully busy: recommend up (bounded by max 8 here).
        let first = hpa.reconcile(
            &cfg,
            1,
            8,
            SimTime::from_secs(15),
            8,
            &PodReading::fleet(8, 0, 50.0),
        );
        assert_eq!(first.desired, 8);
        // Load falls: the rule recommends 2, but 8 is in the window.
        let held = hpa.reconcile(
            &cfg,
            1,
            8,
            SimTime::from_secs(30),
            8,
            &PodReading::fleet(8, 0, 12.5),
        );
        assert_eq!(held.recommended, 2);
        assert_eq!(held.stabilised, 8);
        assert_eq!(held.desired, 8);
        // 300 s after the high recommendation it has left the window.
        let later = hpa.reconcile(
            &cfg,
            1,
            8,
            SimTime::from_secs(315),
            8,
            &PodReading::fleet(8, 0, 12.5),
        );
        assert_eq!(later.stabilised, 2);
        assert_eq!(later.desired, 2);
    }

    #[test]
    fn rate_policy_limits_a_big_jump() {
        let cfg = HpaConfig::default();
        let mut hpa = Hpa::new();
        let out = hpa.reconcile(
            &cfg,
            1,
            100,
            SimTime::from_secs(15),
            2,
            &PodReading::fleet(2, 0, 100.0 * 5.0),
        );
        assert_eq!(out.recommended, 20);
        assert_eq!(out.desired, 6);
        assert_eq!(out.rate_limited, Some(6));
    }

    #[test]
    fn invalid_configs_are_rejected() {
        let tol = HpaConfig {
            tolerance: 1.0,
            ..HpaConfig::default()
        };
        assert_eq!(
            tol.validate(),
            Err(ScalingError::ToleranceOutOfRange { value: 1.0 })
        );
        let nan = HpaConfig {
            target_cpu_pct: f64::NAN,
            ..HpaConfig::default()
        };
        assert!(nan.validate().is_err());
        let mut none = HpaConfig::default();
        none.scale_up.policies.clear();
        assert_eq!(
            none.validate(),
            Err(ScalingError::NoPolicies {
                direction: Direction::Up
            })
        );
    }
}
