//! The inspector's content: the L1 policy's last eviction as a table of the order it chose
//! from (the victim marked), the last read's path, and a selected key's state in L1, L2 and
//! the origin. Every figure and sentence is the core's ([`Eviction`], [`ReadPath`]).

use crate::components::inspector::{DecisionTable, FactList, Inspection};
use scalelab_core::caching::{
    CachingModel, Eviction, EvictionPolicy, Key, L2Eviction, L2Policy, L2Standing, Standing,
};
use scalelab_core::sim::{SimDuration, SimTime};
use scalelab_core::Model;

/// The order's columns: the key, then the two figures the policy ranks by.
fn columns(policy: EvictionPolicy) -> Vec<&'static str> {
    let [a, b] = match policy {
        EvictionPolicy::Lru => ["recency", "idle"],
        EvictionPolicy::FifoNaive => ["inserted", "idle"],
        EvictionPolicy::Lfu => ["uses", "idle"],
        EvictionPolicy::Ttl => ["expires", "idle"],
        EvictionPolicy::WTinyLfu => ["segment", "freq"],
    };
    vec!["key", a, b]
}

/// One row: the key (with its part in the decision), then the two figures.
fn row(e: &Eviction, rank: usize, key: Key, standing: Standing) -> (bool, Vec<String>) {
    let mut name = format!("key:{key}");
    if e.least_recent == Some(key) && key != e.victim {
        name.push_str(" (LRU's pick)");
    }
    if e.duel.is_some_and(|d| d.candidate == key) {
        name.push_str(" (newcomer)");
    }
    let (a, b) = match standing {
        Standing::Idle { idle } => (format!("#{rank}"), idle.to_string()),
        Standing::Uses { uses, idle } => (uses.to_string(), idle.to_string()),
        Standing::Expires { at, idle } => (
            at.map_or("never".into(), |t| t.to_string()),
            idle.to_string(),
        ),
        Standing::Segment { region, frequency } => {
            (region.name().to_string(), frequency.to_string())
        }
    };
    (key == e.victim, vec![name, a, b])
}

fn eviction_table(e: &Eviction) -> DecisionTable {
    DecisionTable {
        caption: format!("L1 at {}, for key:{}", e.at, e.newcomer),
        why: e.to_string(),
        columns: columns(e.policy),
        rows: e
            .order
            .iter()
            .enumerate()
            .map(|(i, x)| row(e, i + 1, x.key, x.standing))
            .collect(),
        formula: None,
    }
}

/// The L2's eviction pool: each candidate with the figure its policy ranks by.
fn l2_eviction_table(e: &L2Eviction) -> DecisionTable {
    let figure = match e.policy {
        L2Policy::AllkeysLfu => "LFU counter",
        L2Policy::VolatileTtl => "expires",
        L2Policy::AllkeysLru | L2Policy::Noeviction => "idle",
    };
    DecisionTable {
        caption: format!("L2 at {}, for key:{}", e.at, e.newcomer),
        why: e.to_string(),
        columns: vec!["key", figure],
        rows: e
            .pool
            .iter()
            .map(|c| {
                let v = match c.standing {
                    L2Standing::Idle { idle } => idle.to_string(),
                    L2Standing::Counter { counter } => counter.to_string(),
                    L2Standing::Expires { at } => at.to_string(),
                };
                (c.key == e.victim, vec![format!("key:{}", c.key), v])
            })
            .collect(),
        formula: None,
    }
}

/// Time left until `at` (0 once passed).
fn left(at: SimTime, now: SimTime) -> String {
    SimDuration(at.0.saturating_sub(now.0)).to_string()
}

