//! Where things go in the two drawings: L1 in one, L2 and the origin in the other, side by
//! side and wrapping into a column on a narrow screen, so text stays legible from 480 px.

use super::build::MAX_CAPACITY;

/// Both drawings are this wide (viewBox units).
pub const WIDTH: f64 = 350.0;
pub const L1_X: f64 = 8.0;
pub const L1_W: f64 = 330.0;
pub const L2_X: f64 = 8.0;
pub const L2_W: f64 = 222.0;
pub const OR_X: f64 = 252.0;
pub const OR_W: f64 = 90.0;
/// Top of the first row of slots / cells.
pub const TOP: f64 = 76.0;
/// Most L2 cells drawn; the rest are counted.
pub const MAX_L2_CELLS: usize = 120;
const L2_COLS: usize = 6;
pub const L2_CELL_H: f64 = 16.0;
const L2_PITCH: f64 = 19.0;
/// Most ghosts and dots drawn at once.
pub const MAX_GHOSTS: usize = 24;
pub const MAX_DOTS: usize = 60;

/// The L1 grid's shape for a capacity.
#[derive(Clone, Copy)]
pub struct Grid {
    cols: u32,
    /// A slot's width and height.
    pub w: f64,
    pub h: f64,
    gap: f64,
    /// Eight columns of short slots: notes and keys abbreviated.
    pub dense: bool,
    pub slots: u32,
}

impl Grid {
    pub fn new(capacity: u64) -> Grid {
        let slots = capacity.clamp(1, MAX_CAPACITY as u64) as u32;
        let (cols, h, dense) = match slots {
            0..=16 => (4, 40.0, false),
            17..=36 => (6, 38.0, false),
            _ => (8, 30.0, true),
        };
        let gap = 6.0;
        let w = (L1_W - 16.0 - gap * f64::from(cols - 1)) / f64::from(cols);
        Grid {
            cols,
            w,
            h,
            gap,
            dense,
            slots,
        }
    }

    /// The top left corner of `slot`, if the grid has it.
    pub fn xy(&self, slot: u32) -> Option<(f64, f64)> {
        (slot < self.slots).then(|| {
            let c = slot % self.cols;
            let r = slot / self.cols;
            (
                L1_X + 8.0 + f64::from(c) * (self.w + self.gap),
                TOP + f64::from(r) * (self.h + self.gap),
            )
        })
    }

    pub fn bottom(&self) -> f64 {
        let rows = self.slots.div_ceil(self.cols);
        TOP + f64::from(rows) * (self.h + self.gap)
    }
}

/// The top left corner of the `i`-th L2 cell.
pub fn l2_xy(i: usize) -> (f64, f64) {
    let w = l2_cell_w();
    let c = (i % L2_COLS) as f64;
    let r = (i / L2_COLS) as f64;
    (L2_X + 5.0 + c * (w + 3.0), TOP + r * L2_PITCH)
}

pub fn l2_cell_w() -> f64 {
    (L2_W - 10.0 - 3.0 * (L2_COLS as f64 - 1.0)) / L2_COLS as f64
}

/// The bottom of `cells` L2 cells.
pub fn l2_bottom(cells: usize) -> f64 {
    TOP + cells.div_ceil(L2_COLS) as f64 * L2_PITCH
}
