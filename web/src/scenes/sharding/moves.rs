//! The exact moved-key table: every router on the same keys, N → N+1 and N → N−1 shards, as
//! the core's `resize_movement` counts them (a pure function, memoised on its inputs).

use crate::components::svg::{Attr, El};
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
    pub virtual_nodes: u32,
    /// The scene's router, highlighted in the table.
    pub current: RouterKind,
}

#[component]
pub fn MoveTable(p: &MoveTableProps) -> Html {
    let rows = use_memo((p.keys, p.shards, p.virtual_nodes), |&(keys, n, v)| {
        resize_movement(keys, n, v)
    });
    let (add, remove) = (&rows.add, &rows.remove);
    let n = p.shards.max(1);
    // Rows go straight into the body (no `html!` per element, no collected lists): the same
    // DOM for less wasm.
    let section = |mut body: El, title: String, rows: &[RouterMoves]| {
        body = body.el(El::new("tr").el(El::new("th")
            .set(Attr::Scope, "rowgroup")
            .set(Attr::Colspan, "4")
            .set(Attr::Class, "group")
            .text(title)));
        for r in rows {
            let current = same_family(&r.router, &p.current);
            let mut name = El::new("th")
                .set(Attr::Scope, "row")
                .text(router_name(&r.router));
            if current {
                name = name.el(El::new("span")
                    .set(Attr::Class, "badge ok")
                    .set(Attr::Style, "margin-left:0.4rem")
                    .text("current"));
            }
            body = body.el(El::new("tr")
                .set(Attr::Style, if current { "font-weight:700" } else { "" })
                .string(Attr::DataRouter, r.router.label())
                .el(name)
                .el(El::new("td").text(format!("{} of {}", r.moved, r.keys)))
                .el(El::new("td").text(format!("{} %", fixed(r.fraction * 100.0, 1))))
                .el(El::new("td").text(format!("{} %", fixed(r.expected * 100.0, 1)))));
        }
        body
    };
    let mut head = El::new("tr");
    for h in ["Router", "moved keys", "moved", "theory"] {
        head = head.el(El::new("th").set(Attr::Scope, "col").text(h));
    }
    let mut body = section(
        El::new("tbody"),
        format!("Add a shard: {n} → {}", n + 1),
        add,
    );
    if !remove.is_empty() {
        body = section(
            body,
            format!("Remove the last shard: {n} → {}", n - 1),
            remove,
        );
    }
    El::new("table")
        .set(Attr::Class, "data moves")
        .set(
            Attr::AriaLabel,
            "Keys that move when a shard is added or removed, per router, on the same keys",
        )
        .el(El::new("caption")
            .set(
                Attr::Style,
                "text-align:left;font-size:0.8rem;font-weight:600;color:var(--muted)",
            )
            .text(format!(
                "Exact moved keys on the same {} keys (shards numbered 0…{})",
                p.keys.min(MAX_TABLE_KEYS),
                n - 1
            )))
        .el(El::new("thead").el(head))
        .el(body)
        .html()
}
