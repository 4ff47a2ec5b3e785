//! Drawing the balancer: clients, the balancer, servers with slots and queues, the dots of
//! recently routed requests, the race board and the charts.

use super::marks::{Gauge, Gauges, Mark, Marks};
use super::BalancingScene;
use crate::components::chart::{Chart, Line};
use crate::components::svg::{ctl_button, Attr, El};
// `{}` of an f64 goes through Num (the same text for these numbers), so Rust's float
// formatter is not linked into the page.
use crate::fixed::fixed;
use scalelab_core::num_text::Num;

/// An `f64` coordinate as an attribute: the shortest text, without Rust's float formatter.
fn num(v: f64) -> String {
    crate::decimal::show(v)
}
use crate::scenes::SceneView;
use scalelab_core::balancing::{
    BalancerEvent, BalancerMetrics, BalancingAction, BalancingEvent, BalancingModel, LaneMetrics,
    ServerMetrics, ServerState,
};
use std::collections::VecDeque;
use std::rc::Rc;
use yew::prelude::*;

/// How long a dot takes from the balancer to its server.
const TRAVEL_MS: f64 = 700.0;
const ROW_H: f64 = 46.0;
const SERVER_X: f64 = 420.0;
const BALANCER_X: f64 = 250.0;
pub(super) const WIDTH: f64 = 720.0;
/// Dots drawn at most; older ones are skipped (they would overlap anyway) and counted in a
/// "+N more" mark.
const MAX_DOTS: usize = 300;
/// Clients listed by address.
const CLIENTS_SHOWN: usize = 10;

fn ms(us: u64) -> String {
    format!("{} ms", fixed(us as f64 / 1_000.0, 1))
}

/// A server's state in words and its tone (the box's class): what the balancer believes beside
/// what is really true. The gap between the two is the detection lag a student should see.
fn server_state(s: &ServerMetrics) -> (&'static str, &'static str) {
    match s.state() {
        ServerState::Ejected => ("ejected (outlier)", "bad"),
        ServerState::BreakerOpen => ("breaker open", "bad"),
        ServerState::BreakerHalfOpen => ("breaker half-open", "warn"),
        ServerState::CrashedUnnoticed => ("crashed — still UP to the balancer", "warn"),
        ServerState::CrashedDown => ("crashed — DOWN", "bad"),
        ServerState::RunningButDown => ("running — still DOWN to the balancer", "warn"),
        ServerState::Slowed => ("UP, slowed", "warn"),
        ServerState::Up => ("UP", "ok"),
    }
}

fn row_y(i: u32) -> f64 {
    30.0 + f64::from(i) * ROW_H
}

/// What one server's row shows in the SVG (its state), so the row is redrawn only when that
/// changes; its live figures are on the gauges canvas.
#[derive(Properties, PartialEq)]
struct ServerRowProps {
    index: u32,
    name: AttrValue,
    eligible: bool,
    label: &'static str,
    tone: &'static str,
}

fn server_row(s: &ServerMetrics) -> Html {
    let (label, tone) = server_state(s);
    html! {
        <ServerRow index={s.index} name={AttrValue::from(s.name.clone())} eligible={s.eligible} {label} {tone} />
    }
}

fn gauge(s: &ServerMetrics, probe: Option<bool>) -> Gauge {
    Gauge {
        y: row_y(s.index),
        busy: s.busy_share(),
        queue: s.queue_share(),
        figures: AttrValue::from(format!(
            "{}/{} busy · {} waiting · {}%",
            s.busy_slots,
            s.concurrency,
            s.queue_len,
            fixed(s.utilisation * 100.0, 0)
        )),
        probe,
    }
}

#[component]
fn ServerRow(s: &ServerRowProps) -> Html {
    let y = row_y(s.index);
    let (label, tone) = (s.label, s.tone);
    El::new("g")
        .set(Attr::Class, "server")
        .string(Attr::DataServer, s.index.to_string())
        .string(Attr::DataEligible, s.eligible.to_string())
        .el(El::new("rect")
            .set(Attr::Class, box_class(tone))
            .string(Attr::X, num(SERVER_X))
            .string(Attr::Y, num(y - 17.0))
            .set(Attr::Width, "292")
            .set(Attr::Height, "38")
            .set(Attr::Rx, "6"))
        .el(El::new("text")
            .string(Attr::X, num(SERVER_X + 8.0))
            .string(Attr::Y, num(y - 3.0))
            .set(Attr::FontWeight, "600")
            .text(s.name.clone()))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .string(Attr::X, num(SERVER_X + 8.0))
            .string(Attr::Y, num(y + 13.0))
            .text(label))
        .html()
}

