//! Why the balancer did what it did, as data: every server a pick considered, with the figure
//! its strategy compared, the rule that decided, and what health handling decided about a
//! server.
//!
//! A [`RouteDecision`] is recorded per routed (or unroutable) request, a [`HealthDecision`] per
//! health change, only on the event path: a step into a real event sink, and operations. The
//! quiet path (fast-forward) records nothing and computes nothing extra, because the strategies
//! take their recorder as a type parameter whose quiet version does nothing. The balancer keeps
//! one decision of each kind and refills its buffers in place, so recording allocates nothing
//! after the first pick. Decisions name servers by position at the time, as events do; their
//! sentences ([`RouteDecision::why`], [`HealthDecision::why`]) take the names.

mod health;
mod route_why;
mod trace;

pub use health::{HealthDecision, HealthWhy};
pub use route_why::RouteWhy;
pub(crate) use trace::{NoTrace, PickTrace};

use super::strategy_kind::StrategyKind;
use crate::sim::{Ipv4, SimTime};

/// Whether a server could take the request and, when not, why the balancer passed it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Standing {
    /// Up, not ejected, breaker letting calls through: the strategy considered it.
    #[default]
    Eligible,
    /// Active health checks have marked it DOWN.
    Down,
    /// Passive outlier detection has ejected it.
    Ejected,
    /// Its circuit breaker is OPEN, or HALF_OPEN with every trial call already sent.
    BreakerOpen,
}

impl Standing {
    /// Words for a sentence: "down", "ejected", "breaker open" ("eligible" when it was).
    pub const fn label(self) -> &'static str {
        match self {
            Standing::Eligible => "eligible",
            Standing::Down => "down",
            Standing::Ejected => "ejected",
            Standing::BreakerOpen => "breaker open",
        }
    }
}

/// What the active strategy compared for one eligible server.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Figure {
    /// Nothing per server: round robin, IP hash and random choice compare no figure, and a
    /// skipped server is not compared.
    #[default]
    None,
    /// Requests in flight (least connections, power of two choices).
    InFlight(u32),
    /// nginx's peer state around one smooth weighted round robin pick.
    Smooth {
        /// The configured weight.
        weight: i64,
        /// The effective weight the peer gained this pick (below `weight` after failures).
        effective_weight: i64,
        /// `current_weight` before the pick.
        current_before: i64,
        /// `current_weight` after gaining the effective weight: what the pick compares.
        current_raised: i64,
        /// `current_weight` after the pick: the winner's has paid back the total.
        current_after: i64,
    },
    /// The naive weighted round robin's accumulated weight around one pick.
    Accumulated {
        /// The configured weight, added every pick.
        weight: u32,
        /// The accumulated weight before the pick.
        before: i64,
        /// After adding the weight: what is compared with the total.
        raised: i64,
        /// After the pick: the winner's has paid back the total.
        after: i64,
    },
    /// Least response time: the mean of the window.
    Mean {
        /// Mean response time in µs; 0 without samples.
        mean: u64,
        /// Samples in the window.
        samples: u32,
    },
    /// EWMA response time: the smoothed latency times requests in flight plus one.
    Ewma {
        /// Smoothed latency in µs; `None` until the server has answered once.
        ewma: Option<f64>,
        /// Requests in flight.
        in_flight: u32,
        /// The cost compared, `ewma × (in_flight + 1)`; 0 for an idle server without samples,
        /// far above any latency for a busy one.
        score: f64,
    },
}

/// One server as a pick saw it: eligible or skipped, and the figure compared.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Considered {
    /// Position in the server list at the time.
    pub server: u32,
    /// Eligible, or why it was skipped.
    pub standing: Standing,
    /// The figure the strategy compared; [`Figure::None`] for a skipped server.
    pub figure: Figure,
}

/// One server drawn at random (random choice, power of two choices).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Draw {
    /// The drawn server's position.
    pub server: u32,
    /// Its requests in flight when drawn.
    pub in_flight: u32,
}

/// How least connections settles a tie on the lowest in-flight count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieBreak {
    /// HAProxy `leastconn`: the first tied server at or after the tie cursor (a position),
    /// wrapping to the first.
    Rotation {
        /// The tie cursor's position before the pick.
        cursor: u32,
    },
    /// The naive version: the first tied server in list order.
    FirstServer,
}

/// What an IP hash hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashKey {
    /// The client's address (HAProxy `balance source`).
    Client(Ipv4),
    /// The constant [`super::NAIVE_HASH_KEY`], the same for every client (the naive version).
    Constant,
}

