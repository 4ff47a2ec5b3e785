//! Lessons as a student meets them: a link to step N opens step N beside its scene; a task
//! completes only when the model says so; a wrong prediction gets feedback and a right one
//! shows the run that answers it; progress survives a reload, exports and resets; every
//! built-in lesson's first question is graded by the browser against the answer computed
//! natively; a bad lesson is refused with its problems named.

use crate::{test_fn, Test};
use scalelab_e2e::{bail, ensure, Page, Result};
use scalelab_web::lesson::{self, answer, format::Lesson};
use serde_json::{json, Value};

pub fn tests() -> Vec<Test> {
    let mut tests = vec![
        Test {
            name: "lesson_walk_as_a_student".into(),
            scene: "balancing",
            run: test_fn!(walk_as_a_student),
        },
        Test {
            name: "lesson_bad_files_are_refused_with_their_problems".into(),
            scene: "",
            run: test_fn!(bad_lessons),
        },
        Test {
            name: "lesson_imported_from_a_file_plays_or_is_refused".into(),
            scene: "",
            run: test_fn!(imported),
        },
        Test {
            name: "lesson_plays_embedded_and_on_the_course_page".into(),
            scene: "",
            run: test_fn!(embedded),
        },
    ];
    // Every built-in lesson, in two halves so they run side by side.
    tests.push(Test {
        name: "lesson_answers_match_native_first_half".into(),
        scene: "",
        run: test_fn!(answers_first_half),
    });
    tests.push(Test {
        name: "lesson_answers_match_native_second_half".into(),
        scene: "",
        run: test_fn!(answers_second_half),
    });
    tests
}

/// The built-in lessons, in the landing page's order.
fn built_in() -> Vec<Lesson> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/lessons");
    let ids: Vec<String> = serde_json::from_str(
        &std::fs::read_to_string(dir.join("catalogue.json")).expect("catalogue"),
    )
    .expect("ids");
    ids.iter()
        .map(|id| {
            let text =
                std::fs::read_to_string(dir.join(format!("{id}.json"))).expect("lesson file");
            lesson::parse(&text).expect("a built-in lesson reads")
        })
        .collect()
}

/// What the panel shows now.
const PANEL_JS: &str = r#"
const q = s => document.querySelector(s);
const text = s => q(s) ? q(s).textContent.trim() : null;
return {
  heading: text('.lesson-step h3'),
  count: text('.lesson-count'),
  task_done: !!q('.task.done'),
  task_status: text('.task-status'),
  feedback: q('.feedback') ? q('.feedback').className : null,
  feedback_text: text('.feedback'),
  failed: q('.lesson-failed') ? [...document.querySelectorAll('.lesson-failed li')].map(li => li.textContent) : null,
  href: location.href,
};
"#;

async fn panel(p: &Page) -> Result<Value> {
    p.js(PANEL_JS, vec![]).await
}

/// Waits until the panel shows the step titled `title`.
async fn wait_heading(p: &mut Page, title: &str) -> Result<Value> {
    let title = title.to_string();
    p.wait_for(
        &format!("the lesson step {title:?}"),
        async |p: &mut Page| {
            let v = panel(p).await?;
            Ok((v["heading"].as_str() == Some(title.as_str())).then_some(v))
        },
    )
    .await
}

/// Types or picks `answer` in the question's form and submits it.
async fn answer_with(p: &mut Page, given: &str) -> Result<()> {
    // The panel may mount again as the page follows the step's state: wait for the form.
    p.wait_for("the question's form", async |p: &mut Page| {
        Ok(p.exists("form.question").await?.then_some(()))
    })
    .await?;
    p.js(
        r#"const form = document.querySelector('form.question');
           const radio = [...form.querySelectorAll('input[type=radio]')].find(r => r.value === arguments[0]);
           if (radio) { radio.click(); } else {
             const field = form.querySelector('input[type=text]');
             field.value = arguments[0];
           }
           form.querySelector('button[type=submit]').click();"#,
        vec![json!(given)],
    )
    .await?;
    Ok(())
}

/// What a student would answer right: the right choice's value, or the number itself.
fn right_answer(l: &Lesson, step: usize) -> (String, String) {
    let q = l.steps[step].question.as_ref().expect("a question");
    let truth = answer::answer(q).expect("answers natively");
    let given = match answer::right_choice(q, &truth) {
        Some(i) => q.choices.as_ref().expect("choices")[i].value().to_string(),
        None => truth.to_text(),
    };
    (given, truth.to_text())
}

