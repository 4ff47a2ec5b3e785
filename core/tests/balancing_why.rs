//! Why the balancer picked what it picked: the recorded decisions checked against the reference
//! algorithms (nginx's smooth WRR table, HAProxy leastconn's tie rotation, Envoy's power of two
//! choices, IP hash modulo the eligible count), and a property: the recorded winner is always
//! the Routed event's server. Health decisions: `balancing_health_why.rs`.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::balancing::{
    ip_hash, BalancerConfig, BalancerEvent, BalancingAction, BalancingConfig, BalancingEvent,
    BalancingModel, BreakerConfig, Figure, HashKey, OutlierConfig, RouteDecision, Rule, Standing,
    StrategyKind, TieBreak, NAIVE_HASH_KEY,
};
use scalelab_core::sim::{fnv1a64, CostDistribution, SimDuration, SimTime};
use scalelab_core::Model;

// ---------- set-ups ----------

mod balancing_setup;
use balancing_setup::{config, model, servers};

/// Steps until the next Routed (or no-server drop) event; returns it with the decision
/// recorded for it.
fn next_decision(m: &mut BalancingModel) -> (BalancingEvent, RouteDecision) {
    let mut out = Vec::new();
    for _ in 0..100_000 {
        out.clear();
        m.step_into(&mut out);
        if let Some(e) = out.iter().find(|e| {
            matches!(
                e.event,
                BalancerEvent::Routed { .. } | BalancerEvent::Dropped { server: None, .. }
            )
        }) {
            let d = m.last_decision(e.lane).unwrap().clone();
            return (e.clone(), d);
        }
    }
    panic!("no routing decision in 100 000 steps");
}

fn names(m: &BalancingModel, lane: u32) -> Vec<String> {
    m.lane(lane).unwrap().server_names()
}

fn why(m: &BalancingModel, d: &RouteDecision) -> String {
    d.why(&names(m, 0)).to_string()
}

fn in_flight(f: Figure) -> u32 {
    match f {
        Figure::InFlight(n) => n,
        other => panic!("not an in-flight figure: {other:?}"),
    }
}

// ---------- smooth weighted round robin: nginx's table ----------

/// One row of nginx's table: current weights before, after gaining, the pick, and after.
type SwrrRow = ([i64; 3], [i64; 3], char, [i64; 3]);

#[test]
fn smooth_wrr_records_nginx_5_1_1_table() {
    let base = config(
        StrategyKind::SmoothWeightedRoundRobin,
        servers(&[5, 1, 1], &["a", "b", "c"]),
        10.0,
        1_000.0,
    );
    let mut m = model(base, &[StrategyKind::SmoothWeightedRoundRobin]);
    // nginx's table: current weights before, after gaining, and after the pick.
    let table: [SwrrRow; 7] = [
        ([0, 0, 0], [5, 1, 1], 'a', [-2, 1, 1]),
        ([-2, 1, 1], [3, 2, 2], 'a', [-4, 2, 2]),
        ([-4, 2, 2], [1, 3, 3], 'b', [1, -4, 3]),
        ([1, -4, 3], [6, -3, 4], 'a', [-1, -3, 4]),
        ([-1, -3, 4], [4, -2, 5], 'c', [4, -2, -2]),
        ([4, -2, -2], [9, -1, -1], 'a', [2, -1, -1]),
        ([2, -1, -1], [7, 0, 0], 'a', [0, 0, 0]),
    ];
    let mut picked = String::new();
    for (step, (before, raised, winner, after)) in table.iter().enumerate() {
        let (event, d) = next_decision(&mut m);
        assert_eq!(
            d.rule,
            Rule::LargestCurrentWeight { total: 7 },
            "pick {step}"
        );
        let w = d.winner.unwrap();
        picked.push((b'a' + w as u8) as char);
        assert_eq!(event.event.server(), Some(w));
        assert_eq!(picked.chars().last(), Some(*winner), "pick {step}");
        for (i, c) in d.servers.iter().enumerate() {
            let Figure::Smooth {
                weight,
                effective_weight,
                current_before,
                current_raised,
                current_after,
            } = c.figure
            else {
                panic!("pick {step}: {c:?}");
            };
            assert_eq!(weight, [5, 1, 1][i]);
            assert_eq!(effective_weight, weight);
            assert_eq!(
                (current_before, current_raised, current_after),
                (before[i], raised[i], after[i]),
                "pick {step}, server {i}"
            );
        }
        // The servers' readout is the table's "after" column: what the drawing's bars show.
        let now: Vec<Option<i64>> = m
            .lane(0)
            .unwrap()
            .metrics()
            .servers
            .iter()
            .map(|s| s.current_weight)
            .collect();
        assert_eq!(
            now,
            after.map(Some),
            "pick {step}: the current weights read out"
        );
        // And the total a pick pays back, the rule's 7.
        assert_eq!(m.lane(0).unwrap().metrics().eligible_weight_total(), 7);
        if step == 0 {
            assert_eq!(
                why(&m, &d),
                "smooth weighted round robin chose a: current weight 0 + 5 = 5, the largest \
                 (b had 1); it pays back the total 7, leaving -2"
            );
        }
    }
    assert_eq!(picked, "aabacaa");
}

