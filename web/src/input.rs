//! What every reader of untrusted input shares (a link, an imported scenario file, a message
//! from the embedding page): the problem it reports for a rejected value, and the bounds all of
//! them apply.

/// Furthest step a link, a scenario file or a parent page's `seek` may ask for: replaying that
/// many steps stays quick.
pub const MAX_STEP: u64 = 1_000_000;

/// A value that was rejected, with what would have been accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub param: String,
    pub given: String,
    pub accepted: String,
}

impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "“{}” is not a valid value for {}: expected {}.",
            self.given, self.param, self.accepted
        )
    }
}

/// Shortens what a user typed before echoing it back (a URL can be arbitrarily long).
pub fn clip(raw: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = raw.chars().take(MAX).collect();
    if raw.chars().count() > MAX {
        out.push('…');
    }
    out
}
