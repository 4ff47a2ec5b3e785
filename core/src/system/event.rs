//! What the system model reports: a request's journey hop by hop, the autoscaler's reading,
//! and chaos starting and ending. Each event carries enough to draw without the model.

use super::SystemAction;
use crate::balancing::StrategyKind;
use crate::scaling::ThresholdVerdict;
use crate::sim::SimTime;
use serde::{Deserialize, Serialize};

/// Time a request spent at each hop, in microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hops {
    /// The balancer's own time plus the wait in the instance's queue.
    pub balancer: u64,
    /// The app instance's CPU work.
    pub app: u64,
    /// The instance's own cache lookup.
    pub l1: u64,
    /// The shared cache's round trip (an invalidation, for a write).
    pub l2: u64,
    /// The shard's queue and service (or the wait for a coalesced read).
    pub shard: u64,
}

/// The hops in path order, as readouts and charts name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hop {
    /// [`Hops::balancer`].
    Balancer,
    /// [`Hops::app`].
    App,
    /// [`Hops::l1`].
    L1,
    /// [`Hops::l2`].
    L2,
    /// [`Hops::shard`].
    Shard,
}

impl Hop {
    /// Every hop in path order.
    pub const ALL: [Hop; 5] = [Hop::Balancer, Hop::App, Hop::L1, Hop::L2, Hop::Shard];

    /// The hop's name (`balancer`, `app`, `l1`, `l2`, `shard`).
    pub const fn name(self) -> &'static str {
        match self {
            Hop::Balancer => "balancer",
            Hop::App => "app",
            Hop::L1 => "l1",
            Hop::L2 => "l2",
            Hop::Shard => "shard",
        }
    }
}

impl Hops {
    /// The time spent at `hop`.
    pub const fn at(&self, hop: Hop) -> u64 {
        match hop {
            Hop::Balancer => self.balancer,
            Hop::App => self.app,
            Hop::L1 => self.l1,
            Hop::L2 => self.l2,
            Hop::Shard => self.shard,
        }
    }

    /// End to end: every hop added.
    pub const fn total(&self) -> u64 {
        self.balancer + self.app + self.l1 + self.l2 + self.shard
    }
}

/// Which level answered a read, or that it was a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// The instance's own cache.
    L1,
    /// The shared cache.
    L2,
    /// The key's shard (both caches missed).
    Shard,
    /// Another request's store read of the same key, waited for (coalescing).
    Coalesced,
    /// A write: stored on the key's shard, the shared cache's copy deleted.
    Write,
}

/// Where a request was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropPoint {
    /// No instance was ready to take it.
    NoInstance,
    /// The picked instance's queue would have held it past the balancer's timeout.
    AppQueue,
    /// The key's shard queue would have held it past the store's timeout.
    ShardQueue,
}

/// Why a request that was taken got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailReason {
    /// Its instance was killed while it was queued or being served.
    InstanceKilled,
    /// Its key's shard was down.
    ShardDown,
}

