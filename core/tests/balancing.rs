//! Load balancing: reference vectors (nginx, Envoy, HAProxy, resilience4j), property tests
//! against simple reference models, and determinism of the simulation.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use proptest::strategy::Strategy as _;
use scalelab_core::balancing::ip_hash;
use scalelab_core::balancing::Transition;
use scalelab_core::balancing::{
    ActiveHealthConfig, Balancer, BalancerConfig, BalancerEvent, BalancingAction, BalancingConfig,
    BalancingError, BalancingModel, BreakerConfig, BreakerState, Candidate, CircuitBreaker,
    DropReason, FailReason, LaneMetrics, OutlierConfig, OutlierState, Strategy, StrategyKind,
    StrategyManager, StrategyOptions,
};
use scalelab_core::sim::{
    ArrivalProcess, ClientConfig, ClientPopulation, CostDistribution, Digest, Ipv4, ServerConfig,
    SimDuration, SimError, SimRng, SimTime,
};
use scalelab_core::timeline::Timeline;
use scalelab_core::Model;
use std::collections::{BTreeMap, BTreeSet};

// ---------- shared set-ups ----------

fn candidates(weights: &[u32]) -> Vec<Candidate> {
    weights
        .iter()
        .enumerate()
        .map(|(i, &weight)| Candidate {
            server: i as u32,
            id: i as u32,
            weight,
            active: 0,
        })
        .collect()
}

fn picks(kind: StrategyKind, weights: &[u32], n: usize) -> Vec<u32> {
    let mut s = Strategy::new(kind, &StrategyOptions::default(), weights);
    let c = candidates(weights);
    let mut rng = SimRng::seed_from(1);
    (0..n)
        .map(|_| s.pick(&c, Ipv4(0), &mut rng).expect("a candidate"))
        .collect()
}

fn letters(picks: &[u32]) -> String {
    picks.iter().map(|&p| (b'a' + p as u8) as char).collect()
}

fn longest_run(picks: &[u32]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut last = None;
    for &p in picks {
        run = if Some(p) == last { run + 1 } else { 1 };
        last = Some(p);
        best = best.max(run);
    }
    best
}

fn swrr_current(s: &Strategy) -> Vec<i64> {
    match s {
        Strategy::SmoothWeightedRoundRobin(w) => w.current_weights(),
        other => panic!("not smooth WRR: {other:?}"),
    }
}

/// The preset with a lighter load, for tests that run many simulated seconds.
fn light(kind: StrategyKind, rate: f64) -> BalancerConfig {
    let mut c = BalancerConfig::default().with_strategy(kind);
    c.workload.arrivals = ArrivalProcess::Poisson { rate };
    c
}

fn run_steps(sim: &mut Balancer, n: u64) -> Vec<BalancerEvent> {
    let mut out = Vec::new();
    sim.run_into(n, &mut out);
    out
}

fn run_until(sim: &mut Balancer, t: SimTime) -> Vec<BalancerEvent> {
    let mut out = Vec::new();
    sim.run_until(t, u64::MAX, &mut out);
    out
}

fn routed_servers(events: &[BalancerEvent]) -> Vec<u32> {
    events
        .iter()
        .filter_map(|e| match e {
            BalancerEvent::Routed { server, .. } => Some(*server),
            _ => None,
        })
        .collect()
}

fn check_accounting(sim: &Balancer) {
    let t = sim.totals();
    assert_eq!(
        t.arrivals,
        t.completed + t.dropped() + t.failed() + sim.in_flight(),
        "arrivals = completed + dropped + failed + in flight, at {}",
        sim.now()
    );
}

// ---------- smooth weighted round robin (nginx) ----------

#[test]
fn nginx_smooth_wrr_5_1_1_interleaves_and_returns_to_zero() {
    let w = [5, 1, 1];
    let mut s = Strategy::new(
        StrategyKind::SmoothWeightedRoundRobin,
        &StrategyOptions::default(),
        &w,
    );
    let c = candidates(&w);
    let mut rng = SimRng::seed_from(0);
    let p: Vec<u32> = (0..7)
        .map(|_| s.pick(&c, Ipv4(0), &mut rng).unwrap())
        .collect();
    assert_eq!(letters(&p), "aabacaa");
    assert_eq!(swrr_current(&s), vec![0, 0, 0]);
}

