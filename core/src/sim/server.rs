//! A server: a number of concurrency slots and a bounded FIFO queue.
//!
//! Latency, queueing, drops and utilisation come out of this model as a request waits for a
//! slot and then holds it for its service time; nothing is computed from a queueing formula.

use super::{check_count, check_positive, limits, Ipv4, SimError, SimTime};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// A request in flight through the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Unique within a run: a [`Workload`](super::Workload) numbers requests 0, 1, 2… in
    /// arrival order.
    pub id: u64,
    /// Index into the client population.
    pub client: u32,
    /// The client's address (what IP-hash balancing hashes).
    pub ip: Ipv4,
    /// When the request reached the system.
    pub arrived: SimTime,
    /// Service time in microseconds on a server of speed 1.
    pub cost: u64,
}

/// One server's settings. A field absent from a config takes its default: named `server`,
/// weight 1, 4 slots, 64 queue places, speed 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerConfig {
    /// The name the server is shown under.
    pub name: String,
    /// Share of traffic for weighted strategies (1 to [`MAX_WEIGHT`]).
    pub weight: u32,
    /// Requests served at once (1 to [`MAX_SERVER_SLOTS`](limits::MAX_SERVER_SLOTS)).
    pub concurrency: u32,
    /// Requests that may wait for a slot; more are dropped (0 to
    /// [`MAX_SERVER_SLOTS`](limits::MAX_SERVER_SLOTS)).
    pub queue_limit: u32,
    /// Relative speed: 2.0 serves a request in half its cost (above 0, at most
    /// [`MAX_SPEED`]).
    pub speed: f64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            name: String::from("server"),
            weight: 1,
            concurrency: 4,
            queue_limit: 64,
            speed: 1.0,
        }
    }
}

/// The largest server weight a config accepts.
pub const MAX_WEIGHT: u64 = 1_000;
/// The largest server speed, and the largest slowdown factor, accepted: a thousandfold.
pub const MAX_SPEED: f64 = 1_000.0;

impl ServerConfig {
    /// The default server config under this name.
    pub fn named(name: impl Into<String>) -> Self {
        ServerConfig {
            name: name.into(),
            ..ServerConfig::default()
        }
    }

    /// Checks the weight, concurrency, queue limit and speed against their bounds.
    pub fn validate(&self) -> Result<(), SimError> {
        check_count("server weight", u64::from(self.weight), 1, MAX_WEIGHT)?;
        check_count(
            "server concurrency",
            u64::from(self.concurrency),
            1,
            limits::MAX_SERVER_SLOTS,
        )?;
        check_count(
            "server queue limit",
            u64::from(self.queue_limit),
            0,
            limits::MAX_SERVER_SLOTS,
        )?;
        check_positive("server speed", self.speed, MAX_SPEED)?;
        Ok(())
    }
}

/// What happened when a request was offered to a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Admission {
    /// A slot was free: the request is being served and finishes at `finish_at`.
    Started {
        /// When service ends: the caller schedules the completion then.
        finish_at: SimTime,
    },
    /// All slots busy: the request waits at position `depth` (1 = next).
    Queued {
        /// Position in the queue, 1 being the next to start.
        depth: u32,
    },
    /// The queue is full.
    QueueFull,
    /// The server is down and refuses the connection.
    Refused,
}

/// What a server remembers of a request it is serving: only what its completion reports.
/// (Kept small: every admission and completion moves one, and wasm32 copies anything larger
/// than a few words with a `memory.copy` call.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct InService {
    id: u64,
    arrived: SimTime,
    started: SimTime,
}

/// A request waiting for a slot: what starting it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Waiting {
    id: u64,
    arrived: SimTime,
    cost: u64,
}

impl From<Request> for Waiting {
    fn from(r: Request) -> Self {
        Waiting {
            id: r.id,
            arrived: r.arrived,
            cost: r.cost,
        }
    }
}

/// Counters a scene shows per server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerCounters {
    /// Requests started or queued.
    pub admitted: u64,
    /// Requests served to the end.
    pub completed: u64,
    /// Requests turned away because every slot and queue place was taken.
    pub queue_full: u64,
    /// Requests refused while the server was down.
    pub refused: u64,
    /// Requests in service or queued when the server was killed.
    pub lost_on_kill: u64,
}

/// A completed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    /// The request's id.
    pub request: u64,
    /// Arrival to completion, including queueing, microseconds.
    pub latency: u64,
    /// Time spent waiting for a slot, microseconds.
    pub queued_for: u64,
}

