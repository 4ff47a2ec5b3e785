//! The speed ladder: steps per second for each setting of the `+` / `−` controls, and how
//! the control bar labels it.

/// Steps per second for each speed setting; the last one means "as fast as the frame allows".
pub const SPEEDS: [f64; 12] = [
    0.5,
    1.0,
    2.0,
    4.0,
    8.0,
    16.0,
    32.0,
    64.0,
    256.0,
    1_024.0,
    8_192.0,
    f64::INFINITY,
];
pub const DEFAULT_SPEED: usize = 5;
/// The speed control's label for setting `index`.
pub fn speed_label(index: usize) -> String {
    match SPEEDS.get(index) {
        Some(s) if s.is_infinite() => "max".to_string(),
        Some(s) if *s < 1.0 => format!("{}×", scalelab_core::num_text::Num(*s)),
        Some(s) => format!("{}×", scalelab_core::num_text::Fixed(*s, 0)),
        None => "?".into(),
    }
}