// ---------- least connections ----------

/// Slow requests arriving quickly: nothing finishes during the test, so in-flight counts
/// only grow and every pick's figures are predictable.
fn piling(kind: StrategyKind) -> BalancingModel {
    let base = config(
        kind,
        servers(&[1, 1, 1], &["web-1", "web-2", "web-3"]),
        1_000.0,
        60_000_000.0,
    );
    model(base, &[kind])
}

#[test]
fn least_connections_picks_the_minimum_and_rotates_ties() {
    let mut m = piling(StrategyKind::LeastConnections);
    let mut expected_in_flight = [0u32; 3];
    for pick in 0..9u32 {
        let (_, d) = next_decision(&mut m);
        let figures: Vec<u32> = d.servers.iter().map(|c| in_flight(c.figure)).collect();
        assert_eq!(figures, expected_in_flight, "pick {pick}");
        let least = *figures.iter().min().unwrap();
        let tied = figures.iter().filter(|&&n| n == least).count() as u32;
        // Equal load: every pick is a tie, taken in turn from the last pick.
        let w = d.winner.unwrap();
        assert_eq!(w, pick % 3, "pick {pick}");
        assert_eq!(figures[w as usize], least);
        let cursor = if pick % 3 == 0 && pick > 0 {
            3
        } else {
            pick % 3
        };
        assert_eq!(
            d.rule,
            Rule::FewestInFlight {
                in_flight: least,
                tied,
                tie: TieBreak::Rotation { cursor },
            },
            "pick {pick}"
        );
        expected_in_flight[w as usize] += 1;
    }
}

#[test]
fn least_connections_says_why_with_the_runner_up() {
    let mut m = piling(StrategyKind::LeastConnections);
    let (_, first) = next_decision(&mut m);
    assert_eq!(
        why(&m, &first),
        "least connections chose web-1: 0 in flight, tied with 2 others; ties take turns, and \
         the turn was at position 1"
    );
    // web-1 and web-2 busy, web-3 idle: no tie.
    next_decision(&mut m);
    let (_, third) = next_decision(&mut m);
    assert_eq!(
        why(&m, &third),
        "least connections chose web-3: 0 in flight, web-1 had 1"
    );
}

#[test]
fn naive_least_connections_gives_every_tie_to_the_first_server() {
    let mut m = piling(StrategyKind::LeastConnectionsNaive);
    let (_, d) = next_decision(&mut m);
    assert_eq!(d.winner, Some(0));
    assert_eq!(
        d.rule,
        Rule::FewestInFlight {
            in_flight: 0,
            tied: 3,
            tie: TieBreak::FirstServer
        }
    );
    assert!(why(&m, &d).ends_with("ties always go to the first server"));
}

// ---------- power of two choices ----------

#[test]
fn power_of_two_choices_keeps_the_less_loaded_draw() {
    let mut base = config(
        StrategyKind::PowerOfTwoChoices,
        servers(&[1; 5], &["s1", "s2", "s3", "s4", "s5"]),
        2_000.0,
        0.0,
    );
    base.workload.cost = CostDistribution::Exponential { mean: 20_000.0 };
    let mut m = model(base, &[StrategyKind::PowerOfTwoChoices]);
    let mut replaced = 0;
    for _ in 0..2_000 {
        let (event, d) = next_decision(&mut m);
        assert_eq!(d.draws.len(), 2);
        let Rule::FewestOfDraws { kept } = d.rule else {
            panic!("{:?}", d.rule);
        };
        let (a, b) = (d.draws[0], d.draws[1]);
        let expect = if b.in_flight < a.in_flight { 1 } else { 0 };
        assert_eq!(kept, expect, "{d:?}");
        assert_eq!(d.winner, Some(d.draws[kept as usize].server));
        assert_eq!(event.event.server(), d.winner);
        for draw in &d.draws {
            assert_eq!(
                in_flight(d.servers[draw.server as usize].figure),
                draw.in_flight
            );
        }
        replaced += kept;
    }
    assert!(replaced > 100, "the second draw wins sometimes: {replaced}");
}