async fn walk_as_a_student(p: &mut Page, _: &'static str) -> Result<()> {
    let lessons = built_in();
    let l = lessons
        .iter()
        .find(|l| l.id == "health-checks")
        .expect("the health-checks lesson");
    // Whose task is killing web-2, then whose question follows.
    let task_step = l
        .steps
        .iter()
        .position(|s| s.task.is_some())
        .expect("a task step");
    let q_step = task_step + 1;
    ensure!(
        l.steps[q_step].question.is_some(),
        "the step after the task asks a question"
    );
    // An author's link to step N (no scene in it) opens step N's state beside its scene.
    p.goto(&format!("?lesson={}&at={}", l.id, task_step + 1))
        .await?;
    wait_heading(p, &l.steps[task_step].title).await?;
    // The panel shows the step, then the page moves to the step's state: wait for both.
    let at = format!("at={}", task_step + 1);
    let v = p
        .wait_for("the step's state in the address", async |p: &mut Page| {
            let v = panel(p).await?;
            let href = v["href"].as_str().unwrap_or_default();
            Ok((href.contains("scene=balancing") && href.contains(&at)).then_some(v))
        })
        .await?;
    ensure!(
        !v["task_done"].as_bool().unwrap_or(true),
        "the task is done before the student acts: {v}"
    );
    p.screenshot("task-open").await?;
    let axe = p.axe_serious().await?;
    ensure!(axe.is_empty(), "axe on the lesson page: {axe:#?}");
    // Killing web-2 is not enough: the balancer has not marked it DOWN yet.
    p.click_button("Kill web-2").await?;
    p.step_many(20).await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let v = panel(p).await?;
    ensure!(
        !v["task_done"].as_bool().unwrap_or(true),
        "the task counts as done before web-2 is DOWN: {v}"
    );
    // Play (faster: the probes are seconds apart) until the model says web-2 is DOWN.
    for _ in 0..4 {
        p.click_button("Faster").await?;
    }
    p.click_button("Play").await?;
    p.wait_for("the task to be done", async |p: &mut Page| {
        Ok(panel(p).await?["task_done"]
            .as_bool()
            .unwrap_or(false)
            .then_some(()))
    })
    .await?;
    p.pause().await?;
    p.screenshot("task-done").await?;
    // The question: a wrong prediction is told so, a right one is graded right and the scene
    // opens the run that answers it.
    p.click_button("Next →").await?;
    let title = &l.steps[q_step].title;
    wait_heading(p, title).await?;
    answer_with(p, "1").await?;
    let v = p
        .wait_for("feedback on a wrong answer", async |p: &mut Page| {
            let v = panel(p).await?;
            Ok(v["feedback"].as_str().is_some().then_some(v))
        })
        .await?;
    ensure!(
        v["feedback"].as_str() == Some("feedback wrong"),
        "a wrong answer: {v}"
    );
    let (given, truth) = right_answer(l, q_step);
    answer_with(p, &given).await?;
    let v = p
        .wait_for("feedback on the right answer", async |p: &mut Page| {
            let v = panel(p).await?;
            Ok((v["feedback"].as_str() == Some("feedback right")).then_some(v))
        })
        .await?;
    ensure!(
        v["feedback_text"]
            .as_str()
            .unwrap_or_default()
            .contains(&truth),
        "the browser says {v}, the native answer is {truth}"
    );
    let run_step = lesson_step_of(&l.steps[q_step].question.as_ref().expect("q").run);
    p.wait_for(
        "the scene to show the answering run",
        async |p: &mut Page| Ok((p.step().await.ok() == Some(run_step)).then_some(())),
    )
    .await?;
    p.screenshot("question-right").await?;
    // Progress survives a reload.
    let before = panel(p).await?["count"].clone();
    p.client.refresh().await?;
    let v = wait_heading(p, title).await?;
    ensure!(
        v["count"] == before,
        "progress after a reload: {} (was {before})",
        v["count"]
    );
    ensure!(
        v["feedback"].as_str() == Some("feedback shown"),
        "the answered question after a reload: {v}"
    );
    // Export: every answer, right and wrong, with its step and time.
    p.capture_exports().await?;
    p.click_button("Export CSV").await?;
    let (name, csv) = p.export(1).await?;
    ensure!(
        name == format!("scalelab-lesson-{}.csv", l.id),
        "exported {name}"
    );
    let rows: Vec<&str> = csv.lines().collect();
    ensure!(
        rows.first() == Some(&"lesson,step,step_title,answer,right,time"),
        "CSV header: {rows:?}"
    );
    let answers = rows.get(1..).unwrap_or_default();
    let count = |verdict: &str| {
        answers
            .iter()
            .filter(|r| r.contains(&format!(",{verdict},")))
            .count()
    };
    ensure!(
        answers.len() == 2 && count("wrong") == 1 && count("right") == 1,
        "CSV rows: {rows:?}"
    );
    p.click_button("Export JSON").await?;
    let (_, json) = p.export(2).await?;
    let json: Value = serde_json::from_str(&json)?;
    ensure!(
        json["lesson"] == l.id.as_str() && json["attempts"].as_array().map(Vec::len) == Some(2),
        "JSON export: {json}"
    );
    ensure!(
        json["complete"]
            .as_array()
            .is_some_and(|c| c.contains(&json!(task_step + 1)) && c.contains(&json!(q_step + 1))),
        "completed steps: {json}"
    );
    // Reset forgets it all.
    p.click_button("Reset progress").await?;
    let v = panel(p).await?;
    ensure!(
        v["count"]
            .as_str()
            .is_some_and(|c| c.contains(" · 0 of ") || c.contains("· 1 of ")),
        "after a reset: {v}"
    );
    // The whole lesson, first step to last: Back to the start, then Next until there is none.
    for step in (1..=q_step).rev() {
        p.click_button("← Back").await?;
        wait_heading(p, &l.steps[step - 1].title).await?;
    }
    for step in &l.steps[1..] {
        p.click_button("Next →").await?;
        wait_heading(p, &step.title).await?;
    }
    let next_enabled = p
        .js("return [...document.querySelectorAll('.lesson-nav button')].some(b => b.textContent.includes('Next') && !b.disabled);", vec![])
        .await?;
    ensure!(
        next_enabled == json!(false),
        "Next is still enabled on the last step"
    );
    p.assert_no_console_errors().await
}

