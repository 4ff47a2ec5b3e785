//! The user's operations as data, so a [`crate::timeline::Timeline`] can log and replay them
//! (and a URL or a saved replay can carry them).

use super::event::BalancerEvent;
use super::race::{Race, RaceEvent};
use super::sim::BalancerSim;
use super::BalancingError;
use crate::sim::{ArrivalProcess, ServerConfig};
use crate::timeline::Action;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum BalancerAction {
    KillServer { server: u32 },
    ReviveServer { server: u32 },
    SetSlowdown { server: u32, factor: f64 },
    SetErrorRate { server: u32, rate: f64 },
    AddServer { config: ServerConfig },
    RemoveServer { server: u32 },
    SwitchStrategy { strategy: String },
    SetArrivals { arrivals: ArrivalProcess },
}

impl BalancerAction {
    /// Performs the operation on one balancer; returns its events. On error nothing changes.
    pub fn apply_to(&self, sim: &mut BalancerSim) -> Result<Vec<BalancerEvent>, BalancingError> {
        match self {
            BalancerAction::KillServer { server } => sim.kill_server(*server),
            BalancerAction::ReviveServer { server } => sim.revive_server(*server),
            BalancerAction::SetSlowdown { server, factor } => sim.set_slowdown(*server, *factor),
            BalancerAction::SetErrorRate { server, rate } => sim.set_error_rate(*server, *rate),
            BalancerAction::AddServer { config } => sim.add_server(config.clone()),
            BalancerAction::RemoveServer { server } => sim.remove_server(*server),
            BalancerAction::SwitchStrategy { strategy } => sim.switch_strategy(strategy),
            BalancerAction::SetArrivals { arrivals } => sim.set_arrivals(arrivals.clone()),
        }
    }

    /// Performs the operation on every lane of a race, or on none (see [`Race::apply`]).
    pub fn apply_to_race(&self, race: &mut Race) -> Result<Vec<RaceEvent>, BalancingError> {
        race.apply(self)
    }
}

impl Action<BalancerSim> for BalancerAction {
    fn apply(&self, model: &mut BalancerSim) -> Result<(), crate::Error> {
        self.apply_to(model).map(|_| ()).map_err(crate::Error::from)
    }
}

impl Action<Race> for BalancerAction {
    fn apply(&self, model: &mut Race) -> Result<(), crate::Error> {
        self.apply_to_race(model)
            .map(|_| ())
            .map_err(crate::Error::from)
    }
}
