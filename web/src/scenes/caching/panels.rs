//! The HTML around the drawing: live figures, the counters per level, the warm-up /
//! stampede / write-behind readouts, and the action buttons.

use super::build::{self, POLICIES, WORKLOADS, WRITE_POLICIES};
use super::drawing::reason_label;

use crate::components::svg::{ctl_button, Attr, El};
use crate::fixed::fixed;
use crate::params::ParamValues;
use scalelab_core::caching::{
    CacheStats, CachingAction, CachingModel, EvictionReason, Key, WorkloadKind, WritePolicy,
};
use yew::prelude::*;

/// Reads one stampede sends at a cold key.
pub const STAMPEDE_READS: u64 = 50;
/// Buffered keys listed by name.
const MAX_LISTED: usize = 24;

fn stat(k: &str, v: String) -> Html {
    El::new("div")
        .set(Attr::Class, "stat")
        .el(El::new("span").set(Attr::Class, "k").kid(k.to_string()))
        .el(El::new("span").set(Attr::Class, "v").kid(v))
        .html()
}

fn pct(r: Option<f64>) -> String {
    r.map(|r| format!("{}%", fixed(r * 100.0, 0)))
        .unwrap_or_else(|| "—".into())
}

fn ms(us: u64) -> String {
    if us < 10 {
        return format!("{us} µs");
    }
    let v = us as f64 / 1_000.0;
    if v >= 10.0 {
        format!("{} ms", fixed(v, 0))
    } else {
        format!("{} ms", fixed(v, 2))
    }
}

pub fn stats(m: &CachingModel) -> Html {
    let s = m.stats();
    {
        El::new("div")
            .set(Attr::Class, "stat-grid")
            .set(Attr::AriaLabel, "Live figures")
            .kid(stat("L1 hit rate", pct(m.recent_l1_hit_rate())))
            .kid(stat("L2 hit rate", pct(m.recent_l2_hit_rate())))
            .kid(stat("overall", pct(m.recent_hit_rate())))
            .kid(stat("origin loads", s.origin.loads.to_string()))
            .kid(stat("read p50", ms(s.read_latency.p50)))
            .kid(stat("read p99", ms(s.read_latency.p99)))
            .kid(stat("in flight", s.requests.in_flight.to_string()))
            .html()
    }
}

fn level_row(name: &str, c: &CacheStats) -> Html {
    {
        El::new("tr")
            .el(El::new("th").set(Attr::Scope, "row").kid(name.to_string()))
            .el(El::new("td").kid(c.hits))
            .el(El::new("td").kid(c.misses))
            .el(El::new("td").kid(format!("{}%", fixed(c.hit_rate * 100.0, 1))))
            .el(El::new("td").kid(c.evictions.capacity))
            .el(El::new("td").kid(c.evictions.expired))
            .el(El::new("td").kid(c.evictions.explicit))
            .el(El::new("td").kid(c.len))
            .html()
    }
}

/// Adds the counters table and the origin line to `out`.
pub fn counters(out: El, m: &CachingModel) -> El {
    let s = m.stats();
    {
        out.el(El::new("div").set(Attr::Style, "overflow-x:auto").kid(El::new("table").set(Attr::Class, "data caching-counters").set(Attr::AriaLabel, "Counters per cache level (L1's restart when its policy or size changes)").kid(El::new("thead").kid(El::new("tr").kid(El::new("th").set(Attr::Scope, "col").text("Level").html()).kid(El::new("th").set(Attr::Scope, "col").text("hits").html()).kid(El::new("th").set(Attr::Scope, "col").text("misses").html()).kid(El::new("th").set(Attr::Scope, "col").text("hit rate").html()).kid(El::new("th").set(Attr::Scope, "col").kid(format!("out: {}", reason_label(EvictionReason::Capacity))).html()).kid(El::new("th").set(Attr::Scope, "col").kid(format!("out: {}", reason_label(EvictionReason::Expired))).html()).kid(El::new("th").set(Attr::Scope, "col").kid(format!("out: {}", reason_label(EvictionReason::Explicit))).html()).kid(El::new("th").set(Attr::Scope, "col").text("entries").html()).html()).html()).kid(El::new("tbody").kid(level_row("L1", &s.l1)).kid(level_row("L2", &s.l2.cache)).html()).html()))
            .el(El::new("p").set(Attr::Class, "muted caching-origin-line").kid(format!(
                    "L1 counters restart when its policy or size changes. Origin: {} loads, {} warm loads, {} writes, {} stale reads · requests: {} reads, {} writes; answered by L1 {}, L2 {}, origin {} · {} coalesced waits",
                    s.origin.loads, s.origin.warm_loads, s.origin.writes, s.origin.stale_reads,
                    s.requests.reads, s.requests.writes,
                    s.requests.served_by_l1, s.requests.served_by_l2, s.requests.served_by_origin,
                    s.requests.coalesced,
                )))
    }
}

