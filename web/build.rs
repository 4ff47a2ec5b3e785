//! Writes the built-in lessons' catalogue for the landing page (`$OUT_DIR/lessons.rs`) from
//! `lessons/catalogue.json` (their ids, in the order the page lists them) and each lesson's own
//! file: its title, summary, scene and step count stay written once, in the lesson. A
//! catalogue that names a missing or unreadable lesson fails the build; the tests check each
//! lesson in full.

use std::fmt::Write as _;
use std::path::Path;

fn main() -> Result<(), String> {
    println!("cargo:rerun-if-changed=lessons");
    let dir = Path::new("lessons");
    let read = |name: &str| -> Result<serde_json::Value, String> {
        let path = dir.join(name);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let ids = read("catalogue.json")?;
    let mut out = String::from("/// The built-in lessons, in the order the landing page lists them.\npub const LESSONS: &[LessonCard] = &[\n");
    for id in ids
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
    {
        let lesson = read(&format!("{id}.json"))?;
        let field = |k: &str| {
            lesson
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let steps = lesson.get("steps").and_then(|s| s.as_array());
        let scene = steps
            .and_then(|s| s.first())
            .and_then(|s| s.get("state"))
            .and_then(|s| s.as_str())
            .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("scene=")))
            .unwrap_or_default()
            .to_string();
        let _ = writeln!(
            out,
            "    LessonCard {{ id: {:?}, title: {:?}, summary: {:?}, scene: {:?}, steps: {} }},",
            field("id"),
            field("title"),
            field("summary"),
            scene,
            steps.map_or(0, |s| s.len())
        );
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("lessons.rs");
    std::fs::write(&dest, out).map_err(|e| format!("{}: {e}", dest.display()))
}
