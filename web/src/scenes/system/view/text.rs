//! The words of the system scene: each chaos switch's name, and what it shows (as data, one
//! place), and the sentences the narration says for the events worth saying.

use crate::scenes::system::inspect::instance_name;
use scalelab_core::system::{SystemAction, SystemEvent};

/// A chaos switch as the panel shows it: its button, and the one line under it saying what to
/// watch.
#[derive(PartialEq)]
pub struct SwitchText {
    pub label: &'static str,
    pub shows: &'static str,
}

pub const KILL: SwitchText = SwitchText {
    label: "Kill an instance",
    shows:
        "Its queued requests fail and its L1 is lost; the balancer sends its share to the others.",
};
pub const SLOW_INSTANCE: SwitchText = SwitchText {
    label: "Slow an instance ×10 (20 s)",
    shows: "Requests sent to it wait; least connections and least response time send it fewer.",
};
pub const FLUSH: SwitchText = SwitchText {
    label: "Flush the L2",
    shows: "Every read that misses its L1 now reaches a shard until the shared cache refills.",
};
pub const CRASH: SwitchText = SwitchText {
    label: "Crash the L2 (10 s)",
    shows: "Reads go from L1 straight to the shards; the L2 comes back empty.",
};
pub const HOT_KEY: SwitchText = SwitchText {
    label: "Hot key user:7 (30 s)",
    shows:
        "A third of requests ask for one key: caches absorb its reads, its shard takes its writes.",
};
pub const SHARD_DOWN: SwitchText = SwitchText {
    label: "Take a shard down (10 s)",
    shows: "Cache misses for its keys fail; its data is kept and reads again when it is back.",
};
pub const SLOW_SHARD: SwitchText = SwitchText {
    label: "Slow a shard ×10 (20 s)",
    shows: "Only requests that reach it are slow, and they set the p99.",
};
pub const SPIKE: SwitchText = SwitchText {
    label: "Traffic spike ×4 (30 s)",
    shows: "The queues grow before the autoscaler's new instances finish booting.",
};
pub const STAMPEDE: SwitchText = SwitchText {
    label: "Stampede: 500 reads of user:0",
    shows: "The key expires everywhere and 500 reads of it arrive at once: they flood the app queues (watch the p99), and each one that misses before the first store read returns reads the shard too.",
};
pub const COALESCE_ON: SwitchText = SwitchText {
    label: "Turn coalescing on",
    shows: "Concurrent misses on one key wait for the first one's read instead of each reading the shard.",
};
pub const COALESCE_OFF: SwitchText = SwitchText {
    label: "Turn coalescing off",
    shows: "Every miss reads its shard again, however many ask for the same key at once.",
};

/// The switch in a few words: "kill app-2", "crash the L2 for 10.000s".
pub fn push_chaos(s: &mut String, a: &SystemAction) {
    let text = match a {
        SystemAction::KillInstance { instance } => format!("kill {}", instance_name(*instance)),
        SystemAction::SlowInstance {
            instance,
            factor,
            duration,
        } => format!("slow {} {factor}× for {duration}", instance_name(*instance)),
        SystemAction::FlushL2 => "flush the L2".to_string(),
        SystemAction::CrashL2 { duration } => format!("crash the L2 for {duration}"),
        SystemAction::HotKey { key, duration, .. } => {
            format!("make user:{key} a hot key for {duration}")
        }
        SystemAction::ShardDown { shard, duration } => {
            format!("take shard {shard} down for {duration}")
        }
        SystemAction::SlowShard {
            shard,
            factor,
            duration,
        } => format!("slow shard {shard} {factor}× for {duration}"),
        SystemAction::Spike { duration, .. } => format!("a traffic spike for {duration}"),
        SystemAction::Stampede { key, requests } => {
            format!("a stampede of {requests} reads of user:{key}")
        }
        SystemAction::SetCoalescing { on } => {
            format!("request coalescing {}", if *on { "on" } else { "off" })
        }
    };
    s.push_str(&text);
}

/// The narration's sentence for `event`, or `None` for one request's events (too many to say).
pub fn narrate(event: &SystemEvent) -> Option<String> {
    let mut s = String::new();
    match event {
        SystemEvent::ChaosStarted { at, chaos } => {
            s.push_str("At ");
            s.push_str(&at.to_string());
            s.push_str(": chaos, ");
            push_chaos(&mut s, chaos);
        }
        SystemEvent::ChaosEnded { at, chaos } => {
            s.push_str("At ");
            s.push_str(&at.to_string());
            s.push_str(": over, ");
            push_chaos(&mut s, chaos);
        }
        SystemEvent::InstanceBooting {
            instance, ready_at, ..
        } => {
            s.push_str("The autoscaler started ");
            s.push_str(&instance_name(*instance));
            s.push_str("; it serves from ");
            s.push_str(&ready_at.to_string());
        }
        SystemEvent::InstanceReady { instance, .. } => {
            s.push_str(&instance_name(*instance));
            s.push_str(" finished booting and takes traffic");
        }
        SystemEvent::InstanceRemoved {
            instance, killed, ..
        } => {
            s.push_str(&instance_name(*instance));
            s.push_str(if *killed {
                " was killed: the requests it held failed"
            } else {
                " was scaled in"
            });
        }
        _ => return None,
    }
    s.push('.');
    Some(s)
}
