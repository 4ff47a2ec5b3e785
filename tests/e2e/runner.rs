//! The command-line runner and the page agree: for the same link, `scalelab run --link … --csv -`
//! (and `--json -`) writes exactly the file the page's Export buttons save, on every scene.

use crate::{test_fn, Test};
use scalelab_e2e::{ensure, Page, Result};

/// A link per scene with settings and a user action, so more than the defaults is compared.
fn link(scene: &str) -> &'static str {
    match scene {
        "balancing" => "scene=balancing&seed=11&strategy=least-connections&step=240",
        "caching" => "scene=caching&seed=11&policy=lfu&step=240",
        "sharding" => "scene=sharding&seed=11&router=jump&ops=50:add&step=240",
        "scaling" => "scene=scaling&seed=11&step=240",
        "system" => "scene=system&seed=11&preset=hot-shard&ops=100:flush&step=240",
        _ => "",
    }
}

pub fn tests() -> Vec<Test> {
    scalelab_e2e::scenes()
        .into_iter()
        .filter(|s| !link(s).is_empty())
        .map(|scene| Test {
            name: format!("runner_exports_what_the_page_exports_{scene}"),
            scene,
            run: test_fn!(same_export),
        })
        .collect()
}

/// What `scalelab run ARGS…` writes to standard output, with its exit status.
fn runner(args: &[&str]) -> (u8, String) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = scalelab_cli::main_with(&args, &mut out, &mut err);
    (status, String::from_utf8_lossy(&out).into_owned())
}

async fn same_export(p: &mut Page, scene: &'static str) -> Result<()> {
    let query = link(scene);
    let s = p.goto(&format!("?{query}")).await?;
    ensure!(s.error_panel.is_none(), "the panic panel is shown");
    p.wait_step(240).await?;
    p.capture_exports().await?;
    p.press('c').await?;
    let (_, page_csv) = p.export(1).await?;
    p.press('j').await?;
    let (_, page_json) = p.export(2).await?;

    let url = format!("http://localhost/?{query}");
    let (status, csv) = runner(&["run", "--link", &url, "--csv", "-"]);
    ensure!(status == 0, "scalelab run --csv exited with {status}");
    ensure!(
        csv == page_csv,
        "the runner's CSV ({} lines) differs from the page's ({} lines); first difference at line {:?}",
        csv.lines().count(),
        page_csv.lines().count(),
        csv.lines().zip(page_csv.lines()).position(|(a, b)| a != b)
    );
    let (status, json) = runner(&["run", "--link", &url, "--json", "-"]);
    ensure!(status == 0, "scalelab run --json exited with {status}");
    ensure!(
        json == page_json,
        "the runner's JSON differs from the page's at line {:?}",
        json.lines()
            .zip(page_json.lines())
            .position(|(a, b)| a != b)
    );
    Ok(())
}
