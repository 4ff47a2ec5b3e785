//! Sizes and motion shared by the scaling drawings.

use crate::fixed::fixed;

/// Drawing widths (viewBox units): the one-set-up view, and a lane card of a comparison.
/// Both keep 11-unit text legible in a 480 px wide container; [`MAX_CSS_WIDTH`] keeps them
/// from growing huge on a wide screen.
pub const WIDE: f64 = 520.0;
pub const NARROW: f64 = 360.0;
pub const MAX_CSS_WIDTH: &str = "max-width: 680px; margin: 0 auto;";
/// How long a launched instance takes to grow in, and a resize to change the box.
pub const GROW_MS: f64 = 500.0;

/// Eases 0 → 1 over `span` ms of age; 1 at once when motion is reduced.
pub fn progress(age: f64, span: f64, reduced: bool) -> f64 {
    if reduced {
        1.0
    } else {
        (age / span).clamp(0.0, 1.0)
    }
}

/// Scales a box about its centre.
pub fn transform(cx: f64, cy: f64, scale: f64) -> String {
    format!(
        "translate({} {}) scale({}) translate({} {})",
        fixed(cx, 1),
        fixed(cy, 1),
        fixed(scale, 3),
        fixed(-cx, 1),
        fixed(-cy, 1)
    )
}