/// A server box's class for its tone (plain text: no `classes!` set built per row).
fn box_class(tone: &'static str) -> &'static str {
    match tone {
        "warn" => "box warn",
        "bad" => "box bad",
        _ => "box",
    }
}

/// The marks of recently routed requests (and drops and failures) for the canvas layer, and
/// each server's recent probe outcome (shown by its row: it does not move).
fn marks(
    recent: &VecDeque<(f64, BalancingEvent)>,
    now_ms: f64,
    reduced_motion: bool,
    servers: u32,
) -> (Vec<Mark>, Vec<Option<bool>>) {
    let mid = row_y(0) + (f64::from(servers.max(1)) - 1.0) * ROW_H / 2.0;
    let mut out = Vec::new();
    let mut probes = vec![None; servers as usize];
    let (mut dots, mut more) = (0usize, 0usize);
    // Newest first; entries are in the order they were shown, so once one has arrived every
    // older one has too and nothing further is drawn.
    for (at, e) in recent
        .iter()
        .rev()
        .take_while(|(at, _)| now_ms - at < TRAVEL_MS)
        .filter(|(_, e)| e.lane == 0)
    {
        let age = now_ms - at;
        let t = if reduced_motion {
            1.0
        } else {
            (age / TRAVEL_MS).clamp(0.0, 1.0)
        };
        match &e.event {
            BalancerEvent::Routed { server, .. } => {
                if dots == MAX_DOTS {
                    more += 1;
                    continue;
                }
                dots += 1;
                let (x0, y0) = (BALANCER_X + 60.0, mid);
                let (x1, y1) = (SERVER_X - 4.0, row_y(*server));
                out.push(Mark::Dot {
                    x: x0 + (x1 - x0) * t,
                    y: y0 + (y1 - y0) * t,
                });
            }
            BalancerEvent::Dropped { .. } => out.push(Mark::Dropped {
                x: BALANCER_X + 62.0,
                y: mid - 16.0 - 10.0 * t,
            }),
            BalancerEvent::Failed { server, .. } => out.push(Mark::Failed {
                x: SERVER_X - 20.0,
                y: row_y(*server) + 4.0,
            }),
            BalancerEvent::Probe { server, ok, .. } => {
                // Newest first: the first seen is the one to show.
                if let Some(p @ None) = probes.get_mut(*server as usize) {
                    *p = Some(*ok);
                }
            }
            _ => {}
        }
    }
    // Past the cap the dots would only overlap: say how many are not drawn.
    if more > 0 {
        out.push(Mark::More {
            x: BALANCER_X + 62.0,
            y: mid + 34.0,
            n: more,
        });
    }
    (out, probes)
}

/// The parts of the drawing that only change with the set-up: clients, links, the balancer.
#[derive(Properties, PartialEq)]
struct TopologyProps {
    /// Client lines as shown (address, and its server under IP hash).
    clients: Vec<AttrValue>,
    client_count: usize,
    servers: u32,
    strategy: &'static str,
}

#[component]
fn Topology(p: &TopologyProps) -> Html {
    let mid = row_y(0) + (f64::from(p.servers.max(1)) - 1.0) * ROW_H / 2.0;
    // Children go straight into the group (no `html!` per element, no collected lists):
    // the same DOM for less wasm.
    let mut g = El::new("g").set(Attr::Class, "topology").el(El::new("text")
        .set(Attr::Class, "muted")
        .set(Attr::X, "10")
        .set(Attr::Y, "14")
        .set(Attr::FontSize, "10")
        .text(format!("{} clients", p.client_count)));
    for (i, label) in p.clients.iter().enumerate() {
        let y = 30.0 + i as f64 * 20.0;
        g = g.el(El::new("g")
            .el(El::new("text")
                .set(Attr::X, "10")
                .string(Attr::Y, num(y + 4.0))
                .set(Attr::FontFamily, "ui-monospace, monospace")
                .set(Attr::FontSize, "10")
                .text(label.clone()))
            .el(El::new("line")
                .set(Attr::Class, "link")
                .set(Attr::X1, "150")
                .string(Attr::Y1, num(y))
                .string(Attr::X2, num(BALANCER_X))
                .string(Attr::Y2, num(mid))));
    }
    if p.client_count > CLIENTS_SHOWN {
        g = g.el(El::new("text")
            .set(Attr::Class, "muted")
            .set(Attr::X, "10")
            .string(Attr::Y, num(34.0 + CLIENTS_SHOWN as f64 * 20.0))
            .set(Attr::FontSize, "10")
            .text(format!("… and {} more", p.client_count - CLIENTS_SHOWN)));
    }
    for i in 0..p.servers {
        g = g.el(El::new("line")
            .set(Attr::Class, "link")
            .string(Attr::X1, num(BALANCER_X + 60.0))
            .string(Attr::Y1, num(mid))
            .string(Attr::X2, num(SERVER_X))
            .string(Attr::Y2, num(row_y(i))));
    }
    g.el(El::new("rect")
        .set(Attr::Class, "box")
        .string(Attr::X, num(BALANCER_X))
        .string(Attr::Y, num(mid - 24.0))
        .set(Attr::Width, "60")
        .set(Attr::Height, "48")
        .set(Attr::Rx, "8"))
        .el(El::new("text")
            .string(Attr::X, num(BALANCER_X + 30.0))
            .string(Attr::Y, num(mid - 4.0))
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontWeight, "600")
            .text("LB"))
        .el(El::new("text")
            .set(Attr::Class, "muted")
            .string(Attr::X, num(BALANCER_X + 30.0))
            .string(Attr::Y, num(mid + 12.0))
            .set(Attr::TextAnchor, "middle")
            .set(Attr::FontSize, "9")
            .text(p.strategy))
        .html()
}

