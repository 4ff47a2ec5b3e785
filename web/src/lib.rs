//! Scalelab's front end. The simulation lives in `scalelab-core`; this crate only drives it
//! against wall time and draws it.
//!
//! - `app` reads the link and shows the landing page or one scene (alone in embed mode);
//! - `entry` starts a released bundle, which carries one scene (the `src/bin/` programs);
//! - `scene_player` runs a scene: frame loop, controls, keys, URL sync, exports;
//! - `player` is the host-side schedule: how many steps per frame, bounded histories;
//! - `scenes/*` draw each pattern family from its model and recent events;
//! - `url_state`, `scenario` and `embed_msg` read untrusted input (a link, an imported JSON
//!   file, a message from the embedding page); `fuzzing` holds their fuzz-target bodies.

pub mod app;
pub mod browser;
pub mod components;
pub mod decimal;
pub mod embed_msg;
pub mod entry;
pub mod explainers;
pub mod export;
pub mod fixed;
pub mod fuzzing;
pub mod input;
pub mod json_in;
pub mod json_out;
pub mod lesson;
pub mod lesson_player;
pub mod panic;
pub mod params;
pub mod player;
pub mod scenario;
pub mod scene_player;
pub mod scenes;
pub mod url_state;

pub use app::App;
