//! The prominent line about lost keys: in naive mode a warning with the unreadable and stale
//! keys right now and the reads that came back empty or old; in directory mode a badge that
//! says the migration is lossless. Both carry the counts as `data-unreadable`/`data-stale`.

use scalelab_core::sharding::{MigrationMode, ShardingModel};
use yew::prelude::*;

/// The banner for the model's present.
pub fn loss_banner(sim: &ShardingModel) -> Html {
    let (unreadable, stale) = (sim.unreadable_count(), sim.stale_count());
    let s = sim.stats();
    match sim.config().mode {
        MigrationMode::Naive => html! {
            <div class="notices" role="status" data-unreadable={unreadable.to_string()}
                data-stale={stale.to_string()}>
                <strong style="color:var(--bad)">{ format!(
                    "⚠ Naive migration (as the guide): {unreadable} unreadable keys, {stale} stale keys right now."
                ) }</strong>
                { format!(
                    " Reads follow the hash only, so a key that moved (or has not moved yet) is not found; {} reads so far came back empty, {} returned an old version.",
                    s.unreadable_reads, s.stale_reads
                ) }
            </div>
        },
        MigrationMode::Directory => {
            let badge = if unreadable == 0 && stale == 0 {
                html! { <span class="badge ok">{ "✓ lossless" }</span> }
            } else {
                html! { <span class="badge bad">{ "⚠ keys lost" }</span> }
            };
            html! {
                <p style="margin:0.25rem 0;font-size:0.88rem" role="status"
                    data-unreadable={unreadable.to_string()} data-stale={stale.to_string()}>
                    { badge }
                    { format!(
                        " Directory migration: {unreadable} unreadable, {stale} stale keys — reads check the directory ({} entries) before the hash.",
                        sim.manager().directory_len()
                    ) }
                </p>
            }
        }
    }
}