#[test]
fn nginx_smooth_wrr_equal_weights_is_plain_rotation() {
    assert_eq!(
        letters(&picks(
            StrategyKind::SmoothWeightedRoundRobin,
            &[1, 1, 1],
            6
        )),
        "abcabc"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Over every cycle of Σweights picks each peer is chosen exactly `weight` times, and the
    /// current weights are back at 0.
    #[test]
    fn smooth_wrr_shares_are_exact_per_cycle(weights in prop::collection::vec(1u32..=20, 1..=8)) {
        let total: u32 = weights.iter().sum();
        let mut s = Strategy::new(StrategyKind::SmoothWeightedRoundRobin, &StrategyOptions::default(), &weights);
        let c = candidates(&weights);
        let mut rng = SimRng::seed_from(0);
        for _cycle in 0..3 {
            let mut counts = vec![0u32; weights.len()];
            for _ in 0..total {
                let p = s.pick(&c, Ipv4(0), &mut rng).unwrap();
                counts[p as usize] += 1;
            }
            prop_assert_eq!(&counts, &weights);
            prop_assert!(swrr_current(&s).iter().all(|&w| w == 0));
        }
    }
}

#[test]
fn naive_wrr_differs_and_is_bursty() {
    let w = [5, 1, 1];
    let naive = picks(StrategyKind::WeightedRoundRobinNaive, &w, 70);
    let smooth = picks(StrategyKind::SmoothWeightedRoundRobin, &w, 70);
    // The tutorial code's algorithm: seven a's before the first b.
    assert_eq!(letters(&naive[..12]), "aaaaaaabaaca");
    assert_ne!(naive, smooth);
    // Smooth WRR's longest run is where one cycle's `…a a` meets the next `a a…`.
    assert_eq!(longest_run(&naive), 7);
    assert_eq!(longest_run(&smooth), 4);
}

#[test]
fn swrr_failure_penalty_shifts_traffic_away_then_recovers() {
    let w = [3, 3];
    let opts = StrategyOptions {
        max_fails: 1,
        ..StrategyOptions::default()
    };
    let mut s = Strategy::new(StrategyKind::SmoothWeightedRoundRobin, &opts, &w);
    let c = candidates(&w);
    let mut rng = SimRng::seed_from(0);
    s.record_failure(0);
    // effective weight of a is 0 → b wins the next pick; a climbs back by 1 per pick.
    let p: Vec<u32> = (0..12)
        .map(|_| s.pick(&c, Ipv4(0), &mut rng).unwrap())
        .collect();
    assert_eq!(p[0], 1);
    let a_share = p.iter().filter(|&&x| x == 0).count();
    assert!(a_share < 6, "a was penalised: {p:?}");
    let later: Vec<u32> = (0..6)
        .map(|_| s.pick(&c, Ipv4(0), &mut rng).unwrap())
        .collect();
    assert_eq!(
        later.iter().filter(|&&x| x == 0).count(),
        3,
        "fully recovered"
    );
}

// ---------- least connections ----------

#[test]
fn least_connections_ties_rotate_naive_piles_onto_server_0() {
    assert_eq!(
        picks(StrategyKind::LeastConnections, &[1, 1, 1, 1], 8),
        vec![0, 1, 2, 3, 0, 1, 2, 3]
    );
    assert_eq!(
        picks(StrategyKind::LeastConnectionsNaive, &[1, 1, 1, 1], 8),
        vec![0; 8]
    );
}

#[test]
fn least_connections_naive_overloads_the_first_server_in_simulation() {
    // At about 1.5 % load servers are nearly always idle, so nearly every pick is a tie.
    let share_of_first = |kind| {
        let mut sim = Balancer::new(light(kind, 25.0)).unwrap();
        let ev = run_steps(&mut sim, 4_000);
        let r = routed_servers(&ev);
        r.iter().filter(|&&s| s == 0).count() as f64 / r.len() as f64
    };
    let naive = share_of_first(StrategyKind::LeastConnectionsNaive);
    let reference = share_of_first(StrategyKind::LeastConnections);
    assert!(naive > 0.7, "naive sent {naive:.2} to server 0");
    assert!(
        (0.18..0.32).contains(&reference),
        "rotation keeps about a quarter on server 0: {reference:.2}"
    );
}

// ---------- IP hash ----------

fn population(n: u32, seed: u64) -> Vec<Ipv4> {
    let cfg = ClientConfig {
        count: n,
        ..ClientConfig::default()
    };
    ClientPopulation::new(&cfg, &mut SimRng::seed_from(seed))
        .unwrap()
        .addresses()
        .to_vec()
}

#[test]
fn ip_hash_is_sticky_and_spreads_distinct_clients() {
    let mut sim = Balancer::new(light(StrategyKind::IpHash, 800.0)).unwrap();
    let ev = run_steps(&mut sim, 20_000);
    let mut by_client: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for e in &ev {
        if let BalancerEvent::Routed { client, server, .. } = e {
            by_client.entry(*client).or_default().insert(*server);
        }
    }
    assert!(
        by_client.len() > 50,
        "most of the 64 clients sent something"
    );
    assert!(
        by_client.values().all(|s| s.len() == 1),
        "a client always reaches the same server while the set is stable"
    );
    let used: BTreeSet<u32> = by_client.values().flatten().copied().collect();
    assert_eq!(used.len(), 4, "distinct clients spread over every server");
}

#[test]
fn naive_ip_hash_sends_everything_to_one_server() {
    let mut sim = Balancer::new(light(StrategyKind::IpHashNaive, 800.0)).unwrap();
    let ev = run_steps(&mut sim, 5_000);
    let used: BTreeSet<u32> = routed_servers(&ev).into_iter().collect();
    assert_eq!(used.len(), 1);
}

#[test]
fn removing_a_server_remaps_most_clients_under_modulo_ip_hash() {
    let clients = population(10_000, 5);
    let mut s = Strategy::new(StrategyKind::IpHash, &StrategyOptions::default(), &[1; 4]);
    let mut rng = SimRng::seed_from(0);
    let four = candidates(&[1; 4]);
    let three = &four[..3]; // server 3 removed
    let mut moved = 0u32;
    let mut moved_but_not_from_removed = 0u32;
    for &ip in &clients {
        let before = s.pick(&four, ip, &mut rng).unwrap();
        let after = s.pick(three, ip, &mut rng).unwrap();
        assert_eq!(before, ip_hash(ip) % 4);
        if before != after {
            moved += 1;
            if before != 3 {
                moved_but_not_from_removed += 1;
            }
        }
    }
    let share = f64::from(moved) / clients.len() as f64;
    // x mod 4 = x mod 3 only for x mod 12 ∈ {0, 1, 2}: 3/4 of clients move, three times the
    // 1/4 a consistent hash would move (only the removed server's clients).
    assert!((0.72..0.78).contains(&share), "moved share {share:.3}");
    assert!(moved_but_not_from_removed > clients.len() as u32 / 3);
}

#[test]
fn removing_a_server_in_simulation_breaks_stickiness() {
    let mut sim = Balancer::new(light(StrategyKind::IpHash, 800.0)).unwrap();
    let names = sim.server_names();
    // Events name servers by position; positions shift on removal, names do not.
    let map_of = |ev: &[BalancerEvent], names: &[String]| {
        let mut m: BTreeMap<u32, String> = BTreeMap::new();
        for e in ev {
            if let BalancerEvent::Routed { client, server, .. } = e {
                m.insert(*client, names[*server as usize].clone());
            }
        }
        m
    };
    let before = map_of(&run_steps(&mut sim, 10_000), &names);
    sim.remove_server(3).unwrap();
    let after = map_of(&run_steps(&mut sim, 10_000), &sim.server_names());
    let common: Vec<u32> = before
        .keys()
        .filter(|c| after.contains_key(c))
        .copied()
        .collect();
    let moved = common.iter().filter(|c| before[c] != after[c]).count();
    assert!(common.len() > 50);
    assert!(
        moved * 100 / common.len() > 60,
        "{moved} of {} clients changed server",
        common.len()
    );
    assert!(after.values().all(|n| n != &names[3]));
}

#[test]
fn client_assignment_counts_moved_clients_when_a_server_goes() {
    let mut sim = Balancer::new(light(StrategyKind::IpHash, 800.0)).unwrap();
    let ev = run_steps(&mut sim, 5_000);
    let before = sim.client_assignment();
    assert_eq!(before.len(), 64);
    // It is exactly where IP hash routes each client.
    for e in &ev {
        if let BalancerEvent::Routed { client, server, .. } = e {
            assert_eq!(before[*client as usize].1, Some(*server));
        }
    }
    sim.remove_server(1).unwrap();
    let after = sim.client_assignment();
    let names_before = ["web-1", "web-2", "web-3", "web-4"];
    let names_after = ["web-1", "web-3", "web-4"];
    let moved = before
        .iter()
        .zip(&after)
        .filter(|((_, b), (_, a))| {
            names_before[b.unwrap() as usize] != names_after[a.unwrap() as usize]
        })
        .count();
    let expected = before
        .iter()
        .filter(|(ip, _)| {
            let was = names_before[(ip_hash(*ip) % 4) as usize];
            let now = names_after[(ip_hash(*ip) % 3) as usize];
            was != now
        })
        .count();
    assert_eq!(moved, expected);
    assert!(moved > 64 / 2, "most clients move: {moved} of 64");
}

// ---------- power of two choices (Envoy) ----------

#[test]
fn p2c_keeps_the_first_draw_unless_a_later_one_has_strictly_fewer() {
    let mut c = candidates(&[1, 1, 1, 1]);
    for (i, a) in [3u32, 0, 3, 3].iter().enumerate() {
        c[i].active = *a;
    }
    let mut s = Strategy::new(
        StrategyKind::PowerOfTwoChoices,
        &StrategyOptions::default(),
        &[1; 4],
    );
    let mut rng = SimRng::seed_from(11);
    let mut shadow = rng.clone();
    let mut idle = 0;
    for _ in 0..10_000 {
        let got = s.pick(&c, Ipv4(0), &mut rng).unwrap();
        let first = shadow.below(4) as usize;
        let second = shadow.below(4) as usize;
        let want = if c[second].active < c[first].active {
            second
        } else {
            first
        };
        assert_eq!(got as usize, want);
        if got == 1 {
            idle += 1;
        }
    }
    // The idle server is missed only when both draws miss it: 1 − (3/4)² = 7/16.
    let share = f64::from(idle) / 10_000.0;
    assert!((0.41..0.465).contains(&share), "{share}");

    // Equal loads: the first draw always stands (ties never replace it).
    let equal = candidates(&[1, 1, 1, 1]);
    let mut rng = SimRng::seed_from(12);
    let mut shadow = rng.clone();
    for _ in 0..1_000 {
        let got = s.pick(&equal, Ipv4(0), &mut rng).unwrap();
        let first = shadow.below(4);
        let _second = shadow.below(4);
        assert_eq!(u64::from(got), first);
    }
}

#[test]
fn p2c_choice_count_draws_with_replacement() {
    let opts = StrategyOptions {
        choice_count: 3,
        ..StrategyOptions::default()
    };
    let mut s = Strategy::new(StrategyKind::PowerOfTwoChoices, &opts, &[1; 2]);
    let mut c = candidates(&[1, 1]);
    c[0].active = 5;
    let mut rng = SimRng::seed_from(3);
    let mut shadow = rng.clone();
    for _ in 0..2_000 {
        let got = s.pick(&c, Ipv4(0), &mut rng).unwrap();
        let draws: Vec<u64> = (0..3).map(|_| shadow.below(2)).collect();
        let want = u32::from(draws.contains(&1));
        assert_eq!(got, want, "server 0 only when all three draws hit it");
    }
}

// ---------- circuit breaker (resilience4j) ----------

fn feed(
    b: &mut CircuitBreaker,
    cfg: &BreakerConfig,
    outcomes: &[bool],
) -> Vec<(usize, Transition)> {
    outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, &failed)| b.record(failed, SimTime(i as u64), cfg).map(|t| (i, t)))
        .collect()
}