/// The autoscaler's inputs and what it made of them, at one reading.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AutoscaleWhy {
    /// Mean CPU of the ready instances over the last interval, in %.
    pub cpu_pct: f64,
    /// The scale-out line, in %.
    pub up_pct: f64,
    /// The scale-in line, in %.
    pub down_pct: f64,
    /// Instances serving.
    pub ready: u32,
    /// Instances booting (counted toward the fleet, not yet serving).
    pub booting: u32,
    /// The fleet's bounds.
    pub min: u32,
    /// The fleet's bounds.
    pub max: u32,
    /// What the threshold rule wanted before the cooldown.
    pub verdict: ThresholdVerdict,
    /// The end of the cooldown that held the wish back, if one did.
    pub cooldown_until: Option<SimTime>,
}

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SystemEvent {
    /// A request reached the balancer, which sent it to `instance`.
    Routed {
        /// When.
        at: SimTime,
        /// Its id.
        request: u64,
        /// Its key.
        key: u64,
        /// Whether it writes its key.
        write: bool,
        /// The instance picked.
        instance: u32,
        /// The rule that picked it.
        strategy: StrategyKind,
        /// Requests the instance held when picked (its "connections").
        active: u32,
    },
    /// A request came back with its answer.
    Answered {
        /// When.
        at: SimTime,
        /// Its id.
        request: u64,
        /// Its key.
        key: u64,
        /// The instance that served it.
        instance: u32,
        /// Which level answered.
        answer: Answer,
        /// The key's shard, when the store was asked.
        shard: Option<u32>,
        /// Time at each hop.
        hops: Hops,
    },
    /// A request was turned away.
    Dropped {
        /// When.
        at: SimTime,
        /// Its id.
        request: u64,
        /// Where.
        point: DropPoint,
    },
    /// A request that was taken got no answer.
    Failed {
        /// When.
        at: SimTime,
        /// Its id.
        request: u64,
        /// Why.
        reason: FailReason,
    },
    /// A store read came back and filled the caches.
    Filled {
        /// When.
        at: SimTime,
        /// The key.
        key: u64,
        /// Whether the shared cache took it (not while it is down).
        l2: bool,
    },
    /// The autoscaler read CPU.
    Autoscale {
        /// When.
        at: SimTime,
        /// Its inputs and wish.
        why: AutoscaleWhy,
    },
    /// A new instance started booting.
    InstanceBooting {
        /// When.
        at: SimTime,
        /// Its id.
        instance: u32,
        /// When it takes traffic.
        ready_at: SimTime,
    },
    /// A booted instance took its first traffic.
    InstanceReady {
        /// When.
        at: SimTime,
        /// Its id.
        instance: u32,
    },
    /// An instance left the tier (scaled in or killed).
    InstanceRemoved {
        /// When.
        at: SimTime,
        /// Its id.
        instance: u32,
        /// Whether chaos killed it (its queued requests fail) rather than the autoscaler.
        killed: bool,
    },
    /// A chaos switch took effect.
    ChaosStarted {
        /// When.
        at: SimTime,
        /// What, with how long it lasts.
        chaos: SystemAction,
    },
    /// A timed chaos switch wore off.
    ChaosEnded {
        /// When.
        at: SimTime,
        /// What.
        chaos: SystemAction,
    },
}

impl AutoscaleWhy {
    /// The reading as a sentence: the CPU against the line it crossed (or both lines), and
    /// what the autoscaler did about it, e.g. "CPU 82.0 % is above the 70.0 % line: one more
    /// instance (3 serving, 0 booting)".
    pub fn sentence(&self) -> String {
        use crate::num_text::push_fixed;
        let mut s = String::from("CPU ");
        push_fixed(&mut s, self.cpu_pct, 1);
        let line = |s: &mut String, word: &str, pct: f64| {
            s.push_str(word);
            push_fixed(s, pct, 1);
            s.push_str(" % line");
        };
        s.push_str(" %");
        match self.verdict {
            ThresholdVerdict::Up(_) | ThresholdVerdict::AtLimit(_) => {
                line(&mut s, " is above the ", self.up_pct)
            }
            ThresholdVerdict::Down(_) => line(&mut s, " is below the ", self.down_pct),
            ThresholdVerdict::Hold => {
                line(&mut s, " lies between the ", self.down_pct);
                s.push_str(" and the ");
                push_fixed(&mut s, self.up_pct, 1);
                s.push_str(" % line");
            }
        }
        s.push_str(": ");
        s.push_str(match (self.verdict, self.cooldown_until) {
            (ThresholdVerdict::Hold, _) => "hold",
            (ThresholdVerdict::AtLimit(_), _) => "it would add one, but the tier is at its maximum",
            (_, Some(_)) => "it waits: the cooldown after the last change has not passed",
            (ThresholdVerdict::Up(_), None) => "one more instance",
            (ThresholdVerdict::Down(_), None) => "one instance fewer",
        });
        if let (Some(until), false) = (self.cooldown_until, self.verdict == ThresholdVerdict::Hold)
        {
            s.push_str(" (until ");
            s.push_str(&until.to_string());
            s.push(')');
        }
        s.push_str(" (");
        s.push_str(&self.ready.to_string());
        s.push_str(" serving, ");
        s.push_str(&self.booting.to_string());
        s.push_str(" booting)");
        s
    }
}
