//! Load balancing: a killed server stops getting traffic after the health check's fall
//! threshold; race mode shows one lane per strategy.

use crate::generic::open_scene;
use crate::{test_fn, Test};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use scalelab_e2e::{bail, ensure, Page, Result};
use serde_json::Value;

pub fn tests() -> Vec<Test> {
    vec![
        Test {
            name: "balancing_killed_server_gets_no_traffic_after_fall_threshold".into(),
            scene: "balancing",
            run: test_fn!(kill_server),
        },
        Test {
            name: "balancing_race_mode_shows_one_lane_per_strategy".into(),
            scene: "balancing",
            run: test_fn!(race_lanes),
        },
        Test {
            name: "balancing_consistent_hashing_moves_fewer_clients_than_ip_hash".into(),
            scene: "balancing",
            run: test_fn!(consistent_hashing_moves_fewer_clients),
        },
        Test {
            name: "balancing_sessions_kept_by_ip_hash_lost_by_round_robin".into(),
            scene: "balancing",
            run: test_fn!(sessions_kept_and_lost),
        },
        Test {
            name: "balancing_inspector_says_why_a_server_was_chosen".into(),
            scene: "balancing",
            run: test_fn!(inspector_says_why),
        },
        Test {
            name: "balancing_guide_checker_flaps_and_misses_a_dead_server".into(),
            scene: "balancing",
            run: test_fn!(guide_checker_flaps),
        },
        Test {
            name: "balancing_long_lived_connections_least_connections_wins".into(),
            scene: "balancing",
            run: test_fn!(long_lived_connections),
        },
    ]
}

/// Text of web-2's state line in the drawing.
async fn server_state(p: &Page, index: u32) -> Result<(String, String)> {
    let v = p
        .js(
            r#"const g = document.querySelector(`g.server[data-server="${arguments[0]}"]`);
               return g ? [g.textContent, g.dataset.eligible] : ['', ''];"#,
            vec![index.into()],
        )
        .await?;
    Ok((
        v[0].as_str().unwrap_or("").to_string(),
        v[1].as_str().unwrap_or("").to_string(),
    ))
}