#[test]
fn breaker_opens_at_fifty_percent_over_a_full_window_of_100() {
    let cfg = BreakerConfig::default();
    // 50 failures then 50 successes: nothing before call 100, OPEN exactly at call 100.
    let mut b = CircuitBreaker::new();
    let mut calls = vec![true; 50];
    calls.extend(vec![false; 50]);
    let t = feed(&mut b, &cfg, &calls);
    assert_eq!(t, vec![(99, (BreakerState::Closed, BreakerState::Open))]);
    assert!(!b.allows(&cfg));

    // 49 % stays CLOSED, and 99 failures in 99 calls are not enough calls yet.
    let mut b = CircuitBreaker::new();
    let mut calls = vec![true; 49];
    calls.extend(vec![false; 51]);
    assert!(feed(&mut b, &cfg, &calls).is_empty());
    assert_eq!(b.failure_rate(&cfg), Some(49.0));
    let mut b = CircuitBreaker::new();
    assert!(feed(&mut b, &cfg, &[true; 99]).is_empty());
    assert_eq!(b.state(), BreakerState::Closed);

    // The window slides: after 49/100, one more failure pushing out a success makes 50 %.
    let mut b = CircuitBreaker::new();
    let mut calls = vec![false; 1];
    calls.extend(vec![true; 49]);
    calls.extend(vec![false; 50]);
    assert!(feed(&mut b, &cfg, &calls).is_empty());
    assert_eq!(
        b.record(true, SimTime(1_000), &cfg),
        Some((BreakerState::Closed, BreakerState::Open))
    );
}

#[test]
fn breaker_half_open_permits_ten_calls_then_decides() {
    let cfg = BreakerConfig::default();
    let open = |b: &mut CircuitBreaker| {
        feed(b, &cfg, &[true; 100]);
        assert_eq!(b.state(), BreakerState::Open);
        assert_eq!(
            b.open_until(),
            Some(SimTime(99).after(SimDuration::from_secs(60)))
        );
        let e = b.epoch();
        assert_eq!(
            b.half_open(e),
            Some((BreakerState::Open, BreakerState::HalfOpen))
        );
    };
    for (failures, expect) in [(5usize, BreakerState::Open), (4, BreakerState::Closed)] {
        let mut b = CircuitBreaker::new();
        open(&mut b);
        for _ in 0..10 {
            assert!(b.allows(&cfg));
            b.on_dispatch();
        }
        assert!(!b.allows(&cfg), "an 11th trial call is not permitted");
        let mut outcomes = vec![true; failures];
        outcomes.extend(vec![false; 10 - failures]);
        let t = feed(&mut b, &cfg, &outcomes);
        assert_eq!(t, vec![(9, (BreakerState::HalfOpen, expect))]);
        assert_eq!(b.allows(&cfg), expect == BreakerState::Closed);
    }
}

#[test]
fn breaker_in_simulation_opens_waits_and_probes_with_limited_trial_calls() {
    let mut cfg = light(StrategyKind::RoundRobin, 400.0);
    cfg.active_health = None;
    let wait = SimDuration::from_millis(500);
    cfg.circuit_breaker = Some(BreakerConfig {
        window_size: 20,
        minimum_calls: 20,
        failure_rate_threshold: 50.0,
        wait_in_open: wait,
        half_open_calls: 3,
    });
    let mut sim = Balancer::new(cfg).unwrap();
    sim.set_error_rate(2, 1.0).unwrap();
    let ev = run_until(&mut sim, SimTime::from_secs(5));
    let mut state = BreakerState::Closed;
    let mut opened_at = None;
    let mut trial_routed = 0;
    let mut transitions = Vec::new();
    for e in &ev {
        match e {
            BalancerEvent::BreakerChanged {
                server: 2,
                from,
                to,
                at,
                ..
            } => {
                assert_eq!(*from, state);
                transitions.push(*to);
                if *to == BreakerState::Open {
                    opened_at = Some(*at);
                }
                if *to == BreakerState::HalfOpen {
                    assert_eq!(
                        at.since(opened_at.unwrap()),
                        wait,
                        "OPEN lasts exactly the wait"
                    );
                    trial_routed = 0;
                }
                state = *to;
            }
            BalancerEvent::Routed { server: 2, .. } => {
                assert_ne!(state, BreakerState::Open, "no traffic while OPEN");
                if state == BreakerState::HalfOpen {
                    trial_routed += 1;
                    assert!(trial_routed <= 3);
                }
            }
            _ => {}
        }
    }
    // Always failing: CLOSED → OPEN → HALF_OPEN → OPEN → ...
    assert!(transitions.len() >= 5, "{transitions:?}");
    assert_eq!(
        &transitions[..3],
        &[
            BreakerState::Open,
            BreakerState::HalfOpen,
            BreakerState::Open
        ]
    );
    check_accounting(&sim);
}

// ---------- outlier ejection (Envoy) ----------

