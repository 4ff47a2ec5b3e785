//! Why a request went to the shard it went to, as data: the router's trace, where the key
//! lives while keys migrate, and the migration mode; why a query went to every shard; and
//! why a rebalance moves what it moves. Each has a `Display` sentence a page narrates.
//!
//! [`super::ShardingModel`] records these on its event path only (stepping with events, and
//! actions), reusing their buffers; its quiet path records nothing.

use super::rebalance_decision::RebalanceDecision;
use super::{Aggregate, Filter, MigrationMode, RouteTrace, ShardId};
use crate::sim::SimTime;
use core::fmt;
use std::rc::Rc;

/// What a routed request was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteOp {
    /// A client read.
    Read,
    /// A client write.
    Write,
    /// A query for one key.
    Query {
        /// The query's number.
        query: u64,
    },
}

impl fmt::Display for RouteOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteOp::Read => f.write_str("the read"),
            RouteOp::Write => f.write_str("the write"),
            RouteOp::Query { query } => write!(f, "query {query}"),
        }
    }
}

/// Where a key lives relative to where its route points, when the request is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// On the shard its route points to, or not stored yet: nothing about it is moving.
    Home,
    /// Queued to move from its old owner `from` to its new owner `to`, and not moved yet.
    Waiting {
        /// The old owner, which still holds it.
        from: ShardId,
        /// The new owner, where its route now points.
        to: ShardId,
    },
    /// On `holder`, away from where its route points, with no move pending: a load
    /// rebalance put it there, or a naive migration lost track of it.
    Away {
        /// The shard holding its newest copy.
        holder: ShardId,
    },
}

/// Why one read, write or key query went to the shard it went to.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteDecision {
    /// When the request was made.
    pub at: SimTime,
    /// What the request was.
    pub op: RouteOp,
    /// The key.
    pub key: String,
    /// How the router maps the key, step by step.
    pub trace: RouteTrace,
    /// Where the key's route points (the trace's end).
    pub routed: ShardId,
    /// Where the request went: `routed`, or a directory entry's shard.
    pub shard: ShardId,
    /// How keys are found while they move.
    pub mode: MigrationMode,
    /// Keys were in flight or a rebalance was under way.
    pub migrating: bool,
    /// Where the key lived relative to its route.
    pub placement: Placement,
}

impl fmt::Display for RouteDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (key, op, shard) = (&self.key, self.op, self.shard);
        write!(f, "{}", self.trace.why(key))?;
        match (self.mode, self.placement) {
            (MigrationMode::Directory, Placement::Waiting { from, to }) => write!(
                f,
                "; {key} has not moved from {from} to {to} yet, so the directory sends {op} \
                 to its old owner, {shard}."
            ),
            (MigrationMode::Naive, Placement::Waiting { from, .. }) => write!(
                f,
                "; {key} has not moved from {from} yet, but naive routing follows the hash \
                 only, so {op} goes to its new owner, {shard}."
            ),
            (MigrationMode::Directory, Placement::Away { .. }) => write!(
                f,
                "; the directory sends {op} to {shard}, where a rebalance moved {key} off \
                 its hashed home."
            ),
            (MigrationMode::Naive, Placement::Away { holder }) => {
                write!(
                    f,
                    "; {key} now lives on {holder}, but naive routing follows the hash only, \
                     so {op} goes to {shard}"
                )?;
                match op {
                    RouteOp::Write => write!(f, " and the copy on {holder} is left behind."),
                    _ => f.write_str(": the naive rebalancer makes moved keys unreadable."),
                }
            }
            (_, Placement::Home) => write!(f, ", so {op} goes to {shard}."),
        }
    }
}

/// Why a query went to every shard: its filter names no key a router could place.
#[derive(Debug, Clone, PartialEq)]
pub struct FanOutDecision {
    /// When the query was sent.
    pub at: SimTime,
    /// The query's number.
    pub query: u64,
    /// What it asks for.
    pub filter: Filter,
    /// Every shard asked, in id order (draining shards too: they still hold keys).
    pub shards: Vec<ShardId>,
    /// How many of them are draining.
    pub draining: u32,
    /// The aggregate it computes, if it is one (its `filter` is then every record).
    pub aggregate: Option<Aggregate>,
    /// Shards that are down: they refuse the query, so the answer is partial.
    pub down: Vec<ShardId>,
}

impl fmt::Display for FanOutDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "query {} names no single key, so no router can place it: it goes to all {} shards",
            self.query,
            self.shards.len()
        )?;
        match self.draining {
            0 => f.write_str(".")?,
            d => write!(f, ", {d} of them draining but still holding keys.")?,
        }
        for shard in &self.down {
            write!(f, " {shard} is down: the answer will be partial.")?;
        }
        match self.aggregate {
            None => Ok(()),
            Some(Aggregate::TopK { k }) => write!(
                f,
                " Each sends its own top {k}; the overall top {k} is among them."
            ),
            Some(_) => f.write_str(
                " Each aggregates its own records; the coordinator adds the partials up.",
            ),
        }
    }
}

/// The latest decision of any kind (see [`super::ShardingModel::last_decision`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShardingDecision<'a> {
    /// A read, write or key query routed to one shard.
    Route(&'a RouteDecision),
    /// A query sent to every shard.
    FanOut(&'a FanOutDecision),
    /// A load rebalance planned against the thresholds.
    Rebalance(&'a RebalanceDecision),
}

impl ShardingDecision<'_> {
    /// When it was made.
    pub fn at(&self) -> SimTime {
        match self {
            ShardingDecision::Route(d) => d.at,
            ShardingDecision::FanOut(d) => d.at,
            ShardingDecision::Rebalance(d) => d.at,
        }
    }
}

impl fmt::Display for ShardingDecision<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShardingDecision::Route(d) => d.fmt(f),
            ShardingDecision::FanOut(d) => d.fmt(f),
            ShardingDecision::Rebalance(d) => d.fmt(f),
        }
    }
}

/// Which slot of [`Decisions`] was written last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Latest {
    Route,
    FanOut,
    Rebalance,
}

/// The model's latest decisions, one slot per kind. Each sits behind an `Rc`, so copying the
/// model (a snapshot, a step back) shares them instead of copying their buffers; a slot no
/// copy shares is overwritten in place, and a shared one is replaced by a new decision.
#[derive(Debug, Clone, Default)]
pub(crate) struct Decisions {
    pub(crate) route: Option<Rc<RouteDecision>>,
    pub(crate) fan_out: Option<Rc<FanOutDecision>>,
    pub(crate) rebalance: Option<Rc<RebalanceDecision>>,
    latest: Option<Latest>,
}

/// The decision in `slot` to overwrite in place, unless a copy of the model shares it.
pub(crate) fn unshared<T>(slot: &mut Option<Rc<T>>) -> Option<&mut T> {
    slot.as_mut().and_then(Rc::get_mut)
}

impl Decisions {
    pub(crate) fn routed(&mut self) {
        self.latest = Some(Latest::Route);
    }

    pub(crate) fn fanned_out(&mut self) {
        self.latest = Some(Latest::FanOut);
    }

    pub(crate) fn rebalanced(&mut self) {
        self.latest = Some(Latest::Rebalance);
    }

    pub(crate) fn latest(&self) -> Option<ShardingDecision<'_>> {
        match self.latest? {
            Latest::Route => self.route.as_deref().map(ShardingDecision::Route),
            Latest::FanOut => self.fan_out.as_deref().map(ShardingDecision::FanOut),
            Latest::Rebalance => self.rebalance.as_deref().map(ShardingDecision::Rebalance),
        }
    }
}