/// The single-strategy drawing: an SVG of what changes with the set-up and the servers'
/// state (each row redrawn only when its state changes), under canvases of the servers' live
/// figures and of the moving marks.
/// The wrapper has the drawing's aspect ratio and strict containment, so the SVG's changes
/// are laid out and painted without touching the rest of the page.
fn single_drawing(
    v: &SceneView<'_, BalancingScene>,
    m: &BalancerMetrics,
    race: &BalancingModel,
) -> Html {
    let n = m.servers.len() as u32;
    let height = (row_y(n.max(1)) + 10.0).max(250.0);
    let assignment = race
        .lane(0)
        .map(|s| s.client_assignment())
        .unwrap_or_default();
    let show_hash = m.strategy.is_ip_hash();
    let clients = assignment
        .iter()
        .take(CLIENTS_SHOWN)
        .map(|(ip, server)| {
            let target = match server {
                Some(s) if show_hash => format!(
                    " → {}",
                    m.servers
                        .get(*s as usize)
                        .map(|x| x.name.as_str())
                        .unwrap_or("?")
                ),
                _ => String::new(),
            };
            AttrValue::from(format!("{ip}{target}"))
        })
        .collect::<Vec<_>>();
    let (marks, probes) = marks(v.recent, v.now_ms, v.reduced_motion, n);
    let mut svg = El::new("svg")
        .set(Attr::Class, "drawing")
        .string(Attr::ViewBox, format!("0 0 {} {}", Num(WIDTH), Num(height)))
        .set(Attr::Role, "img")
        .string(Attr::AriaLabel,
            format!(
                "{} clients send requests to a {} balancer in front of {} servers",
                assignment.len(),
                m.strategy.label(),
                n
            ),
        )
        .child(html! { <Topology {clients} client_count={assignment.len()} servers={n} strategy={m.strategy.name()} /> });
    for s in &m.servers {
        svg = svg.child(server_row(s));
    }
    let gauges = m
        .servers
        .iter()
        .map(|s| gauge(s, probes.get(s.index as usize).copied().flatten()))
        .collect::<Vec<_>>();
    El::new("div")
        .set(Attr::Class, "drawing-wrap")
        .string(
            Attr::Style,
            format!("aspect-ratio: {} / {}", Num(WIDTH), Num(height)),
        )
        .el(svg)
        .child(html! { <Gauges {gauges} {height} /> })
        .child(html! { <Marks {marks} {height} /> })
        .html()
}

fn race_board(lanes: &[LaneMetrics]) -> Html {
    let mut head = El::new("tr");
    for h in [
        "Lane (strategy)",
        "p50",
        "p95",
        "p99",
        "done",
        "dropped",
        "failed",
        "in flight",
    ] {
        head = head.el(El::new("th").set(Attr::Scope, "col").text(h));
    }
    let mut body = El::new("tbody");
    for l in lanes {
        body = body.el(El::new("tr")
            .string(Attr::DataLane, l.lane.to_string())
            .el(El::new("th").set(Attr::Scope, "row").text(format!(
                "{}. {}",
                l.lane + 1,
                l.strategy.label()
            )))
            .el(El::new("td").text(ms(l.recent_latency.p50)))
            .el(El::new("td").text(ms(l.recent_latency.p95)))
            .el(El::new("td").text(ms(l.recent_latency.p99)))
            .el(El::new("td").text(l.completed.to_string()))
            .el(El::new("td").text(l.dropped.to_string()))
            .el(El::new("td").text(l.failed.to_string()))
            .el(El::new("td").text(l.in_flight.to_string())));
    }
    El::new("table")
        .set(Attr::Class, "data race")
        .set(
            Attr::AriaLabel,
            "Race: the same requests, one lane per strategy",
        )
        .el(El::new("thead").el(head))
        .el(body)
        .html()
}

