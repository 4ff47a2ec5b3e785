//! The fleet: every instance as a box (warming, ready, draining; the ones just launched
//! grow in), and the ones just removed, or named by a missed scale-in, fading out. Redrawn
//! every frame: built with `El`.

use super::geometry::MAX_CSS_WIDTH;
use super::instance_box::{ghost, grid_for, instance_box};
use super::pick::Pick;
use super::text::fleet_room;
use crate::components::svg::{Attr, El};
use crate::fixed::{attr, fixed};
use scalelab_core::num_text::Num;
use scalelab_core::scaling::{
    push_count, push_reading, push_secs, Instance, InstanceState, Metric, ScalingEvent, Service,
    ServiceEvent,
};
use scalelab_core::Model;
use yew::Html;

/// Most instance boxes drawn (a full fleet of 50 plus the ones draining fits).
const MAX_BOXES: usize = 120;
/// Most boxes of instances just removed drawn at once.
const MAX_GHOSTS: usize = 8;

/// The drawing's height (viewBox units) with `n` boxes.
fn height_for(n: usize, width: f64) -> f64 {
    let g = grid_for(n, width);
    24.0 + n.div_ceil(g.cols).max(1) as f64 * (g.h + 8.0)
}

/// Height of the line that names the room kept for the rule's range (viewBox units).
const ROOM_LINE: f64 = 14.0;

/// The height the drawing keeps while a rule scales the fleet: the tallest its grid takes for
/// any fleet up to the rule's maximum with its leaving boxes, and a line that says so, so the
/// page under it stays still as instances come and go (a drawing that grew and shrank with the
/// fleet moved every setting under it). By hand, it follows the fleet.
fn kept_height(n: usize, sim: &Service, width: f64) -> f64 {
    let Some(max) = sim.rule_max_instances() else {
        return height_for(n, width);
    };
    let room = (max as usize + MAX_GHOSTS).min(MAX_BOXES);
    (0..=room)
        .map(|k| height_for(k, width))
        .fold(height_for(n, width), f64::max)
        + ROOM_LINE
}

pub fn fleet_svg(
    sim: &Service,
    recent: &[(f64, &ScalingEvent)],
    pick: Pick<'_>,
    reduced: bool,
    width: f64,
) -> Html {
    let lane = pick.lane;
    let instances = sim.instances();
    let ghosts: Vec<(f64, String, &'static str, bool)> = recent
        .iter()
        .filter(|(_, e)| e.lane == lane)
        .filter_map(|(age, e)| match &e.event {
            ServiceEvent::InstanceRemoved { name, .. } => {
                Some((*age, name.clone(), "removed", false))
            }
            ServiceEvent::ScaleInMissed { name, .. } => {
                Some((*age, name.clone(), "✕ no longer exists", true))
            }
            _ => None,
        })
        .take(MAX_GHOSTS)
        .collect();
    let n = (instances.len() + ghosts.len()).min(MAX_BOXES);
    let g = grid_for(n, width);
    let height = kept_height(n, sim, width);
    let s = sim.stats();
    let aria = format!(
        "Fleet: {} ready, {} warming up, {} draining; ready capacity {} requests per second",
        s.ready, s.warming, s.draining, s.capacity_rps
    );
    let mut svg = El::new("svg")
        .set(Attr::Class, "drawing fleet")
        .set(Attr::Style, MAX_CSS_WIDTH)
        .string(
            Attr::ViewBox,
            format!("0 0 {} {}", Num(g.width), fixed(height, 0)),
        )
        // A group, not an image: its instances are buttons that select them.
        .set(Attr::Role, "group")
        .string(Attr::AriaLabel, aria);
    for (i, inst) in instances.iter().take(MAX_BOXES).enumerate() {
        let label = instance_label(inst, sim);
        let drawn = instance_box(&g, i, inst, sim, recent, pick, reduced);
        svg = svg.child(pick.wrap(inst.id, label, drawn));
    }
    for (j, (age, name, note, bad)) in ghosts
        .iter()
        .enumerate()
        .take(MAX_BOXES.saturating_sub(instances.len()))
    {
        svg = svg.child(ghost(
            &g,
            instances.len() + j,
            name,
            note,
            *bad,
            *age,
            reduced,
        ));
    }
    let room = sim.rule_max_instances().map(|_| {
        El::new("text")
            .set(Attr::Class, "muted")
            .set(Attr::X, "8")
            .val(Attr::Y, attr(height - 5.0 - ROOM_LINE, 0))
            .set(Attr::FontSize, "9.5")
            .kid(fleet_room(sim.mode(), sim.config()))
    });
    svg.maybe(room)
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .set(Attr::X, "8")
            .val(Attr::Y, attr(height - 5.0, 0))
            .set(Attr::FontSize, "9.5")
            .text("bar: load, or warm-up while warming · thin: queue · dashed: not serving"))
        .html()
}