/// A server: concurrency slots, a bounded FIFO queue, an up/down state and its counters.
///
/// It does not keep time itself: [`Server::admit`] and [`Server::complete`] return when a
/// request's service ends, and the caller schedules the completion on its event queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Server {
    config: ServerConfig,
    up: bool,
    /// Service time multiplier (≥ 1 while a fault slows the server).
    slowdown: f64,
    in_service: Vec<InService>,
    queue: VecDeque<Waiting>,
    /// Bumped on kill: completions scheduled before it are stale.
    generation: u32,
    /// ∫ busy slots dt, in slot-microseconds, up to `last_change`.
    busy_integral: u128,
    last_change: SimTime,
    counters: ServerCounters,
}

impl Server {
    /// An idle server, up and at normal speed, once `config` validates.
    pub fn new(config: ServerConfig) -> Result<Self, SimError> {
        config.validate()?;
        Ok(Server {
            config,
            up: true,
            slowdown: 1.0,
            in_service: Vec::new(),
            queue: VecDeque::new(),
            generation: 0,
            busy_integral: 0,
            last_change: SimTime::ZERO,
            counters: ServerCounters::default(),
        })
    }

    /// The server's config.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }
    /// The configured name.
    pub fn name(&self) -> &str {
        &self.config.name
    }
    /// The configured weight.
    pub fn weight(&self) -> u32 {
        self.config.weight
    }
    /// False from [`Server::kill`] until [`Server::revive`].
    pub fn is_up(&self) -> bool {
        self.up
    }
    /// The current service-time multiplier (1.0 = normal; see [`Server::set_slowdown`]).
    pub fn slowdown(&self) -> f64 {
        self.slowdown
    }
    /// How many times the server has been killed (wrapping): a completion scheduled in an
    /// earlier generation is stale.
    pub fn generation(&self) -> u32 {
        self.generation
    }
    /// The counters so far.
    pub fn counters(&self) -> ServerCounters {
        self.counters
    }
    /// Requests being served plus waiting: what "connections" means to a balancer.
    pub fn in_flight(&self) -> u32 {
        (self.in_service.len() + self.queue.len()) as u32
    }
    /// Requests being served now.
    pub fn busy_slots(&self) -> u32 {
        self.in_service.len() as u32
    }
    /// Requests waiting for a slot.
    pub fn queue_len(&self) -> u32 {
        self.queue.len() as u32
    }

    fn account(&mut self, now: SimTime) {
        let dt = now.since(self.last_change).0;
        let busy = self.in_service.len() as u64;
        // Both factors below 2^32 (under 71 simulated minutes since the last change): the
        // product fits a u64, and a 64-bit multiply is one instruction in wasm32, where a
        // 128-bit one is a call. Same sum either way.
        self.busy_integral += if (dt | busy) >> 32 == 0 {
            u128::from(dt * busy)
        } else {
            u128::from(dt) * u128::from(busy)
        };
        self.last_change = self.last_change.max(now);
    }

    /// Fraction of slot-time busy since the start, in [0, 1].
    pub fn utilization(&self, now: SimTime) -> f64 {
        let dt = now.since(self.last_change).0;
        let busy = self.busy_integral + u128::from(dt) * self.in_service.len() as u128;
        let cap = u128::from(now.0) * u128::from(self.config.concurrency);
        if cap == 0 {
            0.0
        } else {
            (busy as f64 / cap as f64).min(1.0)
        }
    }

    /// Busy slot-microseconds so far; two readings give utilisation over a window.
    pub fn busy_integral(&self, now: SimTime) -> u128 {
        let dt = now.since(self.last_change).0;
        self.busy_integral + u128::from(dt) * self.in_service.len() as u128
    }

    fn service_time(&self, cost: u64) -> u64 {
        if self.slowdown == 1.0 && self.config.speed == 1.0 && cost < 1 << 53 {
            // What the formula below gives at normal speed (cost is exact as an f64 below
            // 2^53), without its float round trip on every request.
            return cost.max(1);
        }
        let t = (cost as f64 * self.slowdown / self.config.speed).ceil();
        if t.is_finite() {
            (t as u64).max(1)
        } else {
            u64::MAX / 4
        }
    }

    fn start(&mut self, request: Waiting, now: SimTime) -> SimTime {
        self.in_service.push(InService {
            id: request.id,
            arrived: request.arrived,
            started: now,
        });
        now.after(super::SimDuration(self.service_time(request.cost)))
    }

