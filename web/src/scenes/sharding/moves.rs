//! The exact moved-key table: every router on the same keys, N → N+1 and N → N−1 shards,
//! counted by the core's `compare_routers` (a pure function, memoised on its inputs).

use crate::components::svg::{Attr, El};
use crate::fixed::fixed;
use scalelab_core::sharding::{compare_routers, RouterKind};
use yew::prelude::*;

/// Keys the table counts at most (the scene's own key space is at most 5 000).
pub const MAX_TABLE_KEYS: u64 = 5_000;

/// One router's line in the table.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveRow {
    pub router: RouterKind,
    pub moved: u64,
    pub keys: u64,
    pub fraction: f64,
    pub expected: f64,
}

/// Moved keys per router when shards `0..n_before` become `0..n_after`, on the scene's keys
/// `user:0 … user:<keys-1>`. Empty when the change is impossible (0 shards).
pub fn movement_rows(keys: u64, n_before: u32, n_after: u32, virtual_nodes: u32) -> Vec<MoveRow> {
    let names: Vec<String> = (0..keys.min(MAX_TABLE_KEYS))
        .map(|i| format!("user:{i}"))
        .collect();
    match compare_routers(&names, n_before, n_after, virtual_nodes.max(1)) {
        Ok(cmp) => cmp
            .into_iter()
            .map(|c| MoveRow {
                router: c.router,
                moved: c.movement.moved,
                keys: c.movement.keys,
                fraction: c.movement.fraction(),
                expected: c.expected_fraction,
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

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
        let n = n.max(1);
        let add = movement_rows(keys, n, n + 1, v);
        let remove = if n > 1 {
            movement_rows(keys, n, n - 1, v)
        } else {
            Vec::new()
        };
        (add, remove)
    });
    let (add, remove) = &*rows;
    let n = p.shards.max(1);
    // Rows go straight into the body (no `html!` per element, no collected lists): the same
    // DOM for less wasm.
    let section = |mut body: El, title: String, rows: &[MoveRow]| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_to_five_on_default_keys_modulo_moves_most_consistent_about_a_fifth() {
        let rows = movement_rows(1_000, 4, 5, 100);
        assert_eq!(rows.len(), 4);
        let by = |f: fn(&RouterKind) -> bool| rows.iter().find(|r| f(&r.router)).unwrap();
        let modulo = by(|k| matches!(k, RouterKind::ModuloMd5));
        let ring = by(|k| matches!(k, RouterKind::Ring { .. }));
        let jump = by(|k| matches!(k, RouterKind::Jump));
        let hrw = by(|k| matches!(k, RouterKind::Rendezvous));
        assert_eq!(modulo.keys, 1_000);
        // Modulo: about 4/5 of the keys move; theory 80 %.
        assert!(modulo.fraction > 0.7, "modulo {}", modulo.fraction);
        assert!((modulo.expected - 0.8).abs() < 1e-9);
        for r in [ring, jump, hrw] {
            assert!(
                (r.fraction - 0.2).abs() < 0.08,
                "{:?} moved {}",
                r.router,
                r.fraction
            );
            assert!((r.expected - 0.2).abs() < 1e-9);
            // Modulo moves several times more than any consistent scheme.
            assert!(modulo.moved > 3 * r.moved, "{:?}", r.router);
        }
        // Ring and jump are close to each other.
        assert!(
            ring.moved.abs_diff(jump.moved) < 80,
            "ring {} jump {}",
            ring.moved,
            jump.moved
        );
    }

    #[test]
    fn impossible_changes_give_no_rows() {
        assert!(movement_rows(100, 1, 0, 10).is_empty());
        assert_eq!(movement_rows(0, 2, 3, 10).len(), 4);
    }
}
