//! Where a lesson is read from, given a link's `lesson=` (untrusted): a built-in lesson's id
//! names `lessons/<id>.json` beside the site; anything else must be the path of a `.json`
//! file on the same site (a course serving its own lesson beside the widget). The page's
//! Content-Security-Policy (`connect-src 'self'`) would refuse another origin anyway; this
//! names the problem instead of failing quietly.

use super::check::valid_id;
use super::format::MAX_ID_CHARS;

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