/// The `step=` of a link's query.
fn lesson_step_of(query: &str) -> u64 {
    query
        .split('&')
        .find_map(|p| p.strip_prefix("step="))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Each lesson's first question, answered right in the browser: the panel says what the
/// native computation says.
async fn answers_match(p: &mut Page, lessons: &[Lesson]) -> Result<()> {
    for l in lessons {
        let Some(i) = l.steps.iter().position(|s| s.question.is_some()) else {
            bail!("{} asks nothing", l.id)
        };
        let (given, truth) = right_answer(l, i);
        p.goto(&format!("?lesson={}&at={}", l.id, i + 1)).await?;
        wait_heading(p, &l.steps[i].title).await?;
        answer_with(p, &given).await?;
        let v = p
            .wait_for(
                &format!("{}: the graded answer", l.id),
                async |p: &mut Page| {
                    let v = panel(p).await?;
                    Ok(v["feedback"].as_str().is_some().then_some(v))
                },
            )
            .await?;
        let said = v["feedback_text"].as_str().unwrap_or_default();
        ensure!(
            v["feedback"].as_str() == Some("feedback right"),
            "{}: {given:?} graded {v}",
            l.id
        );
        // A choice is shown by its text; a number as the simulation reads it.
        let q = l.steps[i].question.as_ref().expect("q");
        let shown = match &q.choices {
            Some(c) => c
                .iter()
                .find(|c| c.value() == given)
                .map(|c| c.text().to_string())
                .unwrap_or_default(),
            None => truth.clone(),
        };
        ensure!(
            said.contains(&format!("the simulation says {shown}")),
            "{}: the browser says {said:?}; natively {truth}",
            l.id
        );
    }
    p.screenshot("last-answer").await?;
    p.assert_no_console_errors().await
}

async fn answers_first_half(p: &mut Page, _: &'static str) -> Result<()> {
    let all = built_in();
    answers_match(p, &all[..all.len() / 2]).await
}

async fn answers_second_half(p: &mut Page, _: &'static str) -> Result<()> {
    let all = built_in();
    answers_match(p, &all[all.len() / 2..]).await
}

async fn bad_lessons(p: &mut Page, _: &'static str) -> Result<()> {
    // A file on the site that is not a lesson: every problem named, the scene still runs.
    p.allow_console("404");
    for (link, expect) in [
        (
            "?scene=caching&lesson=lessons/lesson.schema.json",
            vec!["$schema", "format: is missing", "steps: is missing"],
        ),
        (
            "?scene=caching&lesson=no-such-lesson",
            vec!["could not be loaded", "404"],
        ),
        (
            "?scene=caching&lesson=https://evil.example/x.json",
            vec!["neither a lesson's id"],
        ),
    ] {
        p.goto(link).await?;
        let v = p
            .wait_for(&format!("{link}: the refusal"), async |p: &mut Page| {
                let v = panel(p).await?;
                Ok(v["failed"].as_array().is_some().then_some(v))
            })
            .await?;
        let all = v["failed"].to_string();
        for e in expect {
            ensure!(all.contains(e), "{link}: {e:?} not among {all}");
        }
        ensure!(
            p.snapshot().await?.scene.as_deref() == Some("caching"),
            "{link}: the scene is gone"
        );
    }
    p.screenshot("refused").await?;
    Ok(())
}

async fn embedded(p: &mut Page, _: &'static str) -> Result<()> {
    let l = built_in()
        .into_iter()
        .find(|l| l.id == "consistent-hashing")
        .expect("lesson");
    p.goto(&format!("?lesson={}&embed=1&at=2", l.id)).await?;
    // The lesson opens step 2's state, a sharding link, in place of the scene-less one.
    let v = p
        .wait_for("the step's scene", async |p: &mut Page| {
            let v = panel(p).await?;
            Ok(v["href"]
                .as_str()
                .is_some_and(|h| h.contains("scene="))
                .then_some(v))
        })
        .await?;
    wait_heading(p, &l.steps[1].title).await?;
    let href = v["href"].as_str().unwrap_or_default();
    ensure!(
        href.contains("embed=1") && href.contains("scene=sharding"),
        "embedded lesson opened {href}"
    );
    ensure!(
        p.exists("main.embed .lesson .lesson-panel").await? && !p.visible("header.site").await?,
        "the embedded lesson shows the site's chrome or no panel"
    );
    // Next and Back move through the steps in place (keyboard: the buttons are buttons).
    p.click_button("Next →").await?;
    wait_heading(p, &l.steps[2].title).await?;
    p.client.back().await?;
    wait_heading(p, &l.steps[1].title).await?;
    p.screenshot("embedded").await?;
    // The course page embeds a lesson too.
    let site = format!("{}/", p.origin());
    p.client
        .goto(&format!("{site}examples/course-page.html"))
        .await?;
    let lesson_frames = p
        .js("return [...document.querySelectorAll('iframe')].filter(f => f.src.includes('lesson=')).length;", vec![])
        .await?;
    ensure!(
        lesson_frames.as_u64().unwrap_or(0) >= 1,
        "the course page embeds no lesson"
    );
    Ok(())
}

/// A lesson file picked on the start page: a good one is kept in this browser and plays (a
/// reload too); a bad one is refused there with every problem named.
async fn imported(p: &mut Page, _: &'static str) -> Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/lessons");
    let text = std::fs::read_to_string(dir.join("ip-hash.json"))?;
    let mut own: Value = serde_json::from_str(&text)?;
    own["id"] = json!("my-own-lesson");
    own["title"] = json!("My own lesson");
    let first_title = own["steps"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // A bad file first: nothing opens, every problem is named on the start page.
    p.goto("?").await?;
    let mut bad = own.clone();
    bad["steps"][0]["text"] = json!("<b>bold</b>");
    bad["steps"][1]["state"] = json!("scene=nowhere");
    crate::share::choose_file(p, "bad.json", &bad.to_string()).await?;
    let refused = p
        .wait_for("the refusal on the start page", async |p: &mut Page| {
            let t = p.texts("#lessons .notices li").await?;
            Ok((!t.is_empty()).then_some(t))
        })
        .await?;
    let all = refused.join("\n");
    ensure!(
        all.contains("steps[0].text") && all.contains("raw HTML") && all.contains("steps[1].state"),
        "refused with {all}"
    );
    // The good one plays, from its first step, under its own id.
    crate::share::choose_file(p, "mine.json", &own.to_string()).await?;
    let v = wait_heading(p, &first_title).await?;
    let href = v["href"].as_str().unwrap_or_default().to_string();
    ensure!(
        href.contains("lesson=file%3Amy-own-lesson") || href.contains("lesson=file:my-own-lesson"),
        "the imported lesson plays at {href}"
    );
    // The panel may mount again as the page follows the lesson's first state: wait for its
    // title rather than read it once.
    p.wait_for(
        "the imported lesson's title in the panel",
        async |p: &mut Page| {
            let titles = p.texts(".lesson-head h2").await?;
            Ok((titles.first().map(String::as_str) == Some("My own lesson")).then_some(()))
        },
    )
    .await?;
    p.client.refresh().await?;
    wait_heading(p, &first_title).await?;
    p.screenshot("imported").await?;
    p.assert_no_console_errors().await
}
