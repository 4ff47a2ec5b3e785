//! The built-in lessons as the landing page lists them, generated at build time from the
//! lesson files (`web/build.rs`), so the page carries their titles without their text.

/// One built-in lesson on the landing page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LessonCard {
    /// Its id (`?lesson=<id>`).
    pub id: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    /// The scene its first step opens.
    pub scene: &'static str,
    pub steps: usize,
}

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));
