//! The exact moved-key table: every router on the same keys, N → N+1 and N → N−1 shards, as
//! the core's `resize_movement` counts them (a pure function, memoised on its inputs).

use crate::fixed::fixed;
use scalelab_core::sharding::{resize_movement, RouterKind, RouterMoves, MAX_TABLE_KEYS};
use yew::prelude::*;

fn router_name(k: &RouterKind) -> String {
    match k {
        RouterKind::ModuloMd5 => "Modulo over MD5 (the guide)".to_string(),
        RouterKind::Ring { virtual_nodes } => format!("Ring, {virtual_nodes} vnodes"),
        RouterKind::Jump => "Jump hash".to_string(),
        RouterKind::Rendezvous => "Rendezvous".to_string(),
    }
}

fn same_family(a: &RouterKind, b: &RouterKind) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

#[derive(Properties, PartialEq, Clone)]
pub struct MoveTableProps {
    /// Keys in the store.
    pub keys: u64,
    /// Live shards now.
    pub shards: u32,
    /// Ring points per shard for the ring's row.
    pub virtual_nodes: u32,
    /// The scene's router, highlighted in the table.
    pub current: RouterKind,
}

/// One router's row: its name (bold, with a badge, for the scene's own router), the moved
/// keys, the moved share and what theory predicts.
fn row(r: &RouterMoves, current: &RouterKind) -> Html {
    let current = same_family(&r.router, current);
    let badge = if current {
        html! { <span class="badge ok" style="margin-left:0.4rem">{ "current" }</span> }
    } else {
        Html::default()
    };
    html! {
        <tr style={current.then_some("font-weight:700")} data-router={r.router.label()}>
            <th scope="row">{ router_name(&r.router) }{ badge }</th>
            <td>{ format!("{} of {}", r.moved, r.keys) }</td>
            <td>{ format!("{} %", fixed(r.fraction * 100.0, 1)) }</td>
            <td>{ format!("{} %", fixed(r.expected * 100.0, 1)) }</td>
        </tr>
    }
}

/// A titled group of rows in the table's body.
fn section(title: String, rows: &[RouterMoves], current: &RouterKind) -> Html {
    html! {
        <>
            <tr><th scope="rowgroup" colspan="4" class="group">{ title }</th></tr>
            { for rows.iter().map(|r| row(r, current)) }
        </>
    }
}

/// The table, counted once per change of key count, live shards or virtual nodes.
#[component]
pub fn MoveTable(p: &MoveTableProps) -> Html {
    let table = use_memo((p.keys, p.shards, p.virtual_nodes), |&(keys, n, v)| {
        resize_movement(keys, n, v)
    });
    let n = p.shards.max(1);
    let remove = if table.remove.is_empty() {
        Html::default()
    } else {
        section(
            format!("Remove the last shard: {n} → {}", n - 1),
            &table.remove,
            &p.current,
        )
    };
    html! {
        <table class="data moves"
            aria-label="Keys that move when a shard is added or removed, per router, on the same keys">
            <caption style="text-align:left;font-size:0.8rem;font-weight:600;color:var(--muted)">
                { format!(
                    "Exact moved keys on the same {} keys (shards numbered 0…{})",
                    p.keys.min(MAX_TABLE_KEYS),
                    n - 1
                ) }
            </caption>
            <thead>
                <tr>
                    <th scope="col">{ "Router" }</th>
                    <th scope="col">{ "moved keys" }</th>
                    <th scope="col">{ "moved" }</th>
                    <th scope="col">{ "theory" }</th>
                </tr>
            </thead>
            <tbody>
                { section(format!("Add a shard: {n} → {}", n + 1), &table.add, &p.current) }
                { remove }
            </tbody>
        </table>
    }
}