// ---------- IP hash ----------

#[test]
fn ip_hash_index_is_the_hash_modulo_the_eligible_count() {
    let mut base = config(
        StrategyKind::IpHash,
        servers(&[1; 4], &["web-1", "web-2", "web-3", "web-4"]),
        500.0,
        5_000.0,
    );
    base.active_health = Some(Default::default());
    let mut m = model(base, &[StrategyKind::IpHash, StrategyKind::IpHashNaive]);
    m.kill_server(1).unwrap();
    let mut skipped = 0;
    for _ in 0..10_000 {
        let (event, d) = next_decision(&mut m);
        let eligible: Vec<u32> = d.eligible().map(|c| c.server).collect();
        let Rule::HashModulo {
            key,
            hash,
            eligible: n,
            index,
        } = d.rule
        else {
            panic!("{:?}", d.rule);
        };
        assert_eq!(n as usize, eligible.len());
        assert_eq!(index as u64, hash % u64::from(n));
        assert_eq!(d.winner, Some(eligible[index as usize]));
        assert_eq!(event.event.server(), d.winner);
        match (event.lane, key) {
            (0, HashKey::Client(ip)) => {
                assert_eq!(ip, d.client_ip);
                assert_eq!(hash, u64::from(ip_hash(ip)));
            }
            (1, HashKey::Constant) => assert_eq!(hash, fnv1a64(NAIVE_HASH_KEY.as_bytes())),
            other => panic!("lane and key disagree: {other:?}"),
        }
        if d.servers[1].standing == Standing::Down {
            skipped += 1;
            assert_eq!(n, 3);
        }
    }
    assert!(skipped > 1_000, "health checks took web-2 out: {skipped}");
}

// ---------- response time and random ----------

#[test]
fn least_response_time_reads_zero_without_samples() {
    let mut m = piling(StrategyKind::LeastResponseTime);
    let (_, d) = next_decision(&mut m);
    for c in &d.servers {
        assert_eq!(
            c.figure,
            Figure::Mean {
                mean: 0,
                samples: 0
            }
        );
    }
    assert_eq!(d.rule, Rule::LowestMean { mean: 0, tied: 3 });
    assert_eq!(d.winner, Some(0));
}

#[test]
fn ewma_score_is_the_average_times_in_flight_plus_one_and_random_draws_an_index() {
    let mut base = config(
        StrategyKind::LeastResponseTimeEwma,
        servers(&[1; 3], &["a", "b", "c"]),
        800.0,
        0.0,
    );
    base.workload.cost = CostDistribution::Exponential { mean: 2_000.0 };
    let mut m = model(
        base,
        &[StrategyKind::LeastResponseTimeEwma, StrategyKind::Random],
    );
    let mut scored = 0;
    for _ in 0..2_000 {
        let (event, d) = next_decision(&mut m);
        if event.lane == 1 {
            let Rule::UniformDraw { index, eligible } = d.rule else {
                panic!("{:?}", d.rule);
            };
            assert_eq!(eligible, 3);
            assert_eq!(d.winner, Some(index));
            continue;
        }
        let mut lowest = f64::INFINITY;
        for c in &d.servers {
            let Figure::Ewma {
                ewma,
                in_flight,
                score,
            } = c.figure
            else {
                panic!("{c:?}");
            };
            if let Some(e) = ewma {
                assert_eq!(score, e * (f64::from(in_flight) + 1.0));
                scored += 1;
            }
            lowest = lowest.min(score);
        }
        let Figure::Ewma { score, .. } = d.chosen().unwrap().figure else {
            panic!()
        };
        assert_eq!(score, lowest);
    }
    assert!(scored > 1_000);
}

// ---------- round robin and skipped servers ----------

