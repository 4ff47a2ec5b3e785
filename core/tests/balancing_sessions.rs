//! Session affinity counted: every routed request opens its client's session, keeps it (the
//! server the client last used) or loses it, whatever the strategy and the faults.

// Test code may unwrap, index and panic (the workspace lints forbid it in shipped code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use scalelab_core::balancing::{Balancer, BalancerConfig, BalancerEvent, StrategyKind};
use scalelab_core::sim::ServerConfig;
use scalelab_core::Model;

fn config(kind: StrategyKind, seed: u64, clients: u32) -> BalancerConfig {
    let mut c = BalancerConfig {
        strategy: kind.name().into(),
        seed,
        ..BalancerConfig::default()
    };
    c.workload.clients.count = clients;
    c
}

fn routed(events: &[BalancerEvent]) -> u64 {
    events
        .iter()
        .filter(|e| matches!(e, BalancerEvent::Routed { .. }))
        .count() as u64
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// kept + lost = routed requests from clients with a session (every other routed
    /// request opens one), through kills, removals and additions.
    #[test]
    fn kept_and_lost_account_for_every_request_with_a_session(
        seed in any::<u64>(),
        kind in 0usize..StrategyKind::ALL.len(),
        clients in 1u32..200,
        faults in proptest::collection::vec((0u32..4, 0u8..3, 1u32..3_000), 0..4),
    ) {
        let kind = StrategyKind::ALL[kind];
        let mut sim = Balancer::new(config(kind, seed, clients)).unwrap();
        let mut total = 0;
        let mut added = 0;
        for (server, fault, steps) in faults {
            for _ in 0..steps {
                total += routed(&sim.step());
            }
            let server = server % sim.server_count();
            let _ = match fault {
                0 => sim.kill_server(server),
                1 if sim.server_count() > 1 => sim.remove_server(server),
                _ => {
                    added += 1;
                    sim.add_server(ServerConfig::named(format!("extra-{added}")))
                }
            };
        }
        for _ in 0..2_000 {
            total += routed(&sim.step());
        }
        let c = sim.client_counts();
        prop_assert!(c.sessions <= u64::from(clients));
        prop_assert_eq!(c.affinity_kept + c.session_lost + c.sessions, total, "{:?}", c);
    }
}

/// Round robin sends a returning client to its session's server about 1 time in N; IP hash
/// and the consistent hashes always, while the servers do not change.
#[test]
fn round_robin_loses_most_sessions_and_hashes_keep_them() {
    for (kind, low, high) in [
        (StrategyKind::RoundRobin, 20.0, 30.0),
        (StrategyKind::LeastConnections, 18.0, 32.0),
        (StrategyKind::IpHash, 100.0, 100.0),
        (StrategyKind::RingHash, 100.0, 100.0),
        (StrategyKind::Maglev, 100.0, 100.0),
    ] {
        let mut sim = Balancer::new(config(kind, 7, 64)).unwrap();
        for _ in 0..20_000 {
            sim.step();
        }
        let c = sim.client_counts();
        let kept = c.kept_pct().unwrap();
        assert!(
            (low..=high).contains(&kept),
            "{kind}: {kept} % kept ({c:?})"
        );
        assert_eq!(c.sessions, 64, "{kind}");
    }
}