#[test]
fn outlier_state_vectors() {
    let cfg = OutlierConfig::default();
    let mut s = OutlierState::default();
    for _ in 0..4 {
        assert!(!s.record_failure(&cfg));
    }
    assert!(s.record_failure(&cfg), "eject at exactly 5");
    let mut until = Vec::new();
    for n in 0..12u64 {
        let now = SimTime::from_secs(1_000 * n);
        until.push(s.eject(now, &cfg).since(now).as_micros() / 1_000_000);
        s.uneject();
    }
    assert_eq!(
        until,
        vec![30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 300, 300]
    );
    assert_eq!(
        cfg.max_ejected(4),
        1,
        "10 % of 4 rounds down, but one is always allowed"
    );
    assert_eq!(cfg.max_ejected(20), 2);
}

#[test]
fn outlier_ejection_in_simulation() {
    let mut cfg = light(StrategyKind::RoundRobin, 400.0);
    cfg.active_health = None;
    cfg.outlier_detection = Some(OutlierConfig {
        base_ejection_time: SimDuration::from_secs(2),
        max_ejection_time: SimDuration::from_secs(5),
        ..OutlierConfig::default()
    });
    let mut sim = Balancer::new(cfg).unwrap();
    // Two bad servers: with 4 servers and 10 %, only one may be ejected at a time.
    sim.set_error_rate(1, 1.0).unwrap();
    sim.set_error_rate(3, 1.0).unwrap();
    let ev = run_until(&mut sim, SimTime::from_secs(30));
    let mut streak: BTreeMap<u32, u32> = BTreeMap::new();
    let mut ejected: BTreeMap<u32, SimTime> = BTreeMap::new();
    let mut lengths: BTreeMap<u32, Vec<u64>> = BTreeMap::new();
    for e in &ev {
        match e {
            BalancerEvent::Failed { server, .. } if !ejected.contains_key(server) => {
                *streak.entry(*server).or_default() += 1;
            }
            BalancerEvent::Completed { server, .. } if !ejected.contains_key(server) => {
                streak.insert(*server, 0);
            }
            BalancerEvent::Ejected {
                server,
                until,
                at,
                times,
                ..
            } => {
                assert!(ejected.is_empty(), "at most one server ejected at once");
                assert!([1, 3].contains(server), "only failing servers are ejected");
                // Detection fires at exactly 5 and restarts the count, even when the max-percent
                // rule refused the ejection (Envoy): so a multiple of 5, and 5 the first time.
                let n = streak.get(server).copied().unwrap_or(0);
                assert!(
                    n >= 5 && n % 5 == 0,
                    "ejected after {n} consecutive failures"
                );
                if lengths.is_empty() {
                    assert_eq!(n, 5);
                }
                lengths
                    .entry(*server)
                    .or_default()
                    .push(until.since(*at).as_micros() / 1_000_000);
                assert_eq!(
                    lengths[server].len() as u32,
                    *times,
                    "times counts this server's ejections"
                );
                ejected.insert(*server, *until);
            }
            BalancerEvent::Unejected { server, at, .. } => {
                assert_eq!(ejected.remove(server), Some(*at), "back exactly at `until`");
                streak.insert(*server, 0);
            }
            BalancerEvent::Routed { server, .. } => {
                assert!(
                    !ejected.contains_key(server),
                    "no traffic to an ejected server"
                );
            }
            _ => {}
        }
    }
    for l in lengths.values() {
        assert!(l.len() >= 3, "{lengths:?}");
        let expect: Vec<u64> = (1..=l.len() as u64).map(|n| (2 * n).min(5)).collect();
        assert_eq!(l, &expect, "base × n, capped");
    }
    assert!(lengths.contains_key(&1) && lengths.contains_key(&3));
}

// ---------- active health checks (HAProxy) ----------

#[test]
fn killed_server_goes_down_after_fall_probes_and_up_after_rise() {
    let cfg = light(StrategyKind::RoundRobin, 800.0);
    let h = cfg.active_health.clone().unwrap();
    let interval = h.interval;
    let mut sim = Balancer::new(cfg).unwrap();
    run_until(&mut sim, SimTime::from_millis(5_300));
    let killed_at = sim.now();
    let lost = sim.kill_server(1).unwrap();
    assert!(matches!(
        lost[0],
        BalancerEvent::ServerKilled { server: 1, .. }
    ));
    let mut failed_probes = 0;
    let mut refused = 0;
    let mut down_at = None;
    while down_at.is_none() {
        for e in sim.step() {
            match e {
                BalancerEvent::Probe { server: 1, ok, .. } => {
                    assert!(!ok);
                    failed_probes += 1;
                }
                BalancerEvent::Failed {
                    server: 1,
                    reason: FailReason::ConnectionRefused,
                    ..
                } => refused += 1,
                BalancerEvent::HealthChanged {
                    server: 1,
                    up: false,
                    at,
                    ..
                } => down_at = Some(at),
                _ => {}
            }
        }
    }
    assert_eq!(failed_probes, h.fall);
    let lag = down_at.unwrap().since(killed_at);
    let fall = u64::from(h.fall);
    assert!(lag <= interval.saturating_mul(fall), "lag {lag}");
    assert!(lag > interval.saturating_mul(fall - 1), "lag {lag}");
    assert!(
        refused > 100,
        "requests fail during the detection lag: {refused}"
    );
    // DOWN: no more traffic.
    let later = sim.now().after(SimDuration::from_secs(3));
    let ev = run_until(&mut sim, later);
    assert!(!routed_servers(&ev).contains(&1));

    let revived_at = sim.now();
    sim.revive_server(1).unwrap();
    let mut ok_probes = 0;
    let mut up_at = None;
    while up_at.is_none() {
        for e in sim.step() {
            match e {
                BalancerEvent::Probe { server: 1, ok, .. } => {
                    assert!(ok);
                    ok_probes += 1;
                }
                BalancerEvent::Routed { server: 1, .. } => panic!("traffic before rise"),
                BalancerEvent::HealthChanged {
                    server: 1,
                    up: true,
                    at,
                    ..
                } => up_at = Some(at),
                _ => {}
            }
        }
    }
    assert_eq!(ok_probes, h.rise);
    assert!(up_at.unwrap().since(revived_at) <= interval.saturating_mul(u64::from(h.rise)));
    let ev = run_steps(&mut sim, 2_000);
    assert!(routed_servers(&ev).contains(&1), "back in rotation");
    check_accounting(&sim);
}

#[test]
fn added_server_starts_up_and_takes_traffic_before_its_first_probe() {
    let mut sim = Balancer::new(light(StrategyKind::RoundRobin, 800.0)).unwrap();
    run_steps(&mut sim, 1_000);
    let ev = sim.add_server(ServerConfig::named("web-5")).unwrap();
    assert!(matches!(
        &ev[0],
        BalancerEvent::ServerAdded { server: 4, .. }
    ));
    let ev = run_steps(&mut sim, 100);
    assert!(routed_servers(&ev).contains(&4));
    assert!(!ev
        .iter()
        .any(|e| matches!(e, BalancerEvent::Probe { server: 4, .. })));
}

// ---------- least response time ----------