#[test]
fn round_robin_walks_the_eligible_list_from_the_cursor() {
    let mut base = config(
        StrategyKind::RoundRobin,
        servers(&[1; 3], &["web-1", "web-2", "web-3"]),
        100.0,
        1_000.0,
    );
    base.active_health = Some(Default::default());
    let mut m = model(base, &[StrategyKind::RoundRobin]);
    m.kill_server(2).unwrap();
    // Past detection: three failed probes 2 s apart.
    let mut d = next_decision(&mut m).1;
    while d.servers[2].standing != Standing::Down {
        d = next_decision(&mut m).1;
    }
    // Land on the pick whose cursor points at the down server.
    while d.rule
        != (Rule::NextInTurn {
            cursor: 2,
            wrapped: true,
        })
    {
        d = next_decision(&mut m).1;
    }
    assert_eq!(d.winner, Some(0));
    assert_eq!(
        why(&m, &d),
        "round robin chose web-1: no eligible server at or after the cursor (position 3), so \
         the turn wrapped to the first; skipped web-3 (down)"
    );
}

// ---------- the quiet path records nothing ----------

#[test]
fn fast_forward_records_no_decision() {
    let mut m = BalancingModel::new(BalancingConfig::default()).unwrap();
    m.steps_quiet(10_000, &mut Vec::new());
    assert_eq!(m.last_decision(0), None);
    let (event, d) = next_decision(&mut m);
    assert_eq!(Some(d.request), event.event.request());
    // Snapshots and exports leave it out.
    let json = serde_json::to_string(&m).unwrap();
    assert!(!json.contains("\"route\""));
}

// ---------- property: the recorded winner is the Routed event's server ----------

fn kinds() -> impl proptest::strategy::Strategy<Value = Vec<StrategyKind>> {
    proptest::collection::vec(proptest::sample::select(StrategyKind::ALL.to_vec()), 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn recorded_winner_is_the_routed_server(
        lanes in kinds(),
        seed in any::<u64>(),
        kill in proptest::option::of(0u32..4),
        errors in proptest::option::of(0u32..4),
        steps in 200u64..3_000,
    ) {
        let base = BalancerConfig {
            seed,
            outlier_detection: Some(OutlierConfig::default()),
            circuit_breaker: Some(BreakerConfig {
                window_size: 10,
                minimum_calls: 10,
                wait_in_open: SimDuration::from_millis(200),
                ..BreakerConfig::default()
            }),
            ..BalancerConfig::default()
        };
        let mut m = model(base, &lanes);
        let mut out = Vec::new();
        for step in 0..steps {
            if step == steps / 3 {
                if let Some(k) = kill {
                    m.apply(&BalancingAction::KillServer { server: k }).unwrap();
                }
                if let Some(s) = errors {
                    m.apply(&BalancingAction::SetErrorRate { server: s, rate: 0.9 }).unwrap();
                }
            }
            out.clear();
            m.step_into(&mut out);
            for e in &out {
                let d = m.last_decision(e.lane);
                match e.event {
                    BalancerEvent::Routed { at, request, server, strategy, client_ip, .. } => {
                        let d = d.unwrap();
                        prop_assert_eq!(d.request, request);
                        prop_assert_eq!(d.at, at);
                        prop_assert_eq!(d.winner, Some(server));
                        prop_assert_eq!(d.strategy, strategy);
                        prop_assert_eq!(d.client_ip, client_ip);
                        prop_assert_eq!(d.chosen().unwrap().standing, Standing::Eligible);
                        prop_assert!(!d.why(&names(&m, e.lane)).to_string().is_empty());
                    }
                    BalancerEvent::Dropped { server: None, request, .. } => {
                        let d = d.unwrap();
                        prop_assert_eq!(d.request, request);
                        prop_assert_eq!(d.winner, None);
                        prop_assert_eq!(d.rule, Rule::NoneEligible);
                        prop_assert_eq!(d.eligible_count(), 0);
                    }
                    BalancerEvent::HealthChanged { at, server, .. }
                    | BalancerEvent::Ejected { at, server, .. }
                    | BalancerEvent::BreakerChanged { at, server, .. } => {
                        let h = m.last_health_decision(e.lane).unwrap();
                        prop_assert_eq!(h.at(), at);
                        prop_assert_eq!(h.server(), server);
                    }
                    _ => {}
                }
            }
        }
        prop_assert!(m.now() > SimTime::ZERO);
    }
}
