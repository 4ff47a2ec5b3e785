//! The Kubernetes HPA's replica calculator for a resource metric (CPU): how the controller
//! turns each pod's reading into a replica count (`GetResourceReplicas` in
//! `pkg/controller/podautoscaler/replica_calculator.go`).
//!
//! Beyond `ceil(ready × utilisation / target)`, it is careful with pods it cannot trust:
//! - a pod that is not ready (still booting) is left out of the average; but when the ready
//!   pods ask for a scale-up, it is counted as using 0 % of its request, so a fleet that is
//!   already growing does not grow again for the same load;
//! - a pod without a metric counts as 0 % on a scale-up and as 100 % (or the target, when that
//!   is higher) on a scale-down, so a gap in the metrics never makes the fleet move further;
//! - if counting them flips the direction, or lands within the tolerance, nothing changes.
//!
//! Utilisation is a whole percentage, truncated, as the controller computes it. Pods that are
//! failed, pending or being deleted are not passed in: the controller ignores them.

use serde::{Deserialize, Serialize};

/// One pod as the calculator reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PodReading {
    /// Its Ready condition.
    pub ready: bool,
    /// Its CPU request, in millicores.
    pub request_milli: u64,
    /// Its CPU use, in millicores; `None` when the metrics API returned nothing for it.
    pub usage_milli: Option<u64>,
}

impl PodReading {
    /// A simulated fleet: `ready` instances sharing `cpu_pct` of their capacity evenly, and
    /// `booting` ones not ready yet (serving nothing). Each requests one core.
    pub fn fleet(ready: u32, booting: u32, cpu_pct: f64) -> Vec<PodReading> {
        let share = if cpu_pct.is_finite() && cpu_pct > 0.0 {
            (cpu_pct * 10.0).round() as u64
        } else {
            0
        };
        let pod = |ready: bool, usage: u64| PodReading {
            ready,
            request_milli: 1_000,
            usage_milli: Some(usage),
        };
        (0..ready)
            .map(|_| pod(true, share))
            .chain((0..booting).map(|_| pod(false, 0)))
            .collect()
    }
}

/// What the calculator recommends, and the figures it used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReplicaCalculation {
    /// The replica count it recommends.
    pub replicas: u32,
    /// The ready pods' average utilisation, a whole %: what the controller reports.
    pub utilisation: u32,
    /// `utilisation / target`.
    pub ratio: f64,
    /// The ratio again with the not-ready and missing pods counted in (0 % on a scale-up,
    /// 100 % on a scale-down), when there were any to count.
    pub adjusted_ratio: Option<f64>,
    /// Pods left out of the average for not being ready.
    pub not_ready: u32,
    /// Pods without a metric.
    pub missing: u32,
    /// No change because the (adjusted) ratio was within the tolerance of 1.
    pub within_tolerance: bool,
    /// No change because counting the not-ready or missing pods turned the direction round.
    pub direction_flipped: bool,
}

/// `used × 100 / requested`, truncated to a whole %, as `GetResourceUtilizationRatio` does.
fn whole_pct(used: u64, requested: u64) -> u32 {
    (u128::from(used) * 100 / u128::from(requested.max(1))).min(u128::from(u32::MAX)) as u32
}

/// `ceil(ratio × pods)`, saturated into a replica count.
fn ceil_replicas(ratio: f64, pods: u64) -> u32 {
    // The small epsilon absorbs binary rounding (50/30 × 3 must give 5, not 6).
    let x = (ratio * pods as f64 - 1e-9).ceil();
    if x <= 0.0 {
        0
    } else {
        x.min(f64::from(u32::MAX)) as u32
    }
}

/// The replica count for `pods` at `target_pct` utilisation, from `current` replicas; `None`
/// when no ready pod has a metric (the controller then reports an error and changes nothing).
pub fn recommend(
    current: u32,
    pods: &[PodReading],
    target_pct: f64,
    tolerance: f64,
) -> Option<ReplicaCalculation> {
    if !(target_pct.is_finite() && target_pct > 0.0) {
        return None;
    }
    let (mut used, mut requested, mut counted) = (0u64, 0u64, 0u64);
    for p in pods.iter().filter(|p| p.ready) {
        if let Some(u) = p.usage_milli {
            used = used.saturating_add(u);
            requested = requested.saturating_add(p.request_milli);
            counted += 1;
        }
    }
    if counted == 0 || requested == 0 {
        return None;
    }
    let not_ready: Vec<&PodReading> = pods
        .iter()
        .filter(|p| !p.ready && p.usage_milli.is_some())
        .collect();
    let missing: Vec<&PodReading> = pods.iter().filter(|p| p.usage_milli.is_none()).collect();
    let utilisation = whole_pct(used, requested);
    let ratio = f64::from(utilisation) / target_pct;
    let mut out = ReplicaCalculation {
        replicas: current,
        utilisation,
        ratio,
        adjusted_ratio: None,
        not_ready: not_ready.len() as u32,
        missing: missing.len() as u32,
        within_tolerance: false,
        direction_flipped: false,
    };
    let scale_up_with_not_ready = !not_ready.is_empty() && ratio > 1.0;
    if !scale_up_with_not_ready && missing.is_empty() {
        if (1.0 - ratio).abs() <= tolerance {
            out.within_tolerance = true;
        } else {
            out.replicas = ceil_replicas(ratio, counted);
        }
        return Some(out);
    }
    // Fill in the pods it could not read, each in the direction that moves the count least.
    if ratio != 1.0 {
        let fallback_pct = target_pct.max(100.0);
        for p in &missing {
            if ratio < 1.0 {
                let as_used = (p.request_milli as f64 * fallback_pct / 100.0) as u64;
                used = used.saturating_add(as_used);
            }
            requested = requested.saturating_add(p.request_milli);
            counted += 1;
        }
    }
    if scale_up_with_not_ready {
        for p in &not_ready {
            requested = requested.saturating_add(p.request_milli);
            counted += 1;
        }
    }
    let adjusted = f64::from(whole_pct(used, requested)) / target_pct;
    out.adjusted_ratio = Some(adjusted);
    if (1.0 - adjusted).abs() <= tolerance {
        out.within_tolerance = true;
        return Some(out);
    }
    if (ratio < 1.0 && adjusted > 1.0) || (ratio > 1.0 && adjusted < 1.0) {
        out.direction_flipped = true;
        return Some(out);
    }
    let replicas = ceil_replicas(adjusted, counted);
    if (adjusted < 1.0 && replicas > current) || (adjusted > 1.0 && replicas < current) {
        out.direction_flipped = true;
        return Some(out);
    }
    out.replicas = replicas;
    Some(out)
}
