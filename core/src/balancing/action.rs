//! The user's operations as data, so a [`crate::timeline::Timeline`] can log and replay them
//! (and a link or a saved replay can carry them).

use super::balancer::Balancer;
use super::error::BalancingError;
use super::event::BalancerEvent;
use crate::sim::{ArrivalProcess, ServerConfig};
use crate::timeline::Action;
use serde::{Deserialize, Serialize};

/// One operation on a balancer, or on every lane of a [`super::BalancingModel`] at once.
///
/// Servers are named by their position in the server list at the time of the operation (as
/// events name them); positions shift down when a server is removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum BalancingAction {
    /// Crashes a server: its requests in flight are lost, and it refuses connections until
    /// revived. The balancer stops sending to it only once health checks notice.
    KillServer {
        /// The server's position.
        server: u32,
    },
    /// Restarts a crashed server (with active health checks it gets traffic after `rise`
    /// good probes).
    ReviveServer {
        /// The server's position.
        server: u32,
    },
    /// Makes a server `factor` times slower for requests that start from now (1 = normal).
    SetSlowdown {
        /// The server's position.
        server: u32,
        /// Service-time multiplier: positive, 1 = normal.
        factor: f64,
    },
    /// Makes a server answer a share `rate` (0–1) of its requests with an error.
    SetErrorRate {
        /// The server's position.
        server: u32,
        /// Share of requests answered with an error, 0–1.
        rate: f64,
    },
    /// Appends a server to the list; it starts UP and gets traffic at once.
    AddServer {
        /// The new server (its name must be unique).
        config: ServerConfig,
    },
    /// Removes a server (never the last); its requests in flight are lost.
    RemoveServer {
        /// The server's position.
        server: u32,
    },
    /// Switches the active strategy live, the run going on (in-flight requests finish where
    /// they are). A lone [`Balancer`] and a one-lane [`super::BalancingModel`] accept it; a
    /// race refuses it: its lanes' strategies are what it compares, set by its config.
    SwitchStrategy {
        /// The strategy's kebab-case name (see [`super::StrategyKind::ALL`]).
        strategy: String,
    },
    /// Changes the offered load from now on.
    ///
    /// The balancing page never sends it (its load is the `load` setting) and a link has no
    /// text for it: reading the five arrival shapes back from a link costs the page about
    /// 0.4 KB of its 150 KB bundle budget, which it does not have to spare. A library user
    /// applies it directly.
    SetArrivals {
        /// The new arrival process.
        arrivals: ArrivalProcess,
    },
}

impl BalancingAction {
    /// Performs the operation on one balancer; returns its events. On error nothing changes.
    pub fn apply_to(&self, sim: &mut Balancer) -> Result<Vec<BalancerEvent>, BalancingError> {
        match self {
            BalancingAction::KillServer { server } => sim.kill_server(*server),
            BalancingAction::ReviveServer { server } => sim.revive_server(*server),
            BalancingAction::SetSlowdown { server, factor } => sim.set_slowdown(*server, *factor),
            BalancingAction::SetErrorRate { server, rate } => sim.set_error_rate(*server, *rate),
            BalancingAction::AddServer { config } => sim.add_server(config.clone()),
            BalancingAction::RemoveServer { server } => sim.remove_server(*server),
            BalancingAction::SwitchStrategy { strategy } => sim.switch_strategy(strategy),
            BalancingAction::SetArrivals { arrivals } => sim.set_arrivals(arrivals.clone()),
        }
    }
}

impl Action<Balancer> for BalancingAction {
    fn apply(&self, model: &mut Balancer) -> Result<(), crate::Error> {
        self.apply_to(model).map(|_| ()).map_err(crate::Error::from)
    }
}
