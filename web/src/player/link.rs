//! A link's action log: reading it (`step:action`, comma-separated, bounded), replaying it
//! into a player, writing it back, and building the whole player a link describes.

use super::PlayerState;
use crate::params::ParamValues;
use crate::scenes::Scene;

impl<S: Scene> PlayerState<S> {
    /// Encoded action log for the URL.
    pub fn encoded_ops(&self) -> String {
        self.timeline
            .actions()
            .iter()
            .map(|(step, a)| format!("{step}:{}", S::encode_action(a)))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Replays a link's action log: each action at its step, in order. Returns what could not
    /// be read or applied, for the page to report.
    pub fn replay_ops(&mut self, ops: &str) -> Vec<String> {
        self.replay_ops_within(ops, crate::input::MAX_STEP)
    }

    /// [`PlayerState::replay_ops`] for actions at steps up to `max_step`.
    fn replay_ops_within(&mut self, ops: &str, max_step: u64) -> Vec<String> {
        let DecodedOps {
            actions: mut parsed,
            unreadable,
            skipped,
        } = decode_ops_within::<S>(ops, max_step);
        let mut problems: Vec<String> = unreadable
            .iter()
            .map(|item| {
                format!("the action “{item}” in the link could not be read and was skipped")
            })
            .collect();
        if skipped > 0 {
            problems.push(format!(
                "the link has {} actions; only the first {MAX_OPS} were replayed",
                MAX_OPS + skipped
            ));
        }
        sort_by_step(&mut parsed);
        for (s, a) in parsed {
            self.seek(s);
            match self.timeline.act(a) {
                // Sampled as a played action is, so the link's run has the played run's
                // metric series (an export re-simulated from the link equals the page's).
                Ok(()) => self.sample_metrics(),
                Err(e) => problems.push(format!(
                    "an action in the link was refused: {}",
                    crate::scenes::error_text::<S>(&e)
                )),
            }
        }
        problems
    }
}

/// Most actions a link or an imported scenario replays; later ones are reported and skipped.
pub const MAX_OPS: usize = 256;

/// Orders a link's actions by step, keeping link order within a step. An insertion sort: at
/// most [`MAX_OPS`] actions, almost always in order already (the page writes them so), and a
/// few instructions where `sort_by_key` would link a stable sort for every scene's action type.
fn sort_by_step<A>(actions: &mut [(u64, A)]) {
    for i in 1..actions.len() {
        let mut j = i;
        while j > 0 && actions.get(j - 1).map(|a| a.0) > actions.get(j).map(|a| a.0) {
            actions.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// An action log as read by [`decode_ops`].
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedOps<A> {
    /// `(step, action)` in the order given.
    pub actions: Vec<(u64, A)>,
    /// Items that could not be read (clipped for display): no `step:`, a step past
    /// [`MAX_STEP`](crate::input::MAX_STEP), or an action the scene does not know.
    pub unreadable: Vec<String>,
    /// Items past the first [`MAX_OPS`], not read.
    pub skipped: usize,
}

/// Reads an encoded action log (`step:action`, comma-separated, as
/// [`PlayerState::encoded_ops`] writes it) with the scene's [`Scene::decode_action`].
pub fn decode_ops<S: Scene>(ops: &str) -> DecodedOps<S::Action> {
    decode_ops_within::<S>(ops, crate::input::MAX_STEP)
}

/// [`decode_ops`] for actions at steps up to `max_step`.
fn decode_ops_within<S: Scene>(ops: &str, max_step: u64) -> DecodedOps<S::Action> {
    let mut decoded = DecodedOps {
        actions: Vec::new(),
        unreadable: Vec::new(),
        skipped: 0,
    };
    let mut items = ops.split(',').filter(|s| !s.is_empty());
    for item in items.by_ref().take(MAX_OPS) {
        let read = item
            .split_once(':')
            .and_then(|(s, a)| Some((s.parse::<u64>().ok()?, S::decode_action(a)?)));
        match read {
            Some((s, a)) if s <= max_step => decoded.actions.push((s, a)),
            _ => decoded.unreadable.push(crate::input::clip(item)),
        }
    }
    decoded.skipped = items.count();
    decoded
}

/// What the player builds from a link: the scene's parameters resolved (defaults where a value
/// was rejected, or where the values cannot run together), the link's actions replayed and
/// the link's step reached. Returns the player and every problem found, `link_problems` first,
/// as the page shows them. Pure: no browser, so tests and the fuzz targets run it natively.
pub fn from_link<S: Scene>(
    url: &crate::url_state::UrlState,
    link_problems: &[String],
) -> (PlayerState<S>, Vec<String>) {
    from_link_within(url, link_problems, crate::input::MAX_STEP)
}

/// [`from_link`] with actions at steps up to `max_step` (a link allows
/// [`MAX_STEP`](crate::input::MAX_STEP); a page's own state, which the export bundle
/// re-simulates, may be further on).
#[allow(
    clippy::panic,
    reason = "only if a scene's default settings fail to build, which the test \
              `every_scene_builds_from_its_defaults` rules out; link values never reach it"
)]
pub fn from_link_within<S: Scene>(
    url: &crate::url_state::UrlState,
    link_problems: &[String],
    max_step: u64,
) -> (PlayerState<S>, Vec<String>) {
    let (values, param_problems) = ParamValues::resolve(S::specs(), &url.params);
    let mut problems: Vec<String> = link_problems.to_vec();
    problems.extend(param_problems.iter().map(|p| p.to_string()));
    let mut player = match PlayerState::<S>::new(values, url.seed) {
        Ok(p) => p,
        Err(e) => {
            problems.push(format!(
                "These settings cannot run together ({}); using the defaults.",
                crate::scenes::error_text::<S>(&e)
            ));
            match PlayerState::<S>::new(ParamValues::defaults(S::specs()), url.seed) {
                Ok(p) => p,
                Err(e) => panic!(
                    "the default {} scene must build: {}",
                    S::ID.name(),
                    crate::scenes::error_text::<S>(&e)
                ),
            }
        }
    };
    problems.extend(player.replay_ops_within(&url.ops, max_step));
    player.seek(url.step);
    if let Some(rung) = url.speed {
        player.speed = rung;
    }
    (player, problems)
}

// proptest is a native-only dev-dependency (the wasm32 tests run in a browser).
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The link's actions in the order std's stable sort puts them: by step, and in link
        /// order within a step.
        #[test]
        fn actions_sort_by_step_stably(steps in proptest::collection::vec(0u64..6, 0..40)) {
            let mut ours: Vec<(u64, usize)> = steps.iter().copied().zip(0..).collect();
            let mut std_sorted = ours.clone();
            std_sorted.sort_by_key(|(s, _)| *s);
            sort_by_step(&mut ours);
            proptest::prop_assert_eq!(ours, std_sorted);
        }
    }
}
