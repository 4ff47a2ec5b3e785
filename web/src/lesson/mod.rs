//! Lessons: guided walks through the scenes that a course author writes as data. A lesson is
//! an ordered list of steps; each step opens an exact state of a scene (a link), and may set
//! the student a task the model checks or ask a prediction whose answer the simulation
//! computes.
//!
//! - `format`: the file's types and limits;
//! - `check`: reading a file as untrusted input, naming every problem;
//! - `markdown`: the prose subset;
//! - `answer`: opening states, reading the model, grading;
//! - `progress`: what a student has done, kept and exported;
//! - `source`: where a lesson comes from (a built-in id or a course site's file).

pub mod answer;
pub mod catalogue;
pub mod check;
pub mod format;
pub mod markdown;
pub mod progress;
pub mod source;

pub use check::{parse, Problem};
pub use format::Lesson;