fn key_list(keys: &[Key]) -> String {
    let mut out: Vec<String> = keys
        .iter()
        .take(MAX_LISTED)
        .map(|k| format!("key:{k}"))
        .collect();
    if keys.len() > MAX_LISTED {
        out.push(format!("… {} more", keys.len() - MAX_LISTED));
    }
    out.join(" ")
}

/// Warm-up progress, the last stampede's cost, the write-behind buffer and the last crash.
pub fn status(m: &CachingModel) -> Html {
    let sim = m;
    let lost = m.lost_writes();
    let warming = m.last_warming().map(|w| {
        let total = w.to_load().max(1);
        let done = w.loaded.min(total);
        let text = match w.elapsed {
            Some(e) => format!(
                "Warm-up done: {} keys loaded, {} already cached, in {} ms of simulated time.",
                w.loaded,
                w.skipped,
                fixed(e.as_micros() as f64 / 1e3, 0)
            ),
            None => format!(
                "Warming: {done} of {} keys loaded ({} already cached)…",
                w.to_load(),
                w.skipped
            ),
        };
        {
            El::new("p")
                .set(Attr::Class, "caching-warming")
                .el(El::new("progress")
                    .a(Attr::Max, total.to_string())
                    .a(Attr::Value, done.to_string())
                    .set(Attr::AriaLabel, "Warm-up progress"))
                .text(" ")
                .kid(text)
                .html()
        }
    });
    let stampede = m.last_stampede().map(|s| {
        let tone = if s.answered < s.reads {
            None
        } else if s.loads > 1 {
            Some("warn")
        } else {
            Some("ok")
        };
        {
            El::new("p").set(Attr::Class, "caching-stampede").el(El::new("span").val(Attr::Class, tone.map_or(AttrValue::Static("badge"), |t| AttrValue::from(format!("badge {t}")))).kid(format!("{} origin load{}", s.loads, if s.loads == 1 { "" } else { "s" }))).kid(format!(
                    " Stampede: {} concurrent reads of cold key:{} (coalescing {}) → {} origin load{}, {} waited on a load in flight, {} of {} answered.",
                    s.reads, s.key, if s.coalescing { "on" } else { "off" },
                    s.loads, if s.loads == 1 { "" } else { "s" }, s.waits, s.answered.min(s.reads), s.reads
                )).html()
        }
    });
    let buffered = sim.buffered_keys();
    let write_behind = matches!(sim.config().write_policy, WritePolicy::WriteBehind { .. });
    let mut out = El::new("div")
        .set(Attr::Class, "caching-status")
        .set(Attr::AriaLive, "off");
    if let Some(w) = warming {
        out = out.child(w);
    }
    if let Some(s) = stampede {
        out = out.child(s);
    }
    if write_behind || !buffered.is_empty() {
        let mut p = El::new("p").set(Attr::Class, "caching-buffer").kid(format!(
            "Write-behind buffer: {} write{} not yet at the origin",
            buffered.len(),
            if buffered.len() == 1 { "" } else { "s" }
        ));
        if !buffered.is_empty() {
            p = p.kid(format!(": {}", key_list(&buffered)));
        }
        out = out.child(p.html());
    }
    if !lost.is_empty() {
        let mut keys = El::new("p").set(Attr::Class, "caching-lost-keys").set(
            Attr::Style,
            "display:flex;flex-wrap:wrap;gap:0.25rem 0.4rem;margin-top:0.25rem",
        );
        for l in lost.iter().take(MAX_LISTED) {
            keys = keys.el(El::new("span")
                .set(Attr::Class, "badge warn")
                .string(
                    Attr::Title,
                    format!(
                        "version {} never reached the origin, which still has version {}",
                        l.version, l.origin_version
                    ),
                )
                .kid(format!(
                    "✕ LOST key:{} v{} (origin v{})",
                    l.key, l.version, l.origin_version
                )));
        }
        if lost.len() > MAX_LISTED {
            keys = keys.el(El::new("span")
                .set(Attr::Class, "muted")
                .kid(format!("… and {} more", lost.len() - MAX_LISTED)));
        }
        out = out.el(El::new("div")
                .set(Attr::Class, "caching-lost")
                .set(Attr::Role, "status")
                .child(
                    El::new("p")
                        .child(
                            El::new("span")
                                .set(Attr::Class, "badge warn")
                                .text("⚠ DATA LOST")
                                .html(),
                        )
                        .kid(format!(
                            " The crash lost {} buffered write{}; the origin still has the older versions:",
                            lost.len(),
                            if lost.len() == 1 { "" } else { "s" }
                        ))
                        .html(),
                )
                .child(keys.html()));
    }
    out.html()
}

