//! A complete request stream: arrival times, who sends, and how much work each request is.
//!
//! Each part draws from its own RNG stream, so changing, say, the cost distribution does not
//! change which clients send or when: a race between strategies sees the identical trace.

use super::{
    ArrivalGenerator, ArrivalProcess, ClientConfig, ClientPopulation, CostDistribution, Request,
    SimError, SimRng,
};
use serde::{Deserialize, Serialize};

/// What a workload generates. A field absent from a config takes its default: Poisson
/// arrivals at 100 requests per second, 64 equally likely clients, exponential costs with a
/// 10 ms mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct WorkloadConfig {
    /// When requests arrive.
    pub arrivals: ArrivalProcess,
    /// Who sends them.
    pub clients: ClientConfig,
    /// How much work each one is.
    pub cost: CostDistribution,
}

impl WorkloadConfig {
    /// Checks the arrival process, the cost distribution, the client count and the clients'
    /// Zipf exponent.
    pub fn validate(&self) -> Result<(), SimError> {
        self.arrivals.validate()?;
        self.cost.validate()?;
        super::check_count(
            "client count",
            u64::from(self.clients.count),
            1,
            super::limits::MAX_CLIENTS,
        )?;
        if let super::ClientMix::Zipf { exponent } = self.clients.mix {
            super::check_positive("client Zipf exponent", exponent, 10.0)?;
        }
        Ok(())
    }
}

/// RNG stream numbers, fixed so traces stay stable as models grow.
const STREAM_ARRIVALS: u64 = 1;
const STREAM_CLIENTS: u64 = 2;
const STREAM_COST: u64 = 3;
const STREAM_ADDRESSES: u64 = 4;

/// A deterministic request stream: a [`WorkloadConfig`] and a seed always give the same
/// requests, with ids 0, 1, 2… in arrival order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workload {
    config: WorkloadConfig,
    arrivals: ArrivalGenerator,
    clients: ClientPopulation,
    arrival_rng: SimRng,
    client_rng: SimRng,
    cost_rng: SimRng,
    next_id: u64,
}

impl Workload {
    /// The stream of `config` with `seed`, once the config validates.
    pub fn new(config: WorkloadConfig, seed: u64) -> Result<Self, SimError> {
        config.validate()?;
        let mut addr_rng = SimRng::derive(seed, STREAM_ADDRESSES);
        Ok(Workload {
            arrivals: ArrivalGenerator::new(config.arrivals.clone())?,
            clients: ClientPopulation::new(&config.clients, &mut addr_rng)?,
            arrival_rng: SimRng::derive(seed, STREAM_ARRIVALS),
            client_rng: SimRng::derive(seed, STREAM_CLIENTS),
            cost_rng: SimRng::derive(seed, STREAM_COST),
            next_id: 0,
            config,
        })
    }

    /// The config followed now (its arrivals as last set by [`Workload::set_arrivals`]).
    pub fn config(&self) -> &WorkloadConfig {
        &self.config
    }

    /// The client population.
    pub fn clients(&self) -> &ClientPopulation {
        &self.clients
    }

    /// Requests drawn so far, which is also the id of the next one.
    pub fn requests_generated(&self) -> u64 {
        self.next_id
    }

    /// An id for a request a model adds beside the stream (a stampede's reads), from the same
    /// counter as the stream's, so every request's id is unique and the highest id tells how
    /// many requests there were.
    pub fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Changes the arrival process from `now` on (the "load" slider).
    pub fn set_arrivals(
        &mut self,
        process: ArrivalProcess,
        now: super::SimTime,
    ) -> Result<(), SimError> {
        self.arrivals.set_process(process.clone(), now)?;
        self.config.arrivals = process;
        Ok(())
    }

    /// The next request, or `None` while the arrival rate is (near) zero; call again later.
    pub fn next_request(&mut self) -> Option<Request> {
        let mut next = None;
        self.draw_next(&mut next);
        next
    }

    /// [`Workload::next_request`] written into `slot`, where a model keeps its next arrival:
    /// the request is built in place. (Returned by value and then stored, its 40 bytes are
    /// copied once more, which in wasm32 is a `memory.copy` call per request.)
    pub fn draw_next(&mut self, slot: &mut Option<Request>) {
        let Some(arrived) = self.arrivals.next_arrival(&mut self.arrival_rng) else {
            *slot = None;
            return;
        };
        let client = self.clients.pick(&mut self.client_rng);
        let cost = self.config.cost.sample(&mut self.cost_rng);
        let id = self.next_id;
        self.next_id += 1;
        *slot = Some(Request {
            id,
            client,
            ip: self.clients.address(client),
            arrived,
            cost,
        });
    }

    /// Where arrival generation has got to (used to resume after a `None`).
    pub fn cursor(&self) -> super::SimTime {
        self.arrivals.cursor()
    }
}