/// The rule that decided a pick, with its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Rule {
    /// No server was eligible: the request was dropped.
    #[default]
    NoneEligible,
    /// Round robin: the first eligible server at or after the cursor.
    NextInTurn {
        /// The cursor (a server position) before the pick.
        cursor: u32,
        /// No eligible server sat at or after the cursor, so the turn went back to the first.
        wrapped: bool,
    },
    /// Least connections: the fewest requests in flight.
    FewestInFlight {
        /// The lowest in-flight count.
        in_flight: u32,
        /// Eligible servers with that count (1 when there is no tie).
        tied: u32,
        /// How the tie is settled.
        tie: TieBreak,
    },
    /// Smooth weighted round robin: the largest `current_weight` after every eligible peer
    /// gained its effective weight (strict `>`, so the earlier peer wins a tie); the winner
    /// pays back the total.
    LargestCurrentWeight {
        /// The sum of the effective weights gained this pick.
        total: i64,
    },
    /// Naive weighted round robin: the first server whose accumulated weight reached the total.
    FirstToReachTotal {
        /// The sum of the eligible servers' weights.
        total: i64,
        /// False when none reached it: the first eligible server then takes the request and
        /// pays nothing back.
        reached: bool,
    },
    /// IP hash: the eligible server at `hash % eligible`.
    HashModulo {
        /// What was hashed.
        key: HashKey,
        /// The hash.
        hash: u64,
        /// Eligible servers, the modulus.
        eligible: u32,
        /// `hash % eligible`: the winner's index in the eligible list.
        index: u32,
    },
    /// Ring hash: the first server point at or after the client's position on the ring.
    RingPoint {
        /// The client whose address was hashed.
        client: Ipv4,
        /// The client's position on the 32-bit ring.
        position: u32,
        /// Where the chosen point sits on the ring.
        point: u32,
        /// Which of the winner's points it is (0-based).
        number: u32,
        /// No point sat at or after the position, so the lowest point took it.
        wrapped: bool,
    },
    /// Maglev: the owner of the lookup table's slot `hash % size`.
    TableSlot {
        /// The client whose address was hashed.
        client: Ipv4,
        /// The client's hash.
        hash: u64,
        /// `hash % size`: the slot read.
        slot: u32,
        /// Slots in the table (a prime).
        size: u32,
    },
    /// Least response time: the lowest window mean, the first server on ties.
    LowestMean {
        /// The lowest mean in µs.
        mean: u64,
        /// Eligible servers with that mean.
        tied: u32,
    },
    /// EWMA response time: the lowest score, the one with fewer in flight on ties.
    LowestScore {
        /// The lowest score.
        score: f64,
        /// Eligible servers with that score.
        tied: u32,
    },
    /// Random choice: a uniform draw of an index into the eligible list.
    UniformDraw {
        /// The index drawn.
        index: u32,
        /// Eligible servers drawn from.
        eligible: u32,
    },
    /// Power of two choices: of the draws (in [`RouteDecision::draws`]), the first, replaced
    /// only by a later one with strictly fewer in flight.
    FewestOfDraws {
        /// Which draw was kept (its index in the draws).
        kept: u32,
    },
}

/// Why one request went where it went: every server in the list with its standing and the
/// figure the strategy compared, the draws when the strategy draws, and the rule that decided.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RouteDecision {
    /// When the request was routed.
    pub at: SimTime,
    /// The request's id.
    pub request: u64,
    /// The client's address.
    pub client_ip: Ipv4,
    /// The strategy that picked.
    pub strategy: StrategyKind,
    /// Every server in list order, eligible or skipped.
    pub servers: Vec<Considered>,
    /// Random choice's and power of two choices' draws, in draw order; empty otherwise.
    pub draws: Vec<Draw>,
    /// The rule that decided.
    pub rule: Rule,
    /// The server the request went to; `None` when none was eligible.
    pub winner: Option<u32>,
}

impl RouteDecision {
    /// Starts a new decision in place, keeping the buffers' capacity.
    pub(crate) fn begin(
        &mut self,
        at: SimTime,
        request: u64,
        client_ip: Ipv4,
        strategy: StrategyKind,
    ) {
        self.at = at;
        self.request = request;
        self.client_ip = client_ip;
        self.strategy = strategy;
        self.servers.clear();
        self.draws.clear();
        self.rule = Rule::NoneEligible;
        self.winner = None;
    }

    /// The servers the strategy considered, in list order.
    pub fn eligible(&self) -> impl Iterator<Item = &Considered> + '_ {
        self.servers
            .iter()
            .filter(|c| c.standing == Standing::Eligible)
    }

    /// The servers passed over (down, ejected or breaker open), in list order.
    pub fn skipped(&self) -> impl Iterator<Item = &Considered> + '_ {
        self.servers
            .iter()
            .filter(|c| c.standing != Standing::Eligible)
    }

    /// How many servers were eligible.
    pub fn eligible_count(&self) -> u32 {
        self.eligible().count() as u32
    }

    /// The server at position `server` as the pick saw it.
    pub fn considered(&self, server: u32) -> Option<&Considered> {
        self.servers.get(server as usize)
    }

    /// The winner's entry, when there is one.
    pub fn chosen(&self) -> Option<&Considered> {
        self.winner.and_then(|w| self.considered(w))
    }

    /// The *why* as one sentence, naming servers by `names` (their names by position as they
    /// were at the decision; a position without a name is said as "server N").
    pub fn why<'a, S: AsRef<str>>(&'a self, names: &'a [S]) -> RouteWhy<'a, S> {
        RouteWhy::new(self, names)
    }
}
