//! Numbers as drawing attributes: [`scalelab_core::num_text`]'s integer-only fixed-point
//! writer (the drawings set hundreds of coordinates per frame), as Yew attribute values.

pub use scalelab_core::num_text::{fixed, push_fixed, MAX_DECIMALS};

/// `fixed(v, decimals)` as an attribute value. Drawings set hundreds of these; one shared
/// conversion keeps each call site to a call instead of an inlined `String` → `AttrValue`.
pub fn attr(v: f64, decimals: u8) -> yew::AttrValue {
    yew::AttrValue::from(fixed(v, decimals))
}

/// A coordinate in a drawing: tenths of a viewBox unit, as the drawings write them.
pub fn coord(v: f64) -> yew::AttrValue {
    attr(v, 1)
}