#[test]
fn guide_least_response_time_floods_a_new_server_ewma_does_not() {
    // Requests routed to the new server, and to the others, before it answers for the first
    // time.
    let flood = |kind, seed| {
        let mut c = light(kind, 800.0);
        c.seed = seed;
        let mut sim = Balancer::new(c).unwrap();
        run_steps(&mut sim, 5_000);
        sim.add_server(ServerConfig::named("fresh")).unwrap();
        let ev = run_steps(&mut sim, 400);
        let (mut to_new, mut to_others) = (0, 0);
        for e in &ev {
            match e {
                BalancerEvent::Routed { server: 4, .. } => to_new += 1,
                BalancerEvent::Routed { .. } => to_others += 1,
                BalancerEvent::Completed { server: 4, .. }
                | BalancerEvent::Failed { server: 4, .. } => break,
                _ => {}
            }
        }
        (to_new, to_others)
    };
    // How many pile on depends on how soon the first request finishes (the seed); that
    // every one does, until then, does not. So over several seeds: every arrival goes to the
    // new server (none elsewhere), always more than EWMA's single trial request, and on
    // average at least three.
    let seeds = [42, 1, 2, 3, 4, 5, 6, 7];
    let mut piled = 0;
    for seed in seeds {
        let (guide, guide_others) = flood(StrategyKind::LeastResponseTime, seed);
        assert!(
            guide >= 2 && guide_others == 0,
            "seed {seed}: the empty window reads 0: {guide} requests piled on, \
             {guide_others} went elsewhere"
        );
        piled += guide;
        let (ewma, _) = flood(StrategyKind::LeastResponseTimeEwma, seed);
        assert!(
            ewma <= 1,
            "seed {seed}: one trial request until it answers: {ewma}"
        );
    }
    assert!(
        piled >= 3 * seeds.len(),
        "{piled} piled on over {} seeds",
        seeds.len()
    );
}

// ---------- strategies by name, the manager ----------

