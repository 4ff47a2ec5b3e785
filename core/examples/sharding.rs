//! A sharded store on a consistent-hash ring: add a shard, watch its keys migrate batch by
//! batch while reads go on, then ask every shard a range query.
//!
//! `cargo run -p scalelab-core --example sharding`

use scalelab_core::sharding::{ShardEventKind, ShardingAction, ShardingConfig, ShardingModel};
use scalelab_core::timeline::Action;
use scalelab_core::{Metrics, Model};

fn main() -> Result<(), scalelab_core::Error> {
    // The teaching preset: 4 shards on a ring with 100 virtual nodes, 1 000 keys written
    // up front, 80 % reads, seed 42.
    let mut model = ShardingModel::new(ShardingConfig::default())?;
    println!(
        "{} keys on {} shards, max/avg {:.2}",
        model.config().keys,
        model.live_shard_count(),
        model.imbalance()
    );

    // How many keys each router would move for one more shard, counted on these keys.
    for row in model.resize_movement(100).add {
        println!("  {:<18} moves {:>4} keys", row.router.label(), row.moved);
    }

    // Add a shard: the keys that now hash to it migrate in batches (at most 100 keys, from
    // one shard each).
    ShardingAction::AddShard.apply(&mut model)?;
    let mut events = Vec::new();
    while model.manager().is_migrating() {
        events.clear();
        model.step_into(&mut events);
        for e in &events {
            if let ShardEventKind::BatchMoved { .. } | ShardEventKind::RebalanceFinished { .. } =
                e.kind
            {
                println!("{e}");
            }
        }
    }
    println!(
        "at rest: {} keys moved, {} unreadable, {} stale, max/avg {:.2}",
        model.stats().keys_moved,
        model.unreadable_count(),
        model.stale_count(),
        model.imbalance()
    );

    // A range query cannot be routed by hash: every shard answers, the slowest sets the pace.
    ShardingAction::QueryRange { min: 100, max: 199 }.apply(&mut model)?;
    while model.last_query().is_none_or(|q| q.gathered.is_none()) {
        model.step();
    }
    if let Some(q) = model.last_query() {
        for a in &q.answers {
            println!(
                "  {} matched {:>3} in {} µs",
                a.shard, a.matched, a.latency_micros
            );
        }
        if let Some(g) = q.gathered {
            println!(
                "{}: {} rows in {} µs",
                q.asked_for, g.rows, g.latency_micros
            );
        }
    }

    // The figures a page charts, one column per name.
    for (name, value) in ShardingModel::METRIC_NAMES.iter().zip(model.metrics()) {
        println!("  {name:<24} {value:.2}");
    }
    Ok(())
}
