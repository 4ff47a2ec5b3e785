//! The guide's health checker, kept exactly as the well-known tutorial writes it, to show what
//! a health check must not do. On the same timer as the reference checks, for each server it
//!
//! - marks the server unhealthy **at random**, with probability 10 %, whether or not the server
//!   is really up (its verdict comes from a random draw, not from asking the server);
//! - **only prints** that verdict: routing never reads it, so a crashed server keeps its
//!   traffic for good;
//! - records the probe's own time in the server's response-time window, so least response
//!   time averages probe times in with real answers.
//!
//! What a student sees: verdicts that flap on healthy servers (about 18 % of checks change
//! the verdict: 2 × 0.1 × 0.9), a dead server never taken out, and a dead server's window
//! filling with fast probe samples until least response time floods it. The reference checks
//! (rise 2 / fall 3) ask the server and never flap on a healthy one.

use crate::sim::SimRng;

/// The guide's chance of printing "unhealthy" on any check.
pub const GUIDE_UNHEALTHY_CHANCE: f64 = 0.10;

/// The time of one guide probe recorded in the response-time window: a health endpoint does
/// none of a request's work, so it answers in 1 ms, a tenth of the preset's mean request.
pub const GUIDE_PROBE_MICROS: u64 = 1_000;

/// One guide check: the uniform draw in [0, 1) and the verdict it prints (healthy unless the
/// draw is below [`GUIDE_UNHEALTHY_CHANCE`]).
pub fn guide_verdict(rng: &mut SimRng) -> (bool, f64) {
    let draw = rng.unit();
    (draw >= GUIDE_UNHEALTHY_CHANCE, draw)
}

/// The sentence behind a guide verdict: "printed web-2 unhealthy (random: drew 0.07 < 0.10)".
pub(crate) struct GuideVerdictText<N> {
    /// The server, as it is said.
    pub name: N,
    /// The printed verdict.
    pub healthy: bool,
    /// The draw it came from.
    pub draw: f64,
}

impl<N: core::fmt::Display> core::fmt::Display for GuideVerdictText<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (verdict, cmp) = if self.healthy {
            ("healthy", "≥")
        } else {
            ("unhealthy", "<")
        };
        // Hundredths cut, not rounded, so a draw just under 0.10 never reads "0.10 < 0.10";
        // a draw is below 1, so its whole part is 0.
        let hundredths = (self.draw.clamp(0.0, 0.999) * 100.0) as u32;
        write!(
            f,
            "the guide's checker printed {} {verdict} (random: drew 0.{hundredths:02} {cmp} \
             0.10); routing ignores it",
            self.name,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_names_its_draw() {
        let text = GuideVerdictText {
            name: "web-2",
            healthy: false,
            draw: 0.07,
        };
        assert_eq!(
            text.to_string(),
            "the guide's checker printed web-2 unhealthy (random: drew 0.07 < 0.10); routing \
             ignores it"
        );
    }
}
