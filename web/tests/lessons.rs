//! The built-in lessons and the lesson file format: every built-in lesson reads, opens every
//! state and computes every answer (as `scalelab lesson check` does); the landing page's
//! catalogue lists exactly the lesson files; and a malformed or oversized file is refused with
//! every problem named.

#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test: a panic is the failure it reports"
)]

use scalelab_web::lesson::{self, answer, format};
use std::path::{Path, PathBuf};

fn lessons_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons")
}

/// Every lesson file (`web/lessons/*.json` but the catalogue), by name.
fn lesson_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(lessons_dir())
        .expect("web/lessons")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n == "catalogue.json" || n == "lesson.schema.json")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_built_in_lesson_validates_and_answers() {
    let files = lesson_files();
    assert!(
        files.len() >= 8,
        "at least eight built-in lessons, found {}",
        files.len()
    );
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let name = file.display();
        let l = lesson::parse(&text).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        assert_eq!(
            file.file_stem().and_then(|s| s.to_str()),
            Some(l.id.as_str()),
            "{name}: the file is named by its id"
        );
        assert!(
            (4..=10).contains(&l.steps.len()),
            "{name}: {} steps; a built-in lesson has 4 to 10",
            l.steps.len()
        );
        let reports = answer::verify(&l).unwrap_or_else(|p| panic!("{name}: {p:#?}"));
        let questions = reports.iter().filter(|r| r.question.is_some()).count();
        assert!(
            questions >= 1,
            "{name}: a lesson asks at least one prediction"
        );
        for (step, report) in l.steps.iter().zip(&reports) {
            let (Some(q), Some((_, truth, right))) = (&step.question, &report.question) else {
                continue;
            };
            // The answer the check computed is what the browser grades against: the right
            // choice, or a number within the tolerance of itself.
            match right {
                Some(i) => {
                    let value = q
                        .choices
                        .as_ref()
                        .and_then(|c| c.get(*i))
                        .map(|c| c.value())
                        .expect("choice");
                    assert!(answer::is_right(q, truth, value), "{name}: {}", step.title);
                }
                None => assert!(
                    answer::is_right(q, truth, &truth.to_text()),
                    "{name}: {}",
                    step.title
                ),
            }
        }
    }
}

#[test]
fn the_catalogue_lists_every_lesson_once() {
    let text = std::fs::read_to_string(lessons_dir().join("catalogue.json")).expect("catalogue");
    let listed: Vec<String> = serde_json::from_str(&text).expect("a list of ids");
    let mut ids: Vec<String> = lesson_files()
        .iter()
        .filter_map(|f| f.file_stem()?.to_str().map(String::from))
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    ids.sort();
    assert_eq!(
        sorted, ids,
        "catalogue.json must list every lesson file exactly once"
    );
    let cards: Vec<&str> = scalelab_web::lesson::catalogue::LESSONS
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(cards, listed.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn a_malformed_lesson_names_every_problem() {
    let text = r#"{
        "format": "scalelab-lesson-0",
        "id": "Bad Id",
        "title": "",
        "colour": "red",
        "steps": [
            {"title": "One", "text": "<script>x</script>", "state": "scene=nowhere"},
            {"title": "Two", "text": "fine", "state": "scene=balancing",
             "question": {"ask": "?", "run": "scene=balancing", "readout": "p99_ms", "choices": ["a"], "explain": "x"}},
            {"title": "Three", "txt": "typo", "state": "scene=caching"},
            {"title": "Four", "text": "fine", "state": "scene=caching&lesson=x",
             "task": {"text": "do", "done_when": {"readout": "l1_hits", "is": "1", "at_least": 2}}}
        ]
    }"#;
    let problems = lesson::parse(text).expect_err("refused");
    let at: Vec<&str> = problems.iter().map(|p| p.at.as_str()).collect();
    for expected in [
        "colour",
        "format",
        "id",
        "title",
        "summary",
        "steps[0].text",
        "steps[0].state",
        "steps[1].question.choices",
        "steps[2]",
        "steps[3].state",
        "steps[3].task.done_when",
    ] {
        assert!(
            at.contains(&expected),
            "no problem named at {expected}: {problems:#?}"
        );
    }
    let all = problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    for words in [
        "raw HTML",
        "unknown field `txt`",
        "2 to 6",
        "scalelab-lesson-1",
    ] {
        assert!(all.contains(words), "{words:?} missing from\n{all}");
    }
}

#[test]
fn an_oversized_or_foreign_file_is_refused_unread() {
    let big = format!("{{\"x\": \"{}\"}}", "a".repeat(format::MAX_FILE_BYTES));
    let problems = lesson::parse(&big).expect_err("refused");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].problem.contains("bytes"), "{problems:?}");
    assert!(lesson::parse("[1, 2").is_err());
    assert!(lesson::parse("[]").is_err());
    let steps = (0..=format::MAX_STEPS)
        .map(|i| format!(r#"{{"title": "s{i}", "text": "t", "state": "scene=sharding"}}"#))
        .collect::<Vec<_>>()
        .join(",");
    let many = format!(
        r#"{{"format": "scalelab-lesson-1", "id": "many", "title": "T", "summary": "S", "steps": [{steps}]}}"#
    );
    let problems = lesson::parse(&many).expect_err("too many steps");
    assert!(
        problems
            .iter()
            .any(|p| p.at == "steps" && p.problem.contains("1 to 20")),
        "{problems:?}"
    );
}

#[test]
fn a_task_that_is_already_done_or_an_answer_among_no_choice_is_refused() {
    let text = r#"{
        "format": "scalelab-lesson-1", "id": "t", "title": "T", "summary": "S",
        "steps": [
            {"title": "One", "text": "t", "state": "scene=sharding&seed=1",
             "task": {"text": "x", "done_when": {"readout": "live_shards", "at_least": 1}}},
            {"title": "Two", "text": "t", "state": "scene=balancing&seed=1",
             "question": {"ask": "?", "run": "scene=balancing&seed=1&step=50", "readout": "server_state:web-1",
                          "choices": ["down", "ejected"], "explain": "x"}},
            {"title": "Three", "text": "t", "state": "scene=balancing&seed=1",
             "question": {"ask": "?", "run": "scene=balancing&seed=1&step=50", "readout": "no_such_readout",
                          "number": {"tolerance": 1}, "explain": "x"}}
        ]
    }"#;
    let l = lesson::parse(text).expect("well formed");
    let problems = answer::verify(&l).expect_err("refused by the run");
    let all = problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        all.contains("steps[0].task.done_when.readout: already holds"),
        "{all}"
    );
    assert!(
        all.contains("steps[1].question.choices: the simulation reads \"up\""),
        "{all}"
    );
    assert!(
        all.contains("steps[2].question.run: there is no readout \"no_such_readout\""),
        "{all}"
    );
}

#[test]
fn two_links_to_one_set_up_are_the_same_run() {
    assert!(answer::same_setup(
        "?scene=balancing&seed=3",
        "scene=balancing&seed=3&strategy=round-robin&step=40"
    ));
    assert!(!answer::same_setup(
        "?scene=balancing&seed=3",
        "scene=balancing&seed=4"
    ));
    assert!(!answer::same_setup(
        "?scene=balancing&seed=3&strategy=random",
        "scene=balancing&seed=3"
    ));
    assert!(!answer::same_setup("?seed=3", "scene=balancing&seed=3"));
}
