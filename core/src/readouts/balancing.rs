//! The load-balancing readouts: a server's state and share of the traffic, and how the lanes
//! of a race compare. Server readouts read the first lane (the only one outside a race).

use super::{pick, smallest, Reading, ReadoutError, ReadoutSpec, Readouts};
use crate::balancing::{BalancerMetrics, BalancingModel, Strategy, StrategyKind};

impl Readouts for BalancingModel {
    const READOUTS: &'static [ReadoutSpec] = &[
        ReadoutSpec {
            name: "server_state",
            subject: Some("server name"),
            meaning: "what the balancer believes of the server beside what is true: up, slowed, crashed-unnoticed, crashed-down, running-but-down, ejected, breaker-open or breaker-half-open",
        },
        ReadoutSpec {
            name: "server_routed",
            subject: Some("server name"),
            meaning: "requests the balancer has sent to the server",
        },
        ReadoutSpec {
            name: "health_flaps",
            subject: None,
            meaning: "times a server's health verdict changed (healthy to unhealthy or back), summed over the servers: the guide checker's printed verdicts, or the reference checks marking a server DOWN or UP",
        },
        ReadoutSpec {
            name: "server_window_mean_ms",
            subject: Some("server name"),
            meaning: "the mean of the server's last 100 response times as least response time reads them, in milliseconds (0 without samples; the guide checker's probe times count as samples)",
        },
        ReadoutSpec {
            name: "busiest_share_pct",
            subject: None,
            meaning: "the busiest server's share of every request routed so far, in percent",
        },
        ReadoutSpec {
            name: "servers_used",
            subject: None,
            meaning: "how many servers have been sent at least one request",
        },
        ReadoutSpec {
            name: "completed",
            subject: None,
            meaning: "requests answered successfully so far",
        },
        ReadoutSpec {
            name: "clients_moved",
            subject: None,
            meaning: "clients sent to a different server than before, counted once each, since the set of eligible servers last changed (a server marked down, removed, added or back)",
        },
        ReadoutSpec {
            name: "clients_moved_pct",
            subject: None,
            meaning: "the clients that moved to a different server since the eligible servers last changed, in percent of the clients that sent a request since then",
        },
        ReadoutSpec {
            name: "sessions_kept_pct",
            subject: None,
            meaning: "requests that reached the server holding their client's session (the server the client last used), in percent of the requests from clients that already had a session",
        },
        ReadoutSpec {
            name: "sessions_lost",
            subject: None,
            meaning: "requests from a client with a session that landed on another server, so the session held on its last server was lost",
        },
        ReadoutSpec {
            name: "lane_clients_moved_pct",
            subject: Some("strategy name"),
            meaning: "a race lane's clients_moved_pct: the clients it moved to a different server since the eligible servers last changed, in percent of those that sent a request since then",
        },
        ReadoutSpec {
            name: "lane_p99_ms",
            subject: Some("strategy name"),
            meaning: "a race lane's p99 response time over every answer so far, in milliseconds",
        },
        ReadoutSpec {
            name: "lowest_p99_lane",
            subject: None,
            meaning: "the strategy of the race lane with the lowest p99 over every answer so far",
        },
    ];

    fn family_reading(&self, name: &str, subject: &str) -> Result<Reading, ReadoutError> {
        let first = self.lane(0).map(|l| l.metrics());
        let servers = || {
            first
                .iter()
                .flat_map(|m: &BalancerMetrics| m.servers.iter())
        };
        let lanes = self.lane_metrics();
        let p99 = |l: &crate::balancing::LaneMetrics| l.latency.p99 as f64 / 1_000.0;
        Ok(match name {
            "server_state" | "server_routed" => {
                let server = pick(name, subject, servers().map(|s| (s.name.clone(), s)))?;
                if name == "server_state" {
                    Reading::Text(server.state().name().into())
                } else {
                    Reading::Number(server.counters.routed as f64)
                }
            }
            "health_flaps" => {
                Reading::Number(servers().map(|s| s.counters.health_flaps).sum::<u64>() as f64)
            }
            "server_window_mean_ms" => {
                let server = pick(name, subject, servers().map(|s| (s.name.clone(), s)))?;
                let mean = self
                    .lane(0)
                    .and_then(|l| l.strategies().get(StrategyKind::LeastResponseTime))
                    .and_then(|s| match s {
                        Strategy::LeastResponseTime(w) => Some(w.mean_of(server.index)),
                        _ => None,
                    })
                    .unwrap_or(0);
                Reading::Number(mean as f64 / 1_000.0)
            }
            "busiest_share_pct" => {
                let total: u64 = servers().map(|s| s.counters.routed).sum();
                let most = servers().map(|s| s.counters.routed).max().unwrap_or(0);
                if total == 0 {
                    return Err(ReadoutError::NoValueYet { name: name.into() });
                }
                Reading::Number(most as f64 * 100.0 / total as f64)
            }
            "servers_used" => {
                Reading::Number(servers().filter(|s| s.counters.routed > 0).count() as f64)
            }
            "clients_moved" | "clients_moved_pct" => {
                let c = self.lane(0).map(|l| l.client_counts()).unwrap_or_default();
                match (name, c.moved_pct()) {
                    ("clients_moved", _) => Reading::Number(c.moved as f64),
                    (_, Some(pct)) => Reading::Number(pct),
                    _ => return Err(ReadoutError::NoValueYet { name: name.into() }),
                }
            }
            "completed" => Reading::Number(lanes.first().map_or(0, |l| l.completed) as f64),
            "sessions_kept_pct" | "sessions_lost" => {
                let c = self.lane(0).map(|l| l.client_counts()).unwrap_or_default();
                match (name, c.kept_pct()) {
                    ("sessions_lost", _) => Reading::Number(c.session_lost as f64),
                    (_, Some(pct)) => Reading::Number(pct),
                    _ => return Err(ReadoutError::NoValueYet { name: name.into() }),
                }
            }
            "lane_clients_moved_pct" => {
                let lane = pick(
                    name,
                    subject,
                    lanes.iter().map(|l| (l.strategy.name().to_string(), l)),
                )?;
                let pct = lane.clients.moved_pct();
                Reading::Number(pct.ok_or_else(|| ReadoutError::NoValueYet { name: name.into() })?)
            }
            "lane_p99_ms" => {
                let lane = pick(
                    name,
                    subject,
                    lanes.iter().map(|l| (l.strategy.name().to_string(), l)),
                )?;
                if lane.latency.count == 0 {
                    return Err(ReadoutError::NoValueYet { name: name.into() });
                }
                Reading::Number(p99(lane))
            }
            _ => {
                let answered = lanes.iter().filter(|l| l.latency.count > 0);
                let best = smallest(answered.map(|l| (l.strategy, p99(l))))
                    .ok_or_else(|| ReadoutError::NoValueYet { name: name.into() })?;
                Reading::Text(best.name().into())
            }
        })
    }
}
