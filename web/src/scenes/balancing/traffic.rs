//! Where the recent traffic is drawn at this instant: the dots of requests travelling from the
//! balancer to their server, drops and failures, and each server's latest probe.

use super::layout::{mid_y, row_y, BALANCER_X, SERVER_X};
use super::marks::Mark;
use scalelab_core::balancing::{BalancerEvent, BalancingEvent};
use std::collections::VecDeque;

/// How long a dot takes from the balancer to its server.
const TRAVEL_MS: f64 = 700.0;
/// Dots drawn at most; older ones are skipped (they would overlap anyway) and counted in a
/// "+N more" mark.
const MAX_DOTS: usize = 300;

/// The marks of recently routed requests (and drops and failures) for the canvas layer, and
/// each server's recent probe outcome (shown by its row: it does not move).
pub fn marks(
    recent: &VecDeque<(f64, BalancingEvent)>,
    now_ms: f64,
    reduced_motion: bool,
    servers: u32,
) -> (Vec<Mark>, Vec<Option<bool>>) {
    let mid = mid_y(servers);
    let mut out = Vec::new();
    let mut probes = vec![None; servers as usize];
    let (mut dots, mut more) = (0usize, 0usize);
    // Newest first; entries are in the order they were shown, so once one has arrived every
    // older one has too and nothing further is drawn.
    for (at, e) in recent
        .iter()
        .rev()
        .take_while(|(at, _)| now_ms - at < TRAVEL_MS)
        .filter(|(_, e)| e.lane == 0)
    {
        let age = now_ms - at;
        let t = if reduced_motion {
            1.0
        } else {
            (age / TRAVEL_MS).clamp(0.0, 1.0)
        };
        match &e.event {
            BalancerEvent::Routed { server, .. } => {
                if dots == MAX_DOTS {
                    more += 1;
                    continue;
                }
                dots += 1;
                let (x0, y0) = (BALANCER_X + 60.0, mid);
                let (x1, y1) = (SERVER_X - 4.0, row_y(*server));
                out.push(Mark::Dot {
                    x: x0 + (x1 - x0) * t,
                    y: y0 + (y1 - y0) * t,
                });
            }
            BalancerEvent::Dropped { .. } => out.push(Mark::Dropped {
                x: BALANCER_X + 62.0,
                y: mid - 16.0 - 10.0 * t,
            }),
            BalancerEvent::Failed { server, .. } => out.push(Mark::Failed {
                x: SERVER_X - 20.0,
                y: row_y(*server) + 4.0,
            }),
            // The guide's printed verdict is drawn where a probe's outcome is.
            BalancerEvent::Probe { server, ok, .. }
            | BalancerEvent::GuideVerdict {
                server,
                healthy: ok,
                ..
            } => {
                // Newest first: the first seen is the one to show.
                if let Some(p @ None) = probes.get_mut(*server as usize) {
                    *p = Some(*ok);
                }
            }
            _ => {}
        }
    }
    // Past the cap the dots would only overlap: say how many are not drawn.
    if more > 0 {
        out.push(Mark::More {
            x: BALANCER_X + 62.0,
            y: mid + 34.0,
            n: more,
        });
    }
    (out, probes)
}
