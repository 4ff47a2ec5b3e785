//! Where things sit in the balancer drawing (drawing units: its viewBox is [`WIDTH`] wide),
//! shared by the SVG parts and the canvas layers laid over them.

/// The drawing's width; its height grows with the servers.
pub const WIDTH: f64 = 720.0;
/// One server row's height.
pub const ROW_H: f64 = 46.0;
/// The left edge of the server boxes.
pub const SERVER_X: f64 = 420.0;
/// The left edge of the balancer box (60 units wide).
pub const BALANCER_X: f64 = 250.0;
/// Clients listed by address.
pub const CLIENTS_SHOWN: usize = 10;

/// The middle of server row `i`.
pub fn row_y(i: u32) -> f64 {
    30.0 + f64::from(i) * ROW_H
}

/// The balancer's middle: level with the middle of the server rows.
pub fn mid_y(servers: u32) -> f64 {
    row_y(0) + (f64::from(servers.max(1)) - 1.0) * ROW_H / 2.0
}

/// The drawing's height for `servers` rows.
pub fn height(servers: u32) -> f64 {
    (row_y(servers.max(1)) + 10.0).max(250.0)
}

/// An `f64` coordinate as an attribute: the shortest text, without Rust's float formatter.
pub fn num(v: f64) -> String {
    crate::decimal::show(v)
}