async fn kill_server(p: &mut Page, _: &'static str) -> Result<()> {
    const FALL: usize = 3;
    open_scene(
        p,
        "balancing",
        &format!("&seed=5&interval=200&fall={FALL}&load=20"),
    )
    .await?;
    p.step_many(10).await?;
    ensure!(
        server_state(p, 1).await?.1 == "true",
        "web-2 is not eligible at the start"
    );
    p.click_button("Kill web-2").await?;
    p.wait_for("web-2 to show as crashed", async |p: &mut Page| {
        Ok(server_state(p, 1)
            .await?
            .0
            .contains("crashed")
            .then_some(()))
    })
    .await?;
    let (label, _) = server_state(p, 1).await?;
    ensure!(label.contains("still UP to the balancer"), "right after the kill web-2 should still look UP to the balancer (detection lag), shows {label:?}");
    // Advance until the balancer marks it DOWN (a few hundred ms of simulated time).
    let mut down_at = None;
    for _ in 0..40 {
        p.step_many(100).await?;
        let (label, eligible) = server_state(p, 1).await?;
        if label.contains("crashed — DOWN") && eligible == "false" {
            down_at = Some(p.step().await?);
            break;
        }
    }
    ensure!(
        down_at.is_some(),
        "web-2 was never marked DOWN after 4000 steps: {:?}",
        server_state(p, 1).await?
    );
    // Keep the traffic flowing a while after DOWN, then read the exported trace.
    p.step_many(600).await?;
    p.screenshot("down").await?;
    let json = p.export_json().await?;
    // The kill is a user action: the link's ops record its step ("12:kill.1").
    let ops = json["ops"].as_str().unwrap_or("").to_string();
    let kill_step: Option<u64> = ops
        .split(',')
        .find_map(|op| op.strip_suffix(":kill.1").and_then(|s| s.parse().ok()));
    ensure!(
        kill_step.is_some(),
        "the exported ops {ops:?} do not record the kill of web-2 (server 1)"
    );
    let kill_step = kill_step.unwrap_or(0);
    let all: Vec<&Value> = json["events"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let killed_in_trace = all
        .iter()
        .any(|e| e["event"]["event"]["type"] == "server-killed");
    if !killed_in_trace {
        println!("  note: the exported trace has no server-killed event (user actions are not recorded in exports)");
    }
    let events: Vec<&Value> = all
        .iter()
        .filter(|e| e["step"].as_u64().is_some_and(|s| s > kill_step))
        .map(|e| &e["event"])
        .filter(|e| e["lane"] == 0)
        .map(|e| &e["event"])
        .collect();
    ensure!(
        !events.is_empty(),
        "the exported trace has no events after the kill at step {kill_step}"
    );
    // Events name servers by position (no server was added or removed: web-2 is still 1).
    let is_web2 = |e: &Value| e["server"] == 1;
    let after = &events[..];
    let down = after
        .iter()
        .position(|e| e["type"] == "health-changed" && is_web2(e) && e["up"] == false);
    ensure!(
        down.is_some(),
        "no health-changed (up: false) for web-2 after the kill"
    );
    let down = down.unwrap_or(0);
    let failed_probes = after[..down]
        .iter()
        .filter(|e| e["type"] == "probe" && is_web2(e) && e["ok"] == false)
        .count();
    ensure!(
        failed_probes == FALL,
        "web-2 was marked DOWN after {failed_probes} failed probes; fall is {FALL}"
    );
    let routed_during_lag = after[..down]
        .iter()
        .filter(|e| e["type"] == "routed" && is_web2(e))
        .count();
    let routed_after = after[down..]
        .iter()
        .filter(|e| e["type"] == "routed" && is_web2(e))
        .count();
    let routed_elsewhere_after = after[down..]
        .iter()
        .filter(|e| e["type"] == "routed" && !is_web2(e))
        .count();
    ensure!(
        routed_after == 0,
        "{routed_after} requests were routed to web-2 after it was marked DOWN"
    );
    ensure!(
        routed_elsewhere_after > 50,
        "too little traffic after DOWN to tell ({routed_elsewhere_after} routed)"
    );
    println!(
        "  balancing kill: {routed_during_lag} requests still routed to web-2 during the detection lag, 0 after DOWN ({routed_elsewhere_after} to the others)"
    );
    Ok(())
}

async fn lanes(p: &Page) -> Result<(Vec<String>, usize)> {
    Ok((
        p.texts("table.race tbody tr th").await?,
        p.count("figure.lane").await?,
    ))
}

async fn race_lanes(p: &mut Page, _: &'static str) -> Result<()> {
    for (query, expected) in [
        (
            "&mode=race&seed=2",
            vec!["Round robin", "Least connections", "Power of two", "Random"],
        ),
        ("&mode=race&lanes=hash&seed=2", vec!["IP hash", "IP hash"]),
        (
            "&mode=race&lanes=latency&seed=2",
            vec!["response time", "response time", "Power of two"],
        ),
    ] {
        open_scene(p, "balancing", query).await?;
        let (rows, figures) = lanes(p).await?;
        ensure!(
            rows.len() == expected.len(),
            "{query}: {} race rows ({rows:?}), expected {}",
            rows.len(),
            expected.len()
        );
        ensure!(
            figures == expected.len(),
            "{query}: {figures} lane strips, expected {}",
            expected.len()
        );
        for (row, want) in rows.iter().zip(&expected) {
            ensure!(
                row.to_lowercase().contains(&want.to_lowercase()),
                "{query}: lane {row:?} is not {want:?}"
            );
        }
        let mut distinct = rows.clone();
        distinct.sort();
        distinct.dedup();
        ensure!(
            distinct.len() == rows.len(),
            "{query}: two lanes share a label: {rows:?}"
        );
    }
    // The classic race runs: every lane completes requests.
    open_scene(p, "balancing", "&mode=race&seed=2").await?;
    p.step_many(300).await?;
    let done = p
        .js("return [...document.querySelectorAll('table.race tbody tr')].map(r => Number(r.children[4].textContent));", vec![])
        .await?;
    let done: Vec<u64> = done
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    ensure!(
        done.len() == 4 && done.iter().all(|&d| d > 0),
        "after 300 steps the lanes completed {done:?}"
    );
    p.screenshot("race").await?;
    Ok(())
}

/// The race of IP hash, ring hash and Maglev: removing web-4 moves most of IP hash's
/// returning clients and about a quarter of the consistent hashes' (the core computes 66 %,
/// 26 % and 34 % for this link; the board says "moved of returned").
async fn consistent_hashing_moves_fewer_clients(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(
        p,
        "balancing",
        "&mode=race&lanes=consistent&clients=50&seed=7&step=1500",
    )
    .await?;
    let moved = async |p: &Page| -> Result<Vec<String>> {
        let v = p
            .js("return [...document.querySelectorAll('table.race tbody tr')].map(r => r.lastElementChild.textContent);", vec![])
            .await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default())
    };
    let before = moved(p).await?;
    ensure!(
        before.len() == 3 && before.iter().all(|m| m == "no change yet"),
        "before any server left the board reads {before:?}"
    );
    p.click_button("Remove last server").await?;
    p.step_many(2_000).await?;
    let after = moved(p).await?;
    let share = |text: &str| -> Option<f64> {
        let (m, r) = text.split_once(" of ")?;
        let (m, r): (f64, f64) = (m.parse().ok()?, r.parse().ok()?);
        (r > 0.0).then_some(m / r)
    };
    let shares: Vec<Option<f64>> = after.iter().map(|t| share(t)).collect();
    let [Some(ip), Some(ring), Some(maglev)] = shares[..] else {
        bail!("after removing web-4 the board reads {after:?}");
    };
    ensure!(
        ip > 0.5 && ring < 0.4 && maglev < 0.45,
        "moved shares ip-hash {ip:.2}, ring {ring:.2}, maglev {maglev:.2} ({after:?})"
    );
    eprintln!("  balancing consistent: moved {after:?} (ip-hash, ring hash, Maglev)");
    p.screenshot("consistent").await?;
    Ok(())
}

