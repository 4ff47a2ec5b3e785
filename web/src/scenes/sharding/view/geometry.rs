//! Where things sit in the two drawings (viewBox units) and how many of them are drawn: the
//! key drawing (ring or bins) on the left, the shard drawing (bars, migration, queries) on the
//! right. Every panel places itself with these.

use scalelab_core::sharding::ShardLoad;
use scalelab_core::sim::turn;

// Two drawings side by side on a wide screen, stacked on a narrow one: the keys (ring or
// bins) and the shards (bars, migration, scatter-gather). Each keeps a legible scale.
pub const KEYS_W: f64 = 350.0;
pub const KEYS_H: f64 = 352.0;
pub const SHARDS_W: f64 = 460.0;
pub const TOP: f64 = 44.0;
pub const RING_CX: f64 = 175.0;
pub const RING_CY: f64 = 178.0;
pub const RING_R: f64 = 135.0;
/// Keys sit just inside the ring, virtual nodes on it.
pub const KEY_R: f64 = RING_R - 14.0;
pub const ROW_X: f64 = 64.0;
pub const BAR_X: f64 = 112.0;
pub const BAR_W: f64 = 150.0;
pub const ROW_END: f64 = 306.0;
pub const COORD_X: f64 = 424.0;
/// Keys drawn at most (a sample spread evenly over the key space).
pub const KEY_SAMPLE: u64 = 200;
/// Virtual-node markers drawn at most, over all shards.
pub const MAX_VNODES_DRAWN: u32 = 240;
/// Travelling key dots drawn at most.
pub const MAX_TRAVELLERS: usize = 120;
pub const TRAVEL_MS: f64 = 700.0;
/// Rows of shards drawn beyond the live-shard cap: draining shards still holding keys.
const DRAINING_ROWS: usize = 4;

/// Angle on the ring for a 64-bit position, clockwise from the top. The simulation's own
/// sine and cosine (for angles of a turn or so) keep libm's reduction of huge angles, about
/// 2 KB, out of the page.
pub fn ring_xy(pos: u64, r: f64) -> (f64, f64) {
    let a = pos as f64 / 18_446_744_073_709_551_616.0 * std::f64::consts::TAU
        - std::f64::consts::FRAC_PI_2;
    (RING_CX + r * turn::cos(a), RING_CY + r * turn::sin(a))
}

/// Shard rows: every shard still holding keys or in the router, in id order.
pub struct Rows {
    pub loads: Vec<ShardLoad>,
    /// Keys per live shard on average, where the rebalance's thresholds are drawn from.
    pub average: f64,
    pub row_h: f64,
}

impl Rows {
    pub fn new(loads: Vec<ShardLoad>, average: f64, max_live: u32) -> Rows {
        let max_rows = max_live as usize + DRAINING_ROWS;
        let n = loads.len().clamp(1, max_rows);
        let row_h = (300.0 / n as f64).clamp(15.0, 30.0);
        Rows {
            loads: loads.into_iter().take(max_rows).collect(),
            average,
            row_h,
        }
    }
    pub fn y(&self, i: usize) -> f64 {
        TOP + 14.0 + (i as f64 + 0.5) * self.row_h
    }
    pub fn y_of(&self, id: u32) -> Option<f64> {
        self.loads
            .iter()
            .position(|l| l.shard.0 == id)
            .map(|i| self.y(i))
    }
    pub fn bottom(&self) -> f64 {
        TOP + 14.0 + self.loads.len() as f64 * self.row_h
    }
}
