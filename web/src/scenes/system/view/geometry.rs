//! Where the path drawing puts each tier: five columns left to right in request order, the app
//! instances and the shards as rows of their columns, the single boxes centred.

/// The drawing's width (SVG units).
pub const WIDTH: f64 = 760.0;
/// The first row's top and the distance between rows.
const TOP: f64 = 34.0;
pub const ROW: f64 = 26.0;
/// Room under the rows for the legend.
const FOOT: f64 = 30.0;
/// Most instances and shards drawn as rows; more are summed up in a "+N more" row.
pub const MAX_ROWS: usize = 16;

/// A box: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn mid(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
    pub fn left(&self) -> (f64, f64) {
        (self.x, self.y + self.h / 2.0)
    }
    pub fn right(&self) -> (f64, f64) {
        (self.x + self.w, self.y + self.h / 2.0)
    }
}

/// The layout for `instances` and `shards` rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub rows: usize,
}

impl Layout {
    pub fn new(instances: usize, shards: usize) -> Layout {
        Layout {
            rows: instances.max(shards).clamp(3, MAX_ROWS + 1),
        }
    }

    pub fn height(&self) -> f64 {
        TOP + self.rows as f64 * ROW + FOOT
    }

    fn middle(&self) -> f64 {
        TOP + self.rows as f64 * ROW / 2.0
    }

    pub fn clients(&self) -> Rect {
        Rect {
            x: 8.0,
            y: self.middle() - 22.0,
            w: 70.0,
            h: 44.0,
        }
    }

    pub fn balancer(&self) -> Rect {
        Rect {
            x: 112.0,
            y: self.middle() - 22.0,
            w: 96.0,
            h: 44.0,
        }
    }

    /// Instance row `i`.
    pub fn instance(&self, i: usize) -> Rect {
        Rect {
            x: 246.0,
            y: TOP + i as f64 * ROW,
            w: 176.0,
            h: ROW - 6.0,
        }
    }

    pub fn l2(&self) -> Rect {
        Rect {
            x: 456.0,
            y: self.middle() - 30.0,
            w: 100.0,
            h: 60.0,
        }
    }

    /// Shard row `s`.
    pub fn shard(&self, s: usize) -> Rect {
        Rect {
            x: 604.0,
            y: TOP + s as f64 * ROW,
            w: 148.0,
            h: ROW - 6.0,
        }
    }

    /// The y of the column headings.
    pub fn heading_y(&self) -> f64 {
        TOP - 12.0
    }

    /// The legend's baseline.
    pub fn legend_y(&self) -> f64 {
        self.height() - 10.0
    }
}

/// The point a share `t` (0 to 1) of the way along the polyline `points`, every segment
/// taking an equal share of the trip.
pub fn along(points: &[(f64, f64)], t: f64) -> (f64, f64) {
    let segments = points.len().saturating_sub(1);
    let Some(first) = points.first().copied() else {
        return (0.0, 0.0);
    };
    if segments == 0 {
        return first;
    }
    let pos = t.clamp(0.0, 1.0) * segments as f64;
    let i = (pos.floor() as usize).min(segments - 1);
    let f = pos - i as f64;
    match (points.get(i), points.get(i + 1)) {
        (Some(a), Some(b)) => (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f),
        _ => first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn along_walks_each_segment_in_an_equal_share() {
        let p = [(0.0, 0.0), (10.0, 0.0), (10.0, 20.0)];
        assert_eq!(along(&p, 0.0), (0.0, 0.0));
        assert_eq!(along(&p, 0.25), (5.0, 0.0));
        assert_eq!(along(&p, 0.5), (10.0, 0.0));
        assert_eq!(along(&p, 0.75), (10.0, 10.0));
        assert_eq!(along(&p, 1.0), (10.0, 20.0));
        assert_eq!(along(&p, 7.0), (10.0, 20.0));
        assert_eq!(along(&[(3.0, 4.0)], 0.5), (3.0, 4.0));
        assert_eq!(along(&[], 0.5), (0.0, 0.0));
    }

    #[test]
    fn rows_never_overlap_the_single_boxes_or_each_other() {
        for n in [1, 3, 8, 16, 40] {
            let l = Layout::new(n, 8);
            assert!(l.rows >= 3 && l.rows <= MAX_ROWS + 1);
            assert!(l.instance(0).x > l.balancer().x + l.balancer().w);
            assert!(l.l2().x > l.instance(0).x + l.instance(0).w);
            assert!(l.shard(0).x > l.l2().x + l.l2().w);
            assert!(l.shard(0).x + l.shard(0).w <= WIDTH);
            assert!(l.instance(l.rows - 1).y + ROW < l.legend_y());
        }
    }
}