fn lane_strips(race: &BalancingModel) -> Html {
    let mut out = El::new("div").set(Attr::Class, "lanes");
    for (i, lane) in race.lanes().iter().enumerate() {
        let m = lane.metrics();
        let w = 28.0;
        let width = (m.servers.len() as f64 * (w + 4.0)).max(100.0) + 8.0;
        let mut svg = El::new("svg")
            .set(Attr::Class, "drawing")
            .string(Attr::ViewBox, format!("0 0 {} 52", Num(width)))
            .set(Attr::Role, "img")
            .string(
                Attr::AriaLabel,
                format!("{}: utilisation per server", m.strategy.label()),
            );
        for (j, s) in m.servers.iter().enumerate() {
            let x = 4.0 + j as f64 * (w + 4.0);
            let h = 36.0 * s.utilisation.clamp(0.0, 1.0);
            let q = s.queue_share().min(1.0) * 36.0;
            svg = svg.el(El::new("g")
                .el(El::new("rect")
                    .set(Attr::Class, "box")
                    .string(Attr::X, num(x))
                    .set(Attr::Y, "4")
                    .string(Attr::Width, num(w))
                    .set(Attr::Height, "36"))
                .el(El::new("rect")
                    .set(Attr::Class, "bar")
                    .string(Attr::X, num(x))
                    .string(Attr::Y, num(40.0 - h))
                    .string(Attr::Width, num(w / 2.0))
                    .string(Attr::Height, num(h)))
                .el(El::new("rect")
                    .set(Attr::Class, "bar queue")
                    .string(Attr::X, num(x + w / 2.0))
                    .string(Attr::Y, num(40.0 - q))
                    .string(Attr::Width, num(w / 2.0))
                    .string(Attr::Height, num(q)))
                .el(El::new("text")
                    .set(Attr::Class, "muted")
                    .string(Attr::X, num(x + w / 2.0))
                    .set(Attr::Y, "50")
                    .set(Attr::TextAnchor, "middle")
                    .set(Attr::FontSize, "8")
                    .text(s.name.trim_start_matches("web-").to_string())));
        }
        out = out.el(El::new("figure")
            .set(Attr::Class, "lane")
            .el(El::new("figcaption").text(format!("{}. {}", i + 1, m.strategy.label())))
            .el(svg));
    }
    out.html()
}

/// What the fault-injection buttons depend on for one server.
#[derive(Clone, PartialEq)]
struct ServerButtons {
    index: u32,
    name: String,
    running: bool,
    slowed: bool,
    errors: bool,
}

#[derive(Properties, PartialEq)]
struct ServerActionsProps {
    servers: Vec<ServerButtons>,
    act: Callback<BalancingAction>,
}

/// The buttons only change when a server's state does, so they are a component: Yew skips
/// it on frames where its props are equal.
#[component]
fn ServerActions(p: &ServerActionsProps) -> Html {
    let (servers, act) = (&p.servers, &p.act);
    let next_name = {
        let mut i = servers.len() + 1;
        while servers.iter().any(|s| s.name == format!("web-{i}")) {
            i += 1;
        }
        format!("web-{i}")
    };
    let button = |label: String, action: BalancingAction, class: &'static str| {
        let act = act.clone();
        ctl_button(
            class,
            label,
            Callback::from(move |_| act.emit(action.clone())),
        )
        .html()
    };
    let mut out = El::new("div")
        .set(Attr::Class, "actions")
        .set(Attr::Role, "group")
        .set(Attr::AriaLabel, "Fault injection");
    for s in servers {
        let server = s.index;
        out = out
            .child(if s.running {
                button(
                    format!("Kill {}", s.name),
                    BalancingAction::KillServer { server },
                    "danger",
                )
            } else {
                button(
                    format!("Revive {}", s.name),
                    BalancingAction::ReviveServer { server },
                    "",
                )
            })
            .child(if s.slowed {
                button(
                    format!("Normal speed {}", s.name),
                    BalancingAction::SetSlowdown {
                        server,
                        factor: 1.0,
                    },
                    "",
                )
            } else {
                button(
                    format!("Slow {} ×4", s.name),
                    BalancingAction::SetSlowdown {
                        server,
                        factor: 4.0,
                    },
                    "",
                )
            })
            .child(if s.errors {
                button(
                    format!("Stop errors {}", s.name),
                    BalancingAction::SetErrorRate { server, rate: 0.0 },
                    "",
                )
            } else {
                button(
                    format!("50% errors {}", s.name),
                    BalancingAction::SetErrorRate { server, rate: 0.5 },
                    "",
                )
            });
    }
    out = out.child(button(
        "Add server".into(),
        BalancingAction::AddServer {
            config: super::new_server(&next_name),
        },
        "",
    ));
    if servers.len() > 1 {
        out = out.child(button(
            "Remove last server".into(),
            BalancingAction::RemoveServer {
                server: servers.len() as u32 - 1,
            },
            "",
        ));
    }
    out.html()
}