/// The live figure "sessions kept on their server": about 1 in 4 under round robin with 4
/// servers, all of them under IP hash.
async fn sessions_kept_and_lost(p: &mut Page, _: &'static str) -> Result<()> {
    let kept = async |p: &Page| -> Result<String> {
        let v = p
            .js(
                r#"const s = [...document.querySelectorAll('.stat')]
                     .find(s => s.querySelector('.k').textContent.startsWith('sessions kept'));
                   return s ? s.querySelector('.v').textContent : '';"#,
                vec![],
            )
            .await?;
        Ok(v.as_str().unwrap_or("").to_string())
    };
    let pct = |text: &str| -> Option<f64> { text.split_once('%')?.0.parse().ok() };
    let mut seen = Vec::new();
    for strategy in ["round-robin", "ip-hash"] {
        open_scene(p, "balancing", &format!("&seed=7&strategy={strategy}")).await?;
        ensure!(
            kept(p).await? == "none yet",
            "{strategy}: sessions before any request: {:?}",
            kept(p).await?
        );
        p.step_many(1_500).await?;
        let text = kept(p).await?;
        let Some(value) = pct(&text) else {
            bail!("{strategy}: the sessions figure reads {text:?}");
        };
        seen.push((strategy, value, text));
    }
    let (rr, ip) = (seen[0].1, seen[1].1);
    ensure!(
        rr < 40.0 && ip == 100.0,
        "sessions kept: round robin {rr} %, IP hash {ip} % ({seen:?})"
    );
    eprintln!("  balancing sessions: {seen:?}");
    Ok(())
}