#[test]
fn strategy_names_round_trip_and_unknown_names_list_the_known_ones() {
    for k in StrategyKind::ALL {
        assert_eq!(StrategyKind::from_name(k.name()).unwrap(), k);
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(json, format!("\"{}\"", k.name()));
        let s = Strategy::new(k, &StrategyOptions::default(), &[1, 2]);
        assert_eq!(s.kind(), k);
        let back: Strategy = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
    let err = StrategyKind::from_name("round_robin").unwrap_err();
    assert!(matches!(err, BalancingError::UnknownStrategy { .. }));
    let msg = err.to_string();
    for k in StrategyKind::ALL {
        assert!(msg.contains(k.name()), "{msg}");
    }
}

#[test]
fn manager_switches_live_and_keeps_observations() {
    let mut m = StrategyManager::new(
        StrategyKind::RoundRobin,
        &StrategyOptions::default(),
        &[1, 1],
    );
    assert_eq!(m.names().len(), StrategyKind::ALL.len());
    m.record_response(0, 9_000);
    m.record_response(1, 1_000);
    assert_eq!(
        m.switch("least-response-time").unwrap(),
        StrategyKind::RoundRobin
    );
    let mut rng = SimRng::seed_from(0);
    assert_eq!(m.pick(&candidates(&[1, 1]), Ipv4(0), &mut rng), Some(1));
    assert!(m.switch("fastest").is_err());
    assert_eq!(m.active(), StrategyKind::LeastResponseTime);
}

#[test]
fn switching_strategy_mid_run() {
    let mut sim = Balancer::new(light(StrategyKind::RoundRobin, 800.0)).unwrap();
    run_steps(&mut sim, 500);
    let ev = sim.switch_strategy("least-connections").unwrap();
    assert_eq!(
        ev,
        vec![BalancerEvent::StrategySwitched {
            at: sim.now(),
            from: StrategyKind::RoundRobin,
            to: StrategyKind::LeastConnections
        }]
    );
    for e in run_steps(&mut sim, 500) {
        if let BalancerEvent::Routed { strategy, .. } = e {
            assert_eq!(strategy, StrategyKind::LeastConnections);
        }
    }
    let before = serde_json::to_string(&sim).unwrap();
    let err = sim.switch_strategy("leastconn").unwrap_err();
    assert!(err.to_string().contains("least-connections"));
    assert_eq!(
        serde_json::to_string(&sim).unwrap(),
        before,
        "unchanged on error"
    );
}

// ---------- config validation ----------

#[test]
fn config_validation_rejects_each_bad_input_with_a_typed_error() {
    let ok = BalancerConfig::default();
    ok.validate().unwrap();
    let bad = |f: &dyn Fn(&mut BalancerConfig)| {
        let mut c = BalancerConfig::default();
        f(&mut c);
        let e = c.validate().unwrap_err();
        assert!(Balancer::new(c).is_err());
        e
    };
    assert_eq!(bad(&|c| c.servers.clear()), BalancingError::NoServers);
    assert!(matches!(
        bad(&|c| c.servers = vec![ServerConfig::named("x"); 300]),
        BalancingError::TooManyServers { count: 300, .. }
    ));
    let e = bad(&|c| c.servers[1].weight = 0);
    assert!(
        matches!(&e, BalancingError::InvalidServer { name, source: SimError::TooSmall { .. } } if name == "web-2")
    );
    assert!(e.to_string().contains("web-2") && e.to_string().contains("weight"));
    assert!(matches!(
        bad(&|c| c.servers[0].weight = 5_000),
        BalancingError::InvalidServer {
            source: SimError::TooLarge { .. },
            ..
        }
    ));
    assert!(matches!(
        bad(&|c| c.servers[0].speed = f64::NAN),
        BalancingError::InvalidServer {
            source: SimError::NotFinite { .. },
            ..
        }
    ));
    assert!(matches!(
        bad(&|c| c.servers[2].name = "web-1".into()),
        BalancingError::DuplicateServerName { .. }
    ));
    assert!(matches!(
        bad(&|c| c.servers[2].name = " ".into()),
        BalancingError::EmptyServerName { index: 2 }
    ));
    assert!(matches!(
        bad(&|c| c.servers[0].name = "x".repeat(100)),
        BalancingError::ServerNameTooLong { len: 100, .. }
    ));
    assert!(matches!(
        bad(&|c| c.strategy = "fastest".into()),
        BalancingError::UnknownStrategy { .. }
    ));
    assert!(matches!(
        bad(&|c| c.strategy_options.choice_count = 1),
        BalancingError::Sim(SimError::TooSmall { .. })
    ));
    assert!(matches!(
        bad(&|c| c.strategy_options.ewma_alpha = f64::INFINITY),
        BalancingError::Sim(SimError::NotFinite { .. })
    ));
    assert!(matches!(
        bad(&|c| c.workload.arrivals = ArrivalProcess::Poisson { rate: f64::NAN }),
        BalancingError::Sim(SimError::NotFinite { .. })
    ));
    assert!(matches!(
        bad(&|c| c.workload.cost = CostDistribution::Exponential { mean: -1.0 }),
        BalancingError::Sim(SimError::NotPositive { .. })
    ));
    let e = bad(&|c| c.active_health.as_mut().unwrap().rise = 0);
    assert!(e.to_string().contains("rise"), "{e}");
    let e = bad(&|c| c.active_health.as_mut().unwrap().fall = 0);
    assert!(e.to_string().contains("fall"), "{e}");
    assert!(matches!(
        bad(&|c| c.active_health.as_mut().unwrap().interval = SimDuration::ZERO),
        BalancingError::Sim(SimError::TooSmall { .. })
    ));
    let e = bad(&|c| {
        c.outlier_detection = Some(OutlierConfig {
            max_ejection_percent: 150,
            ..OutlierConfig::default()
        })
    });
    assert!(e.to_string().contains("ejection percent"), "{e}");
    assert!(matches!(
        bad(&|c| {
            c.outlier_detection = Some(OutlierConfig {
                consecutive_failures: 0,
                ..OutlierConfig::default()
            })
        }),
        BalancingError::Sim(SimError::TooSmall { .. })
    ));
    assert!(matches!(
        bad(&|c| {
            c.outlier_detection = Some(OutlierConfig {
                base_ejection_time: SimDuration::from_secs(600),
                ..OutlierConfig::default()
            })
        }),
        BalancingError::EjectionTimesInverted { .. }
    ));
    let e = bad(&|c| {
        c.circuit_breaker = Some(BreakerConfig {
            failure_rate_threshold: 120.0,
            ..BreakerConfig::default()
        })
    });
    assert!(e.to_string().contains("failure rate threshold"), "{e}");
    assert!(matches!(
        bad(&|c| {
            c.circuit_breaker = Some(BreakerConfig {
                failure_rate_threshold: f64::NAN,
                ..BreakerConfig::default()
            })
        }),
        BalancingError::Sim(SimError::NotFinite { .. })
    ));
    assert!(matches!(
        bad(&|c| {
            c.circuit_breaker = Some(BreakerConfig {
                minimum_calls: 150,
                ..BreakerConfig::default()
            })
        }),
        BalancingError::MinimumCallsExceedWindow {
            minimum: 150,
            window: 100
        }
    ));
    assert!(matches!(
        bad(&|c| {
            c.circuit_breaker = Some(BreakerConfig {
                half_open_calls: 0,
                ..BreakerConfig::default()
            })
        }),
        BalancingError::Sim(SimError::TooSmall { .. })
    ));
    assert!(matches!(
        bad(&|c| c.recent_window = 0),
        BalancingError::Sim(SimError::TooSmall { .. })
    ));
    // Each of the three health features is optional.
    let none = BalancerConfig {
        active_health: None,
        ..BalancerConfig::default()
    };
    none.validate().unwrap();
}

#[test]
fn operations_reject_bad_input_and_leave_the_model_unchanged() {
    let mut sim = Balancer::new(BalancerConfig::default()).unwrap();
    run_steps(&mut sim, 300);
    let before = serde_json::to_string(&sim).unwrap();
    assert!(matches!(
        sim.kill_server(9),
        Err(BalancingError::NoSuchServer { index: 9, count: 4 })
    ));
    assert!(matches!(
        sim.revive_server(0),
        Err(BalancingError::AlreadyUp { .. })
    ));
    assert!(sim.set_slowdown(0, f64::NAN).is_err());
    assert!(sim.set_slowdown(0, 0.0).is_err());
    assert!(sim.set_error_rate(0, 1.5).is_err());
    assert!(matches!(
        sim.add_server(ServerConfig::named("web-1")),
        Err(BalancingError::DuplicateServerName { .. })
    ));
    assert!(sim
        .add_server(ServerConfig {
            concurrency: 0,
            ..ServerConfig::named("zero")
        })
        .is_err());
    assert_eq!(serde_json::to_string(&sim).unwrap(), before);
    sim.kill_server(0).unwrap();
    assert!(matches!(
        sim.kill_server(0),
        Err(BalancingError::AlreadyDown { .. })
    ));
    for _ in 0..3 {
        sim.remove_server(0).unwrap();
    }
    assert!(matches!(
        sim.remove_server(0),
        Err(BalancingError::LastServer { .. })
    ));
    check_accounting(&sim);
}

// ---------- the preset and metrics ----------

#[test]
fn default_preset_runs_at_about_seventy_percent() {
    let c = BalancerConfig::default();
    assert_eq!(c.servers.len(), 4);
    assert_eq!(c.strategy_kind().unwrap(), StrategyKind::RoundRobin);
    assert_eq!(c.workload.clients.count, 64);
    assert_eq!(c.seed, 42);
    assert!(matches!(
        c.workload.arrivals,
        ArrivalProcess::Poisson { .. }
    ));
    assert_eq!(c.active_health, Some(ActiveHealthConfig::default()));
    let load = c.workload.arrivals.peak_rate() / c.capacity_per_sec();
    assert!((load - 0.7).abs() < 1e-9);

    let mut sim = Balancer::new(c).unwrap();
    run_until(&mut sim, SimTime::from_secs(10));
    let m = sim.metrics();
    assert_eq!(m.servers.len(), 4);
    for s in &m.servers {
        assert!(
            (0.6..0.8).contains(&s.utilisation),
            "{}: {}",
            s.name,
            s.utilisation
        );
        assert!(s.healthy && s.eligible && s.running);
        assert_eq!(s.breaker, BreakerState::Closed);
    }
    assert!(m.latency.count > 10_000);
    assert!(m.latency.p50 > 5_000 && m.latency.p99 > m.latency.p50);
    assert!(m.recent_latency.count == 1_000);
    assert!((m.throughput - 1_120.0).abs() < 60.0, "{}", m.throughput);
    assert!(
        (m.recent_throughput - 1_120.0).abs() < 200.0,
        "{}",
        m.recent_throughput
    );
    assert_eq!(m.totals.arrivals, m.totals.finished() + m.in_flight);
}

#[test]
fn overload_drops_on_full_queues_and_accounting_still_holds() {
    let mut c = BalancerConfig::default();
    c.workload.arrivals = ArrivalProcess::Poisson { rate: 3_000.0 };
    for s in &mut c.servers {
        s.queue_limit = 8;
    }
    let mut sim = Balancer::new(c).unwrap();
    let ev = run_steps(&mut sim, 20_000);
    assert!(ev.iter().any(|e| matches!(
        e,
        BalancerEvent::Dropped {
            reason: DropReason::QueueFull,
            ..
        }
    )));
    assert!(sim.totals().dropped_queue_full > 0);
    check_accounting(&sim);
}

#[test]
fn narration_is_one_sentence_per_event() {
    let c = BalancerConfig {
        outlier_detection: Some(OutlierConfig::default()),
        circuit_breaker: Some(BreakerConfig {
            window_size: 10,
            minimum_calls: 10,
            ..BreakerConfig::default()
        }),
        ..BalancerConfig::default()
    };
    let mut sim = Balancer::new(c).unwrap();
    let names = sim.server_names();
    let mut ev = run_steps(&mut sim, 2_000);
    ev.extend(sim.set_error_rate(0, 1.0).unwrap());
    ev.extend(sim.set_slowdown(1, 3.0).unwrap());
    ev.extend(sim.kill_server(2).unwrap());
    ev.extend(run_steps(&mut sim, 30_000));
    ev.extend(sim.switch_strategy("random").unwrap());
    let removed = sim.remove_server(3).unwrap();
    // The sim names servers as they are now: the removed one by position.
    assert!(
        sim.narrate(&removed[0]).contains("server 4 was removed"),
        "{}",
        sim.narrate(&removed[0])
    );
    ev.extend(removed);
    let kinds: BTreeSet<String> = ev
        .iter()
        .map(|e| {
            let s = e.narrate(&names);
            assert!(
                s.starts_with("At ") && s.ends_with('.') && !s.contains('\n'),
                "{s}"
            );
            if let Some(i) = e.server() {
                assert!(s.contains(&names[i as usize]), "{s}");
            }
            serde_json::to_value(e).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for k in [
        "routed",
        "completed",
        "probe",
        "health-changed",
        "ejected",
        "breaker-changed",
    ] {
        assert!(kinds.contains(k), "{k} missing from {kinds:?}");
    }
}

// ---------- properties over whole runs ----------

#[derive(Debug, Clone)]
enum Op {
    Kill(u32),
    Revive(u32),
    Errors(u32, f64),
    Slow(u32, f64),
    Add,
    Remove(u32),
    Switch(usize),
}

fn op_strategy() -> impl proptest::strategy::Strategy<Value = Op> {
    prop_oneof![
        (0u32..6).prop_map(Op::Kill),
        (0u32..6).prop_map(Op::Revive),
        (0u32..6, 0.0f64..=1.0).prop_map(|(s, r)| Op::Errors(s, r)),
        (0u32..6, 1.0f64..5.0).prop_map(|(s, f)| Op::Slow(s, f)),
        Just(Op::Add),
        (0u32..6).prop_map(Op::Remove),
        (0usize..StrategyKind::ALL.len()).prop_map(Op::Switch),
    ]
}

/// What the balancer has announced about each server, rebuilt from events alone.
#[derive(Debug, Clone, Default)]
struct Shadow {
    down: bool,
    ejected: bool,
    breaker: BreakerState,
    trial_calls: u32,
}

fn apply_op(sim: &mut Balancer, op: &Op, added: &mut u32) -> Vec<BalancerEvent> {
    let r = match op {
        Op::Kill(s) => sim.kill_server(*s),
        Op::Revive(s) => sim.revive_server(*s),
        Op::Errors(s, r) => sim.set_error_rate(*s, *r),
        Op::Slow(s, f) => sim.set_slowdown(*s, *f),
        Op::Add => {
            *added += 1;
            sim.add_server(ServerConfig::named(format!("extra-{added}")))
        }
        Op::Remove(s) => sim.remove_server(*s),
        Op::Switch(i) => sim.switch_strategy(StrategyKind::ALL[*i].name()),
    };
    r.unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// No request is routed to a server the balancer has marked DOWN, ejected or OPEN (and at
    /// most `half_open_calls` go to a HALF_OPEN one); every request ends exactly once; and
    /// arrivals = completed + dropped + failed + in flight after every step.
    #[test]
    fn routing_respects_health_and_every_request_ends_once(
        seed in any::<u64>(),
        strategy in 0usize..StrategyKind::ALL.len(),
        ops in prop::collection::vec((1u64..400, op_strategy()), 1..8),
    ) {
        let mut c = BalancerConfig::default().with_strategy(StrategyKind::ALL[strategy]);
        c.seed = seed;
        c.workload.arrivals = ArrivalProcess::Poisson { rate: 1_500.0 };
        c.active_health = Some(ActiveHealthConfig { interval: SimDuration::from_millis(50), rise: 2, fall: 2, ..ActiveHealthConfig::default() });
        c.outlier_detection = Some(OutlierConfig {
            consecutive_failures: 3,
            base_ejection_time: SimDuration::from_millis(100),
            max_ejection_time: SimDuration::from_millis(400),
            max_ejection_percent: 50,
        });
        let half_open_calls = 2;
        c.circuit_breaker = Some(BreakerConfig {
            window_size: 10,
            minimum_calls: 5,
            failure_rate_threshold: 50.0,
            wait_in_open: SimDuration::from_millis(80),
            half_open_calls,
        });
        for s in &mut c.servers { s.queue_limit = 6; }
        let mut sim = Balancer::new(c).unwrap();
        let mut shadow: Vec<Shadow> = vec![Shadow::default(); 4];
        let mut ended: BTreeSet<u64> = BTreeSet::new();
        let mut arrived: BTreeSet<u64> = BTreeSet::new();
        let mut added = 0;
        let mut check = |events: &[BalancerEvent], shadow: &mut Vec<Shadow>| -> Result<(), TestCaseError> {
            for e in events {
                match e {
                    BalancerEvent::RequestArrived { request, .. } => { prop_assert!(arrived.insert(*request)); }
                    BalancerEvent::Routed { server, .. } => {
                        let s = &mut shadow[*server as usize];
                        prop_assert!(!s.down && !s.ejected && s.breaker != BreakerState::Open, "{:?} routed to {:?}", e, s);
                        if s.breaker == BreakerState::HalfOpen {
                            s.trial_calls += 1;
                            prop_assert!(s.trial_calls <= half_open_calls);
                        }
                    }
                    BalancerEvent::HealthChanged { server, up, .. } => shadow[*server as usize].down = !up,
                    BalancerEvent::Ejected { server, .. } => shadow[*server as usize].ejected = true,
                    BalancerEvent::Unejected { server, .. } => shadow[*server as usize].ejected = false,
                    BalancerEvent::BreakerChanged { server, from, to, .. } => {
                        let s = &mut shadow[*server as usize];
                        prop_assert_eq!(s.breaker, *from);
                        s.breaker = *to;
                        s.trial_calls = 0;
                    }
                    BalancerEvent::ServerAdded { .. } => shadow.push(Shadow::default()),
                    BalancerEvent::ServerRemoved { server, .. } => { shadow.remove(*server as usize); }
                    _ => {}
                }
                if e.is_terminal() {
                    let id = e.request().unwrap();
                    prop_assert!(arrived.contains(&id));
                    prop_assert!(ended.insert(id), "request {} ended twice", id);
                }
            }
            Ok(())
        };
        for (steps, op) in &ops {
            for _ in 0..*steps {
                let ev = sim.step();
                check(&ev, &mut shadow)?;
                let t = sim.totals();
                prop_assert_eq!(t.arrivals, t.finished() + sim.in_flight());
            }
            let ev = apply_op(&mut sim, op, &mut added);
            check(&ev, &mut shadow)?;
            let t = sim.totals();
            prop_assert_eq!(t.arrivals, t.finished() + sim.in_flight());
        }
        prop_assert_eq!(shadow.len() as u32, sim.server_count());
        prop_assert_eq!(sim.totals().arrivals, arrived.len() as u64);
        prop_assert_eq!(sim.totals().finished(), ended.len() as u64);
    }
}

// ---------- determinism ----------

#[test]
fn same_seed_same_events_over_100_000_requests_different_seed_differs() {
    let mut a =
        Balancer::new(BalancerConfig::default().with_strategy(StrategyKind::PowerOfTwoChoices))
            .unwrap();
    let mut b = a.clone();
    let mut ea = Vec::new();
    let mut eb = Vec::new();
    while a.totals().arrivals < 100_000 {
        ea.clear();
        eb.clear();
        a.step_into(&mut ea);
        b.step_into(&mut eb);
        assert_eq!(ea, eb, "diverged at {}", a.now());
    }
    assert_eq!(a.totals(), b.totals());
    // Independent constructions digest identically; another seed does not.
    let digest = |seed: u64| {
        let mut c = BalancerConfig::default().with_strategy(StrategyKind::Random);
        c.seed = seed;
        let mut sim = Balancer::new(c).unwrap();
        let mut d = Digest::new();
        for e in run_steps(&mut sim, 20_000) {
            d.update(&e);
        }
        d.value()
    };
    assert_eq!(digest(42), digest(42));
    assert_ne!(digest(42), digest(43));
}

#[test]
fn serde_snapshot_resumes_identically() {
    let mut c = BalancerConfig::default().with_strategy(StrategyKind::LeastResponseTimeEwma);
    c.outlier_detection = Some(OutlierConfig::default());
    c.circuit_breaker = Some(BreakerConfig::default());
    let mut sim = Balancer::new(c).unwrap();
    run_steps(&mut sim, 3_000);
    sim.set_error_rate(1, 0.5).unwrap();
    run_steps(&mut sim, 1_000);
    let json = serde_json::to_string(&sim).unwrap();
    let mut restored: Balancer = serde_json::from_str(&json).unwrap();
    assert_eq!(run_steps(&mut sim, 5_000), run_steps(&mut restored, 5_000));
}

#[test]
fn timeline_replays_balancer_actions() {
    let sim = Balancer::new(BalancerConfig::default()).unwrap();
    let mut tl: Timeline<Balancer, BalancingAction> = Timeline::new(sim);
    tl.fast_forward(500);
    tl.act(BalancingAction::KillServer { server: 2 }).unwrap();
    assert!(tl.act(BalancingAction::KillServer { server: 2 }).is_err());
    tl.fast_forward(1_000);
    let at_end: Vec<BalancerEvent> = tl.forward().to_vec();
    tl.seek(100);
    tl.seek(1_501);
    assert_eq!(tl.last_events(), &at_end[..]);
    assert!(!tl.model().server(2).unwrap().is_up());
    let json = serde_json::to_string(&BalancingAction::SwitchStrategy {
        strategy: "random".into(),
    })
    .unwrap();
    assert_eq!(json, r#"{"op":"switch-strategy","strategy":"random"}"#);
}

// ---------- the race ----------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Fast-forward hands the model runs of plain steps (`steps_quiet`); a run must leave a
    /// race, one lane or several, exactly where as many single quiet steps would.
    #[test]
    fn a_run_of_quiet_steps_is_that_many_single_steps(
        lanes in 1usize..=3,
        runs in prop::collection::vec(0u64..300, 1..12),
    ) {
        let mut cfg = BalancingConfig::default();
        cfg.lanes.truncate(lanes);
        let mut batched = BalancingModel::new(cfg.clone()).unwrap();
        let mut single = BalancingModel::new(cfg).unwrap();
        let mut scratch = Vec::new();
        for n in runs {
            batched.steps_quiet(n, &mut scratch);
            for _ in 0..n {
                single.step_quiet(&mut scratch);
            }
            prop_assert!(scratch.is_empty());
            prop_assert_eq!(batched.now(), single.now());
            prop_assert_eq!(
                serde_json::to_string(&batched).unwrap(),
                serde_json::to_string(&single).unwrap()
            );
        }
    }
}

#[test]
fn race_lanes_see_identical_requests_and_differ_only_in_strategy() {
    let mut cfg = BalancingConfig::default();
    cfg.lanes.push("least-connections-naive".into());
    let mut race = BalancingModel::new(cfg.clone()).unwrap();
    let lanes = cfg.lanes.len();
    let mut arrivals: Vec<Vec<(u64, u32, Ipv4, SimTime)>> = vec![Vec::new(); lanes];
    let mut routed: Vec<Vec<u32>> = vec![Vec::new(); lanes];
    for _ in 0..60_000 {
        for re in race.step() {
            let l = re.lane as usize;
            match re.event {
                BalancerEvent::RequestArrived {
                    request,
                    client,
                    client_ip,
                    at,
                } => arrivals[l].push((request, client, client_ip, at)),
                BalancerEvent::Routed {
                    server, strategy, ..
                } => {
                    assert_eq!(strategy.name(), cfg.lanes[l]);
                    routed[l].push(server);
                }
                _ => {}
            }
        }
    }
    let shortest = arrivals.iter().map(Vec::len).min().unwrap();
    assert!(shortest > 5_000);
    for l in 1..lanes {
        assert_eq!(arrivals[l][..shortest], arrivals[0][..shortest]);
        assert_ne!(routed[l], routed[0], "lane {l} routes differently");
    }
    // Lanes advance together: none is more than a moment ahead of another.
    let times: Vec<SimTime> = race.lanes().iter().map(|l| l.now()).collect();
    let spread = times
        .iter()
        .max()
        .unwrap()
        .since(*times.iter().min().unwrap());
    assert!(spread < SimDuration::from_millis(50), "{times:?}");
    let board = race.lane_metrics();
    assert_eq!(board.len(), lanes);
    // The board's rows are read straight from each lane, as the full metrics would give them.
    for (i, lane) in race.lanes().iter().enumerate() {
        let full = lane.metrics();
        assert_eq!(board[i], LaneMetrics::of(i as u32, &full));
        assert_eq!(lane.recent_throughput(), full.recent_throughput);
    }
    assert!(board
        .iter()
        .all(|m| m.recent_latency.count > 0 && m.recent_latency.p99 >= m.recent_latency.p50));

    // Operations reach every lane, or none.
    let ev = race.kill_server(1).unwrap();
    assert_eq!(
        ev.iter()
            .filter(|e| matches!(e.event, BalancerEvent::ServerKilled { .. }))
            .count(),
        lanes
    );
    assert!(race.kill_server(1).is_err());
    assert!(race.lanes().iter().all(|l| !l.server(1).unwrap().is_up()));
    assert!(matches!(
        race.apply(&BalancingAction::SwitchStrategy {
            strategy: "random".into()
        }),
        Err(BalancingError::StrategyFixedInRace)
    ));
}

#[test]
fn race_config_is_validated() {
    let mut c = BalancingConfig::default();
    c.lanes.clear();
    assert!(matches!(
        BalancingModel::new(c),
        Err(BalancingError::NoLanes)
    ));
    let c = BalancingConfig {
        lanes: vec!["random".into(); 17],
        ..BalancingConfig::default()
    };
    assert!(matches!(
        BalancingModel::new(c),
        Err(BalancingError::TooManyLanes { .. })
    ));
    let mut c = BalancingConfig::default();
    c.lanes.push("fastest".into());
    assert!(matches!(
        BalancingModel::new(c),
        Err(BalancingError::UnknownStrategy { .. })
    ));
}
