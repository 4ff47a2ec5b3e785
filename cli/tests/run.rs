//! `scalelab run`: a link or a scenario file runs headless to the state the page would show,
//! prints its figures, writes the page's exports, and refuses bad input by name with status 2.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test: a panic is the failure it reports"
)]

use scalelab_cli::main_with;
use scalelab_web::export::{from_query, Format};

/// `(status, stdout, stderr)` of `scalelab ARGS…`.
fn scalelab(args: &[&str]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = main_with(&args, &mut out, &mut err);
    (
        status,
        String::from_utf8(out).expect("stdout is UTF-8"),
        String::from_utf8(err).expect("stderr is UTF-8"),
    )
}

fn value<'a>(summary: &'a str, name: &str) -> Option<&'a str> {
    summary.lines().find_map(|l| {
        let l = l.trim_start();
        l.strip_prefix(name)?.trim_start().strip_prefix("= ")
    })
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("scalelab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir.join(name)
}

#[test]
fn a_link_runs_to_its_step_and_prints_its_figures() {
    let (status, out, err) = scalelab(&[
        "run",
        "--link",
        "https://example.org/scalelab/?scene=sharding&seed=42&router=modulo-md5&ops=100:add&step=500#top",
    ]);
    assert_eq!(status, 0, "{err}");
    assert!(
        out.starts_with("scene      sharding\nseed       42\nstep       500\n"),
        "{out}"
    );
    // Adding a shard to modulo hashing moves most keys: the readout the page shows.
    let moved: f64 = value(&out, "keys_moved")
        .expect("keys_moved")
        .parse()
        .expect("a number");
    assert!(moved > 0.0, "{out}");
    assert_eq!(value(&out, "unreadable_keys"), Some("0"), "{out}");
}

/// A line of the summary's head (`step       500`).
fn head<'a>(summary: &'a str, name: &str) -> &'a str {
    summary
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .map_or("", str::trim)
}

#[test]
fn until_stops_at_the_first_step_at_or_past_the_time() {
    let run = |args: &[&str]| {
        let mut all = vec!["run", "--link", "scene=caching&seed=3"];
        all.extend_from_slice(args);
        let (status, out, err) = scalelab(&all);
        assert_eq!(status, 0, "{err}");
        out
    };
    let seconds = |out: &str| -> f64 {
        head(out, "time")
            .trim_end_matches('s')
            .parse()
            .expect("seconds")
    };
    let out = run(&["--until", "2s"]);
    let step: u64 = head(&out, "step").parse().expect("a whole number");
    assert!(seconds(&out) >= 2.0, "{out}");
    let before = run(&["--step", &(step - 1).to_string()]);
    assert!(
        seconds(&before) < 2.0,
        "step {} is already at {}",
        step - 1,
        head(&before, "time")
    );
}

#[test]
fn csv_and_json_are_the_pages_exports() {
    let link = "scene=balancing&seed=9&strategy=power-of-two-choices&step=300";
    for (flag, format) in [("--csv", Format::Csv), ("--json", Format::Json)] {
        let (status, out, err) = scalelab(&["run", "--link", link, flag, "-"]);
        assert_eq!(status, 0, "{err}");
        let page = from_query(link, 300, format).expect("the page's export");
        assert_eq!(out, page.text, "{flag}");
    }
}

#[test]
fn an_exported_file_reopens_to_the_same_state() {
    let link = "scene=scaling&seed=5&step=400";
    let file = temp("export.json");
    let path = file.to_str().expect("a UTF-8 path");
    let (status, from_link, err) = scalelab(&["run", "--link", link, "--json", path]);
    assert_eq!(status, 0, "{err}");
    let (status, from_file, err) = scalelab(&["run", path]);
    assert_eq!(status, 0, "{err}");
    assert_eq!(from_file, from_link);
    // And the file, run on to a later step, is that step of the same run.
    let (_, later_file, _) = scalelab(&["run", path, "--step", "450"]);
    let (_, later_link, _) = scalelab(&["run", "--link", link, "--step", "450"]);
    assert_eq!(later_file, later_link);
}

#[test]
fn bad_input_is_named_with_status_2() {
    let not_json = temp("not.json");
    std::fs::write(&not_json, "scene=caching").expect("a file");
    let not_json = not_json.to_str().expect("a UTF-8 path");
    let cases: [(&[&str], &str); 9] = [
        (&["run"], "give a scenario FILE or --link LINK"),
        (&["run", "/no/such/file.json"], "cannot be read"),
        (&["run", not_json], "not a JSON object"),
        (&["run", "--link", "scene=nope"], "scene"),
        (&["run", "--link", "scene=caching&policy=mru"], "policy"),
        (
            &["run", "--link", "scene=caching", "--step", "-1"],
            "--step",
        ),
        (
            &["run", "--link", "scene=caching", "--until", "soon"],
            "not a time",
        ),
        (
            &["run", "--link", "scene=caching", "--frobnicate"],
            "unknown option",
        ),
        (&["run", "--link", "seed=4"], "names no scene"),
    ];
    for (args, named) in cases {
        let (status, out, err) = scalelab(args);
        assert_eq!(status, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?} printed {out}");
        assert!(
            err.contains(named),
            "{args:?}: {err:?} does not name {named:?}"
        );
    }
}

#[test]
fn help_documents_run() {
    let (status, out, _) = scalelab(&["--help"]);
    assert_eq!(status, 0);
    for part in [
        "scalelab run FILE",
        "--link LINK",
        "--until TIME",
        "--csv OUT",
        "--json OUT",
        "exit status",
    ] {
        assert!(out.contains(part), "--help lacks {part:?}");
    }
    let (status, _, err) = scalelab(&["frobnicate"]);
    assert_eq!(status, 2);
    assert!(err.contains("usage:"));
}