/// Presses `key` on whatever has the keyboard focus (no blur first, unlike `Page::press`).
async fn key_on_focus(p: &mut Page, key: Key) -> Result<()> {
    let key: char = key.into();
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    p.client.perform_actions(actions).await?;
    Ok(())
}

async fn inspector_says_why(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "balancing", "&seed=5&strategy=least-connections").await?;
    p.step_many(40).await?;
    // The newest narrated pick, with its reason, and the inspector's decision.
    let mut said = None;
    for _ in 0..20 {
        p.step_many(1).await?;
        said = p
            .texts(".narration p")
            .await?
            .into_iter()
            .find(|l| l.contains(" chose "));
        if said.is_some() {
            break;
        }
    }
    let Some(said) = said else {
        bail!("no narrated pick with a reason after 60 steps");
    };
    let why = p.texts(".inspector .why").await?.join(" ");
    ensure!(
        why.starts_with("least connections chose web-") && said.contains(&why),
        "the inspector says {why:?}, the narration {said:?}"
    );
    // "least connections chose web-3: 0 in flight, web-1 had 2": the winner's row is marked.
    let winner = why
        .trim_start_matches("least connections chose ")
        .split(':')
        .next()
        .unwrap_or("")
        .to_string();
    let chosen = p.texts(".inspector table.decision tr.chosen th").await?;
    ensure!(
        chosen.len() == 1 && chosen[0].ends_with(&winner),
        "the chosen row {chosen:?} is not {winner}"
    );
    let columns = p.texts(".inspector table.decision thead th").await?;
    ensure!(
        columns.iter().any(|c| c == "In flight"),
        "no in-flight column: {columns:?}"
    );
    ensure!(
        p.count(".inspector table.decision tbody tr").await? == 4,
        "one row per server expected"
    );
    // Keyboard: from web-1's row, Tab to web-2's and press Enter.
    p.js(
        "document.querySelector('g.server[data-server=\"0\"]').focus();",
        vec![],
    )
    .await?;
    key_on_focus(p, Key::Tab).await?;
    let focused = p
        .js(
            "return document.activeElement.getAttribute('data-server');",
            vec![],
        )
        .await?;
    ensure!(
        focused.as_str() == Some("1"),
        "Tab from web-1 reached {focused:?}, not web-2"
    );
    key_on_focus(p, Key::Enter).await?;
    p.wait_for("web-2 in the inspector", async |p: &mut Page| {
        Ok((p.texts(".inspector .focus h4").await? == ["web-2"]).then_some(()))
    })
    .await?;
    let facts = p.texts(".inspector .focus dt").await?;
    for want in ["State", "In flight", "Last pick"] {
        ensure!(
            facts.iter().any(|f| f == want),
            "web-2's facts {facts:?} lack {want}"
        );
    }
    ensure!(
        p.exists("g.server[data-server=\"1\"][aria-pressed=\"true\"]")
            .await?,
        "web-2's row is not marked as selected"
    );
    let found = p.axe_serious().await?;
    p.screenshot("inspector").await?;
    ensure!(
        found.is_empty(),
        "axe-core with the inspector open:\n{}",
        found.join("\n")
    );
    Ok(())
}

/// The live figure whose label starts with `label`.
async fn stat(p: &Page, label: &str) -> Result<String> {
    let v = p
        .js(
            r#"const s = [...document.querySelectorAll('.stat')]
                 .find(s => s.querySelector('.k').textContent.startsWith(arguments[0]));
               return s ? s.querySelector('.v').textContent : '';"#,
            vec![label.into()],
        )
        .await?;
    Ok(v.as_str().unwrap_or("").to_string())
}