fn button(
    act: &Callback<CachingAction>,
    label: String,
    action: CachingAction,
    class: Option<&'static str>,
    pressed: Option<bool>,
    disabled: bool,
    title: &str,
) -> Html {
    let act = act.clone();
    ctl_button(
        class.unwrap_or(""),
        label,
        Callback::from(move |_| act.emit(action)),
    )
    .a(Attr::AriaPressed, pressed.map(|p| p.to_string()))
    .opt(Attr::Disabled, disabled.then_some("disabled"))
    .string(Attr::Title, title.to_string())
    .html()
}

pub fn actions(m: &CachingModel, params: &ParamValues, act: &Callback<CachingAction>) -> Html {
    let sim = m;
    let config = sim.config();
    let policy = config.l1.policy;
    let workload = config.workload.name();
    let keys = config.workload.keys();
    let write = config.write_policy.name();
    let warming = sim.is_warming();
    let capacity = config.l1.capacity;
    let cold = m.cold_key();
    let delay = params.int("delay");
    let crash_ok = m.can_crash();
    let warm = |n: u64| {
        let n = n.min(keys).max(1);
        button(
            act,
            format!("Warm hottest {n}"),
            CachingAction::Warm { count: n },
            None,
            None,
            warming,
            "Load keys 0…N−1 (the most popular under Zipf) before traffic needs them, 10 at a time",
        )
    };
    let group = |label: &'static str| {
        El::new("div")
            .set(Attr::Class, "actions")
            .set(Attr::Role, "group")
            .set(Attr::AriaLabel, label)
    };
    let caption = |text: &'static str| El::new("span").set(Attr::Class, "muted").text(text).html();
    let mut policies = group("L1 eviction policy (live switch)").child(caption("Policy:"));
    for (name, label) in POLICIES {
        if let Some(p) = build::parse_policy(name) {
            policies = policies.child(button(
                act,
                label.to_string(),
                CachingAction::Policy(p),
                None,
                Some(p == policy),
                false,
                "Rebuild L1 under this policy, keeping the fresh entries that fit",
            ));
        }
    }
    let mut workloads = group("Key workload (live switch)").child(caption("Workload:"));
    for (name, label) in WORKLOADS {
        let Some(kind) = WorkloadKind::from_name(name) else {
            continue;
        };
        workloads = workloads.child(button(
            act,
            label.to_string(),
            CachingAction::Workload(kind),
            None,
            Some(*name == workload),
            false,
            "Requests ask for keys this way from now on",
        ));
    }
    let mut warm_group = group("Warming, stampede and L1 size").child(warm(20));
    if keys > 20 {
        warm_group = warm_group.child(warm(100));
    }
    warm_group = warm_group
        .child(button(
            act,
            format!("Inject stampede ({STAMPEDE_READS} reads of key:{cold})"),
            CachingAction::Stampede {
                key: cold,
                count: STAMPEDE_READS,
            },
            Some("danger"),
            None,
            false,
            "Fifty concurrent reads of one cold key arrive at once",
        ))
        .child(button(
            act,
            if config.coalescing {
                "Coalescing: on".into()
            } else {
                "Coalescing: off".into()
            },
            CachingAction::Coalescing(!config.coalescing),
            None,
            Some(config.coalescing),
            false,
            "Request coalescing (singleflight): concurrent misses on one key share one origin load",
        ))
        .child(button(
            act,
            "L1 ÷2".into(),
            CachingAction::Resize((capacity / 2).max(1)),
            None,
            None,
            capacity <= 1,
            "Halve the L1 capacity",
        ))
        .child(button(
            act,
            "L1 ×2".into(),
            CachingAction::Resize((capacity * 2).min(build::MAX_CAPACITY as u64)),
            None,
            None,
            capacity >= build::MAX_CAPACITY as u64,
            "Double the L1 capacity (up to 64 slots)",
        ));
    let mut writes = group("Writes and failures").child(caption("Writes:"));
    for (name, label) in WRITE_POLICIES {
        if let Some(p) = build::write_policy(name, delay) {
            writes = writes.child(button(
                act,
                label.to_string(),
                CachingAction::Write(p),
                None,
                Some(*name == write),
                false,
                "How later writes are handled",
            ));
        }
    }
    writes = writes
        .child(button(
            act,
            "Crash write-behind".into(),
            CachingAction::Crash,
            Some("danger"),
            None,
            !crash_ok,
            "The process holding the write-behind buffer dies: unflushed writes are lost",
        ))
        .child(button(
            act,
            "Flush L2".into(),
            CachingAction::FlushL2,
            None,
            None,
            false,
            "FLUSHALL on the shared cache",
        ))
        .child(button(
            act,
            "Clear both caches".into(),
            CachingAction::Clear,
            None,
            None,
            false,
            "Empty L1 and L2",
        ));
    El::new("div")
        .set(Attr::Class, "caching-actions")
        .child(policies.html())
        .child(workloads.html())
        .child(warm_group.html())
        .child(writes.html())
        .html()
}