fn stats(l: Option<&LaneMetrics>, m: &BalancerMetrics) -> Html {
    let Some(l) = l else {
        return Html::default();
    };
    let mut grid = El::new("div")
        .set(Attr::Class, "stat-grid")
        .set(Attr::AriaLabel, "Live figures for the first lane");
    for (k, v) in [
        ("p50 (live)", ms(l.recent_latency.p50)),
        ("p95 (live)", ms(l.recent_latency.p95)),
        ("p99 (live)", ms(l.recent_latency.p99)),
        ("throughput", format!("{}/s", fixed(m.recent_throughput, 0))),
        ("dropped", l.dropped.to_string()),
        ("failed", l.failed.to_string()),
        ("in flight", l.in_flight.to_string()),
    ] {
        grid = grid.el(El::new("div")
            .set(Attr::Class, "stat")
            .el(El::new("span").set(Attr::Class, "k").text(k))
            .el(El::new("span").set(Attr::Class, "v").text(v)));
    }
    grid.html()
}

/// One chart: a single `html!` component expansion shared by the three.
fn chart(title: &'static str, rows: Rc<Vec<(f64, Vec<f64>)>>, lines: Vec<Line>) -> Html {
    html! { <Chart {title} {rows} {lines} /> }
}

pub fn view(v: SceneView<'_, BalancingScene>) -> Html {
    let race = v.model;
    let Some(first) = race.lane(0) else {
        return El::new("p").text("No lanes.").html();
    };
    // One metrics snapshot per frame: a single lane's summary is taken from it rather than
    // computed again by `lane_metrics`.
    let m = first.metrics();
    let is_race = race.is_race();
    let lanes = if is_race {
        race.lane_metrics()
    } else {
        vec![LaneMetrics::of(0, &m)]
    };
    let rows = v.series.clone();
    let buttons: Vec<ServerButtons> = m
        .servers
        .iter()
        .map(|s| ServerButtons {
            index: s.index,
            name: s.name.clone(),
            running: s.running,
            slowed: s.slowdown > 1.0,
            errors: s.error_rate > 0.0,
        })
        .collect();
    let first_chart = if is_race {
        let lines = lanes
            .iter()
            .filter_map(|l| {
                Some(Line {
                    column: BalancingModel::lane_p99_column(l.lane)?,
                    label: format!("{}. {}", l.lane + 1, l.strategy.label()).into(),
                })
            })
            .collect();
        chart("Live p99 latency per lane (ms)", rows.clone(), lines)
    } else {
        chart(
            "Live latency percentiles (ms)",
            rows.clone(),
            vec![
                Line {
                    column: BalancingModel::COL_P50_MS,
                    label: "p50".into(),
                },
                Line {
                    column: BalancingModel::COL_P95_MS,
                    label: "p95".into(),
                },
                Line {
                    column: BalancingModel::COL_P99_MS,
                    label: "p99".into(),
                },
            ],
        )
    };
    let mut out = El::new("div")
        .set(Attr::Class, "balancing")
        .child(stats(lanes.first(), &m));
    out = if is_race {
        out.child(race_board(&lanes)).child(lane_strips(race))
    } else {
        out.child(single_drawing(&v, &m, race))
    };
    out.child(html! { <ServerActions servers={buttons} act={v.act.clone()} /> })
        .el(El::new("div")
            .set(Attr::Class, "charts")
            .child(first_chart)
            .child(chart(
                "Throughput (requests/s)",
                rows,
                vec![Line {
                    column: BalancingModel::COL_THROUGHPUT_RPS,
                    label: "completed per second".into(),
                }],
            )))
        .html()
}