/// The guide's checker: its verdicts flap on healthy servers, the narration gives the draw,
/// a killed server stays UP to the balancer; the reference checks on the same run never flap.
async fn guide_checker_flaps(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(p, "balancing", "&seed=7&health=guide&interval=200&load=20").await?;
    // A probe is a step of its own, so its sentence is the newest line right after it.
    let mut drew = None;
    for _ in 0..1_500 {
        p.step_many(1).await?;
        drew = p
            .texts(".narration p")
            .await?
            .into_iter()
            .find(|l| l.contains("random: drew 0.") && l.contains(" < 0.10"));
        if drew.is_some() {
            break;
        }
    }
    ensure!(
        drew.is_some(),
        "no narrated unhealthy verdict with its draw in 1500 steps"
    );
    p.click_button("Kill web-2").await?;
    for _ in 0..40 {
        p.step_many(100).await?;
        if stat(p, "health verdict flaps").await?.parse().unwrap_or(0) >= 3 {
            break;
        }
    }
    let flaps = stat(p, "health verdict flaps").await?;
    ensure!(
        flaps.parse::<u64>().unwrap_or(0) >= 3,
        "the guide's checker flapped {flaps:?} times after 4000 more steps"
    );
    let (label, eligible) = server_state(p, 1).await?;
    ensure!(
        label.contains("still UP to the balancer") && eligible == "true",
        "the guide's checker took the dead web-2 out: {label:?}"
    );
    p.screenshot("guide").await?;
    let steps = p.step().await?;
    open_scene(p, "balancing", "&seed=7&health=active&interval=200&load=20").await?;
    p.step_many(steps).await?;
    let reference = stat(p, "health verdict flaps").await?;
    ensure!(
        reference == "0",
        "the reference checks flapped on healthy servers: {reference:?}"
    );
    eprintln!("  balancing guide checker: {flaps} flaps in {steps} steps ({drew:?}), reference 0");
    Ok(())
}

/// The long-lived race: least connections' p99 on the board is below round robin's.
async fn long_lived_connections(p: &mut Page, _: &'static str) -> Result<()> {
    open_scene(
        p,
        "balancing",
        "&seed=7&mode=race&lanes=long-lived&cost=long-lived",
    )
    .await?;
    p.step_many(30_000).await?;
    let rows = p
        .js(
            r#"return [...document.querySelectorAll('table.race tbody tr')]
                 .map(r => [r.querySelector('th').textContent,
                            r.querySelectorAll('td')[2].textContent]);"#,
            vec![],
        )
        .await?;
    let rows: Vec<(String, String)> = rows
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    (
                        r[0].as_str().unwrap_or("").to_string(),
                        r[1].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let ms = |t: &str| -> Option<f64> { t.trim_end_matches("ms").trim().parse().ok() };
    let (Some(rr), Some(lc)) = (
        rows.first().and_then(|r| ms(&r.1)),
        rows.get(1).and_then(|r| ms(&r.1)),
    ) else {
        bail!("the race board reads {rows:?}");
    };
    ensure!(
        rows.len() == 2
            && rows[0].0.to_lowercase().contains("round robin")
            && rows[1].0.to_lowercase().contains("least connections"),
        "lanes {rows:?}"
    );
    ensure!(
        lc < rr,
        "least connections' p99 {lc} ms is not below round robin's {rr} ms"
    );
    // Beside the lanes' p99, each lane's drops so far: one legend entry per lane.
    let dropped_legend = p
        .js(
            r#"const f = [...document.querySelectorAll('figure.chart')]
                 .find(f => f.querySelector('figcaption').textContent === 'Dropped so far per lane');
               return f ? [...f.querySelectorAll('.legend li')].map(li => li.textContent) : null;"#,
            vec![],
        )
        .await?;
    let entries = dropped_legend.as_array().map_or(0, Vec::len);
    ensure!(
        entries == 2,
        "the dropped-per-lane chart's legend reads {dropped_legend:?}"
    );
    p.screenshot("long-lived").await?;
    eprintln!("  balancing long-lived: p99 round robin {rr} ms, least connections {lc} ms");
    Ok(())
}