/// An instance's name and state in words, for its button's label: "instance_3, ready,
/// 82 % busy".
fn instance_label(inst: &Instance, sim: &Service) -> String {
    let mut s = inst.name.clone();
    match inst.state {
        InstanceState::Ready => {
            s.push_str(", ready, ");
            push_reading(
                &mut s,
                Metric::Cpu,
                inst.utilisation(sim.config().tick) * 100.0,
            );
            s.push_str(" busy");
        }
        InstanceState::Warming => {
            s.push_str(", warming up, ");
            push_secs(&mut s, inst.warm_left(sim.now()));
            s.push_str(" left");
        }
        InstanceState::Draining => {
            s.push_str(", draining, ");
            push_count(&mut s, inst.backlog);
            s.push_str(" queued");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::geometry::{NARROW, WIDE};
    use super::*;
    use scalelab_core::scaling::{ScalingMode, ServiceConfig};

    fn service(mode: ScalingMode, max_replicas: u32) -> Service {
        Service::new(ServiceConfig {
            mode,
            max_replicas,
            ..ServiceConfig::default()
        })
        .unwrap()
    }

    /// Under a rule, the drawing is as tall for one box as for the rule's maximum and its
    /// leaving boxes, and never shorter than the fleet's own grid.
    #[test]
    fn a_ruled_fleet_keeps_one_height() {
        for mode in [
            ScalingMode::Threshold,
            ScalingMode::Hpa,
            ScalingMode::Hybrid,
        ] {
            for max in [2, 10, 13, 25, 50] {
                let sim = service(mode, max);
                for width in [WIDE, NARROW] {
                    let kept = kept_height(0, &sim, width);
                    for n in 0..=(max as usize + MAX_GHOSTS).min(MAX_BOXES) {
                        assert_eq!(
                            kept_height(n, &sim, width),
                            kept,
                            "{mode:?} max {max} n {n}"
                        );
                        assert!(kept >= height_for(n, width) + ROOM_LINE);
                    }
                }
            }
        }
    }

    /// The line names the rule and its range.
    #[test]
    fn the_room_line_names_the_rules_range() {
        let c = ServiceConfig::default();
        assert_eq!(
            fleet_room(ScalingMode::Threshold, &c),
            "room for the autoscaler's 2–10 instances"
        );
        assert_eq!(
            fleet_room(ScalingMode::Hybrid, &c),
            "room for the hybrid rule's 10 machines"
        );
    }

    /// By hand, the drawing follows the fleet: no room is kept and no line names it.
    #[test]
    fn a_fleet_sized_by_hand_follows_its_boxes() {
        let sim = service(ScalingMode::Manual, 10);
        assert_eq!(sim.rule_max_instances(), None);
        for n in [1, 4, 5, 13, 30] {
            assert_eq!(kept_height(n, &sim, WIDE), height_for(n, WIDE));
        }
    }
}
