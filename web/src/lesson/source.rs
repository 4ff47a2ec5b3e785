//! Where a lesson is read from, given a link's `lesson=` (untrusted): a built-in lesson's id
//! names `lessons/<id>.json` beside the site; `file:<id>` a lesson file the student imported,
//! kept in this browser; anything else must be the path of a `.json` file on the same site (a
//! course serving its own lesson beside the widget). The page's Content-Security-Policy
//! (`connect-src 'self'`) would refuse another origin anyway; this names the problem instead
//! of failing quietly.

use super::check::valid_id;
use super::format::MAX_ID_CHARS;

/// Where a lesson's file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// On the site: the address to fetch, relative to the page.
    Site(String),
    /// Imported into this browser: its storage key.
    Stored(String),
}

/// The link's `lesson=` for an imported lesson with this id.
pub fn imported_link(id: &str) -> String {
    format!("?lesson=file:{id}")
}

/// The storage key an imported lesson's file is kept under.
pub fn stored_key(id: &str) -> String {
    format!("scalelab-lesson-file:{id}")
}

/// Where the lesson `lesson` names is, or why it names none.
pub fn source_of(lesson: &str) -> Result<Source, String> {
    match lesson.trim().strip_prefix("file:") {
        Some(id) if valid_id(id) => Ok(Source::Stored(stored_key(id))),
        Some(id) => Err(format!("lesson=file:{id:?} names no imported lesson (an id is 1 to {MAX_ID_CHARS} lowercase letters, digits and hyphens)")),
        None => url_of(lesson).map(Source::Site),
    }
}

/// The address to fetch for `lesson`, relative to the page, or why it cannot be one.
pub fn url_of(lesson: &str) -> Result<String, String> {
    let lesson = lesson.trim();
    if valid_id(lesson) {
        return Ok(format!("lessons/{lesson}.json"));
    }
    let path_chars = lesson
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'));
    let same_site = !lesson.starts_with("//") && !lesson.split('/').any(|part| part == "..");
    if lesson.ends_with(".json") && path_chars && same_site {
        Ok(lesson.to_string())
    } else {
        Err(format!(
            "lesson={lesson:?} is neither a lesson's id (1 to {MAX_ID_CHARS} lowercase letters, digits and hyphens) nor the path of a .json file on this site (letters, digits, - _ . /; no ..)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_same_site_paths_only() {
        assert_eq!(
            url_of("lru-vs-fifo").as_deref(),
            Ok("lessons/lru-vs-fifo.json")
        );
        assert_eq!(
            url_of("course/week-2/lb.json").as_deref(),
            Ok("course/week-2/lb.json")
        );
        assert_eq!(
            url_of("/courses/x/lesson.json").as_deref(),
            Ok("/courses/x/lesson.json")
        );
        for bad in [
            "https://evil.org/x.json",
            "//evil.org/x.json",
            "../secret.json",
            "a/../../b.json",
            "x.js",
            "Bad Id",
            "javascript:alert(1)//.json",
        ] {
            assert!(url_of(bad).is_err(), "{bad}");
        }
    }
}