    /// Offers a request; the caller schedules a completion when it is `Started`.
    pub fn admit(&mut self, request: Request, now: SimTime) -> Admission {
        if !self.up {
            self.counters.refused += 1;
            return Admission::Refused;
        }
        self.account(now);
        if (self.in_service.len() as u32) < self.config.concurrency {
            self.counters.admitted += 1;
            return Admission::Started {
                finish_at: self.start(Waiting::from(request), now),
            };
        }
        if (self.queue.len() as u32) < self.config.queue_limit {
            self.counters.admitted += 1;
            self.queue.push_back(Waiting::from(request));
            return Admission::Queued {
                depth: self.queue.len() as u32,
            };
        }
        self.counters.queue_full += 1;
        Admission::QueueFull
    }

    /// Finishes request `id` (if it is still being served in this generation) and starts the
    /// next queued one. Returns the completion and, if one started, `(its id, finish_at)`.
    pub fn complete(
        &mut self,
        id: u64,
        generation: u32,
        now: SimTime,
    ) -> Option<(Completion, Option<(u64, SimTime)>)> {
        if generation != self.generation {
            return None;
        }
        let pos = self.in_service.iter().position(|s| s.id == id)?;
        self.account(now);
        let done = self.in_service.swap_remove(pos);
        self.counters.completed += 1;
        let completion = Completion {
            request: done.id,
            latency: now.since(done.arrived).0,
            queued_for: done.started.since(done.arrived).0,
        };
        let next = self.queue.pop_front().map(|waiting| {
            let finish = self.start(waiting, now);
            (waiting.id, finish)
        });
        Some((completion, next))
    }

    /// The server crashes: everything in service or queued is lost (their ids are returned,
    /// in service first), and completions already scheduled become stale.
    pub fn kill(&mut self, now: SimTime) -> Vec<u64> {
        self.account(now);
        self.up = false;
        self.generation = self.generation.wrapping_add(1);
        let mut lost: Vec<u64> = self.in_service.drain(..).map(|s| s.id).collect();
        lost.extend(self.queue.drain(..).map(|w| w.id));
        self.counters.lost_on_kill += lost.len() as u64;
        lost
    }

    /// Brings a killed server back up, idle; its counters and slowdown are kept.
    pub fn revive(&mut self, now: SimTime) {
        self.account(now);
        self.up = true;
    }

    /// Multiplies service time for requests that start from now on (1.0 = normal speed).
    pub fn set_slowdown(&mut self, factor: f64) -> Result<(), SimError> {
        self.slowdown = check_positive("slowdown factor", factor, MAX_SPEED)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: u64, at: u64, cost: u64) -> Request {
        Request {
            id,
            client: 0,
            ip: Ipv4(0),
            arrived: SimTime(at),
            cost,
        }
    }

    #[test]
    fn queueing_delay_is_measured_not_computed() {
        let mut s = Server::new(ServerConfig {
            concurrency: 1,
            queue_limit: 1,
            ..ServerConfig::named("a")
        })
        .unwrap();
        assert_eq!(
            s.admit(req(1, 0, 100), SimTime(0)),
            Admission::Started {
                finish_at: SimTime(100)
            }
        );
        assert_eq!(
            s.admit(req(2, 10, 100), SimTime(10)),
            Admission::Queued { depth: 1 }
        );
        assert_eq!(s.admit(req(3, 20, 100), SimTime(20)), Admission::QueueFull);
        let (c, next) = s.complete(1, 0, SimTime(100)).unwrap();
        assert_eq!(c.latency, 100);
        assert_eq!(next, Some((2, SimTime(200))));
        let (c2, _) = s.complete(2, 0, SimTime(200)).unwrap();
        assert_eq!(c2.latency, 190);
        assert_eq!(c2.queued_for, 90);
        assert!((s.utilization(SimTime(200)) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn kill_loses_in_flight_and_makes_completions_stale() {
        let mut s = Server::new(ServerConfig::named("a")).unwrap();
        s.admit(req(1, 0, 100), SimTime(0));
        assert_eq!(s.kill(SimTime(50)).len(), 1);
        assert!(s.complete(1, 0, SimTime(100)).is_none());
        assert_eq!(s.admit(req(2, 60, 100), SimTime(60)), Admission::Refused);
        s.revive(SimTime(70));
        assert!(matches!(
            s.admit(req(3, 80, 100), SimTime(80)),
            Admission::Started { .. }
        ));
    }

    #[test]
    fn slowdown_stretches_service_time() {
        let mut s = Server::new(ServerConfig::named("a")).unwrap();
        s.set_slowdown(3.0).unwrap();
        assert_eq!(
            s.admit(req(1, 0, 100), SimTime(0)),
            Admission::Started {
                finish_at: SimTime(300)
            }
        );
        assert!(s.set_slowdown(f64::NAN).is_err());
    }
}
