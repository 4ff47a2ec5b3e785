//! Several app nodes, each with its own L1, in front of one L2: requests spread round robin,
//! stale reads when another node wrote, and the invalidation broadcast that ends them one L2
//! round trip after the write.

use proptest::prelude::*;
use scalelab_core::caching::*;
use scalelab_core::sim::{Digest, SimDuration, SimTime};
use scalelab_core::Model;
use std::collections::BTreeMap;

fn config(seed: u64, nodes: u8, invalidation: Invalidation) -> CachingConfig {
    CachingConfig {
        seed,
        app_nodes: nodes,
        invalidation,
        ..CachingConfig::default()
    }
}

/// Steps `steps` times, returning every event with the time it happened.
fn run(m: &mut CachingModel, steps: u32) -> Vec<(SimTime, CachingEvent)> {
    let mut all = Vec::new();
    let mut ev = Vec::new();
    for _ in 0..steps {
        ev.clear();
        m.step_into(&mut ev);
        all.extend(ev.drain(..).map(|e| (m.now(), e)));
    }
    all
}

fn stale_total(m: &CachingModel) -> u64 {
    m.stale_reads_by_node().iter().sum()
}

fn write_policy(i: u8) -> WritePolicy {
    match i {
        0 => WritePolicy::CacheAside,
        1 => WritePolicy::WriteThrough,
        _ => WritePolicy::WriteBehind {
            delay: SimDuration::from_millis(200),
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every request that arrives is answered exactly once, by the node round robin gives
    /// it, or is still in flight; every acknowledged write reaches the origin (or waits in
    /// the write-behind buffer); no L1 holds more than its capacity.
    #[test]
    fn every_request_is_answered_once_and_no_write_is_lost(
        seed in any::<u64>(),
        nodes in 1..=MAX_APP_NODES,
        broadcast in any::<bool>(),
        policy in 0..3u8,
        reads in 50..95u32,
    ) {
        let invalidation = if broadcast { Invalidation::Broadcast } else { Invalidation::None };
        let mut m = CachingModel::new(CachingConfig {
            read_ratio: f64::from(reads) / 100.0,
            write_policy: write_policy(policy),
            ..config(seed, nodes, invalidation)
        })
        .unwrap();
        let events = run(&mut m, 4_000);
        let mut arrived = BTreeMap::new();
        let mut answered = BTreeMap::new();
        let mut written: BTreeMap<Key, u64> = BTreeMap::new();
        for (_, e) in &events {
            match *e {
                CachingEvent::RequestArrived { request, .. } => {
                    prop_assert!(arrived.insert(request, ()).is_none(), "{request} arrived twice");
                }
                CachingEvent::RequestCompleted { request, node, op, key, version, .. } => {
                    prop_assert!(arrived.contains_key(&request), "{request} answered, never arrived");
                    prop_assert!(answered.insert(request, ()).is_none(), "{request} answered twice");
                    prop_assert_eq!(node, m.node_of(request));
                    prop_assert_eq!(u64::from(node), (request - 1) % u64::from(nodes));
                    if op == Op::Write {
                        let w = written.entry(key).or_insert(0);
                        *w = (*w).max(version);
                    }
                }
                _ => {}
            }
        }
        let s = m.stats();
        prop_assert_eq!(s.requests.arrived, arrived.len() as u64);
        prop_assert_eq!(s.requests.completed, answered.len() as u64);
        prop_assert_eq!(s.requests.arrived, s.requests.completed + s.requests.in_flight);
        let buffered = m.buffered_keys();
        for (key, version) in written {
            prop_assert!(
                m.cache().origin().version(key) >= version || buffered.contains(&key),
                "key:{key} version {version} lost"
            );
        }
        prop_assert_eq!(m.stale_reads_by_node().len(), usize::from(nodes));
        for node in 0..nodes {
            let l1 = m.cache().l1_on(node);
            prop_assert!(l1.entries().len() as u64 <= m.config().l1.capacity);
        }
        if nodes == 1 || !broadcast {
            prop_assert_eq!(m.invalidations_sent(), 0);
        }
    }

    /// With the broadcast, a stale read happens only within one L2 round trip after the
    /// write that made it stale. Write-through with every key warm in a roomy L2 makes no
    /// origin loads, so cache-aside's own race (a slow load refilling an old value, which no
    /// L1 invalidation cures) cannot happen here.
    #[test]
    fn broadcast_ends_staleness_one_round_trip_after_the_write(
        seed in any::<u64>(),
        nodes in 2..=MAX_APP_NODES,
    ) {
        let mut cfg = CachingConfig {
            write_policy: WritePolicy::WriteThrough,
            read_ratio: 0.7,
            set_ttl: SimDuration::from_secs(3_600),
            ..config(seed, nodes, Invalidation::Broadcast)
        };
        cfg.l2.memory_limit = None;
        cfg.warming.fetch_latency = SimDuration::from_micros(1);
        cfg.warming.concurrency = 1_000;
        let rtt = cfg.l2.round_trip;
        let mut m = CachingModel::new(cfg).unwrap();
        m.warm_range(0, 200).unwrap();
        let events = run(&mut m, 6_000);
        let loads = events
            .iter()
            .filter(|(_, e)| matches!(e, CachingEvent::OriginLoadStarted { .. }))
            .count();
        // Only when the first request beat the 1 µs warm-up.
        prop_assume!(loads == 0);
        let mut last_write: BTreeMap<Key, SimTime> = BTreeMap::new();
        let mut stale = 0;
        for (at, e) in &events {
            match *e {
                CachingEvent::OriginWritten { key, .. } => {
                    last_write.insert(key, *at);
                }
                CachingEvent::RequestCompleted { key, stale: Some(_), .. } => {
                    stale += 1;
                    let written = last_write.get(&key).copied();
                    prop_assert!(
                        written.is_some_and(|w| *at <= w.after(rtt)),
                        "stale read of key:{key} at {at}, last write {written:?}"
                    );
                }
                _ => {}
            }
        }
        prop_assert_eq!(stale, stale_total(&m));
    }

    /// Without invalidation, two nodes or more on the default workload serve stale reads:
    /// a write on one node leaves the others' L1 copies old until their TTL.
    #[test]
    fn without_invalidation_other_nodes_read_stale(
        seed in any::<u64>(),
        nodes in 2..=MAX_APP_NODES,
    ) {
        let mut m = CachingModel::new(config(seed, nodes, Invalidation::None)).unwrap();
        run(&mut m, 20_000);
        prop_assert!(stale_total(&m) > 0);
        prop_assert_eq!(m.invalidations_sent(), 0);
    }
}

/// The preset (seed 42), 20 000 events: stale reads per node without and with the broadcast.
/// One node has no peers, so the broadcast changes nothing; its 84 stale reads are
/// cache-aside's own race, a load that started before a write refilling the old version.
#[test]
fn stale_reads_per_node_are_pinned() {
    let stale = |nodes, inv| {
        let mut m = CachingModel::new(config(42, nodes, inv)).unwrap();
        run(&mut m, 20_000);
        (m.stale_reads_by_node().to_vec(), m.invalidations_sent())
    };
    assert_eq!(stale(1, Invalidation::None), (vec![84], 0));
    assert_eq!(stale(1, Invalidation::Broadcast), (vec![84], 0));
    assert_eq!(stale(3, Invalidation::None), (vec![490, 510, 534], 0));
    assert_eq!(stale(3, Invalidation::Broadcast), (vec![42, 26, 39], 979));
}

/// With one node the broadcast has nobody to tell: the event log is the default's.
#[test]
fn one_node_broadcast_is_the_default_run() {
    let digest = |inv| {
        let mut m = CachingModel::new(config(7, 1, inv)).unwrap();
        let mut d = Digest::new();
        for (_, e) in run(&mut m, 5_000) {
            d.update(&e);
        }
        d.value()
    };
    assert_eq!(digest(Invalidation::None), digest(Invalidation::Broadcast));
}

/// A write on app-1 reaches app-2's L1 one round trip later: before it, app-2 reads the old
/// version (stale, and its why says so); after it, app-2's copy is gone.
#[test]
fn an_invalidation_arrives_one_round_trip_after_the_write() {
    let mut cfg = config(1, 2, Invalidation::Broadcast);
    cfg.arrivals = None;
    cfg.write_policy = WritePolicy::WriteThrough;
    let mut m = CachingModel::new(cfg).unwrap();
    let drain = |m: &mut CachingModel| {
        let mut all = Vec::new();
        while m.pending() > 0 {
            all.extend(m.step().into_iter().map(|e| (m.now(), e)));
        }
        all
    };
    // Request 1 (app-1) loads key 5, request 2 (app-2) copies it from L2 into its L1.
    m.inject(5, Op::Read, 1).unwrap();
    drain(&mut m);
    m.inject(5, Op::Read, 1).unwrap();
    drain(&mut m);
    assert!(m.cache().l1_on(1).contains(5, m.now()));
    // Request 3 (app-1) writes version 1; the step that writes the origin publishes.
    m.inject(5, Op::Write, 1).unwrap();
    let mut events = Vec::new();
    while !events
        .iter()
        .any(|e| matches!(e, CachingEvent::InvalidationSent { .. }))
    {
        events = m.step();
    }
    let written = m.now();
    assert!(events.contains(&CachingEvent::InvalidationSent {
        key: 5,
        node: 0,
        version: 1
    }));
    // Request 4 goes to app-2, whose L1 still has version 0: a stale hit.
    m.inject(5, Op::Read, 1).unwrap();
    let events = m.step();
    assert!(events.iter().any(|e| matches!(
        e,
        CachingEvent::RequestCompleted {
            request: 4,
            node: 1,
            served_by: Level::L1,
            version: 0,
            stale: Some(1),
            ..
        }
    )));
    let why = m.last_read().unwrap().to_string();
    assert_eq!(
        why,
        "Request 4 read key:5 on app-2: L1 hit, in 1µs — stale: this node's L1 copy is version 0 while the origin holds version 1."
    );
    let rest = drain(&mut m);
    let delivered = rest
        .iter()
        .find(|(_, e)| matches!(e, CachingEvent::InvalidationDelivered { .. }))
        .unwrap();
    assert_eq!(delivered.0, written.after(SimDuration::from_micros(500)));
    assert_eq!(
        delivered.1,
        CachingEvent::InvalidationDelivered {
            key: 5,
            node: 1,
            dropped: true
        }
    );
    assert!(!m.cache().l1_on(1).contains(5, m.now()));
    assert_eq!(m.stale_reads_by_node(), &[0, 1]);
    assert_eq!(m.invalidations_sent(), 1);
}

#[test]
fn node_counts_out_of_range_are_refused() {
    for nodes in [0, MAX_APP_NODES + 1] {
        let err = CachingModel::new(config(1, nodes, Invalidation::None)).unwrap_err();
        assert!(err.to_string().contains("app nodes"), "{err}");
    }
}