/// `key`'s state in each level.
fn key_facts(m: &CachingModel, key: Key) -> FactList {
    let now = m.now();
    let policy = m.config().l1.policy;
    let entries = m.l1_entries();
    let mut facts = Vec::new();
    match entries.iter().enumerate().find(|(_, e)| e.key == key) {
        Some((i, e)) => {
            facts.push(("L1 slot", e.slot.to_string()));
            let rank = format!("#{} of {}", i + 1, entries.len());
            match policy {
                EvictionPolicy::Lru => facts.push(("recency rank", rank)),
                EvictionPolicy::FifoNaive => facts.push(("insertion rank", rank)),
                EvictionPolicy::WTinyLfu => facts.push(("segment", e.region.name().into())),
                _ => facts.push(("keep rank", rank)),
            }
            if let Some(f) = e.frequency {
                let label = if policy == EvictionPolicy::Lfu {
                    "uses"
                } else {
                    "sketch freq"
                };
                facts.push((label, f.to_string()));
            }
            if let Some(t) = e.expires_at {
                facts.push(("L1 TTL left", left(t, now)));
            }
        }
        None => facts.push(("L1", "not cached".into())),
    }
    match m.cache().l2().expires_at(key) {
        Some(Some(t)) => facts.push(("L2 TTL left", left(t, now))),
        Some(None) => facts.push(("L2", "cached, no TTL".into())),
        None => facts.push(("L2", "not cached".into())),
    }
    if m.cache().l2().policy() == L2Policy::AllkeysLfu {
        if let Some(c) = m.cache().l2().lfu_counter(key, now) {
            facts.push(("L2 LFU counter", c.to_string()));
        }
    }
    facts.push((
        "origin version",
        m.cache().origin().version(key).to_string(),
    ));
    if let Some(e) = m.last_eviction().filter(|e| e.victim == key) {
        facts.push(("evicted from L1", e.at.to_string()));
    }
    FactList {
        title: format!("key:{key}"),
        facts,
    }
}

/// The caching scene's [`Inspection`].
pub fn inspect(m: &CachingModel, focus: Option<Key>) -> Inspection {
    let read = m.last_read().map(|r| format!("Last read at {}: {r}", r.at));
    // The newer of the two levels' last evictions (L1's on a tie).
    let l2 = m
        .last_l2_eviction()
        .filter(|l2| m.last_eviction().is_none_or(|l1| l2.at > l1.at));
    let decision = match (l2, m.last_eviction()) {
        (Some(e), _) => Some(DecisionTable {
            formula: read,
            ..l2_eviction_table(e)
        }),
        (None, Some(e)) => Some(DecisionTable {
            formula: read,
            ..eviction_table(e)
        }),
        (None, None) => read.map(|why| DecisionTable {
            why,
            ..DecisionTable::default()
        }),
    };
    Inspection {
        decision,
        focus: focus.map(|k| key_facts(m, k)),
        selectable: "a cache key (an L1 slot or an L2 cell)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValues;
    use crate::scenes::caching::{CachingScene, SPECS};
    use crate::scenes::Scene;

    #[test]
    fn the_inspector_shows_the_last_evictions_order_and_a_keys_state() {
        let race = CachingScene::build(&ParamValues::defaults(SPECS), 3).unwrap();
        let mut m = race.lead().unwrap().clone();
        assert_eq!(inspect(&m, None).decision, None);
        while m.last_eviction().is_none() {
            m.step();
        }
        let e = m.last_eviction().unwrap().clone();
        let i = inspect(&m, Some(e.victim));
        let d = i.decision.unwrap();
        assert_eq!(d.why, e.to_string());
        assert_eq!(d.columns, vec!["key", "recency", "idle"]);
        assert_eq!(d.rows.len(), e.order.len());
        let chosen: Vec<&Vec<String>> = d.rows.iter().filter(|r| r.0).map(|r| &r.1).collect();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0][0], format!("key:{}", e.victim));
        assert_eq!(chosen[0][1], format!("#{}", e.order.len()));
        let f = i.focus.unwrap();
        assert_eq!(f.title, format!("key:{}", e.victim));
        assert!(f.facts.contains(&("L1", "not cached".into())), "{f:?}");
        assert!(f.facts.iter().any(|(l, _)| *l == "evicted from L1"));
        // The newcomer took the room: now the most recently used.
        let f = inspect(&m, Some(e.newcomer)).focus.unwrap();
        assert!(
            f.facts
                .iter()
                .any(|(l, v)| *l == "recency rank" && v.starts_with("#1 of")),
            "{f:?}"
        );
    }
}
