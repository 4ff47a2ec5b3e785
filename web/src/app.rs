//! The page: reads the link once, then shows the landing page or one scene — with the site
//! chrome, or alone in embed mode.
//!
//! Which scenes a page can show is decided by whoever mounts it: each released bundle mounts
//! only its own scene (see `entry`), so a page downloads one scene's code, not all four.

use crate::browser;
use crate::components::notices::notices;
use crate::lesson::catalogue::LESSONS;
use crate::scene_player::ScenePlayer;
use crate::scenes::{with_scene, Scene, SceneFn, SceneId};
use crate::url_state::{parse_query, UrlState};
use yew::prelude::*;

/// Builds the view of the scene a link asks for, or `None` when this bundle lacks it. The
/// last argument is the link itself: the scene is keyed by it, so a lesson opening another
/// state of the same scene starts the player afresh from that state.
pub type Mount = fn(SceneId, &UrlState, &[String], &str) -> Option<Html>;
/// What the page shows when it mounts no scene, given the link's problems: the landing page in
/// its own bundle; in a scene's bundle (reached only when the loader and the link parser
/// disagree, say past the link's parameter limit) a pointer to it, so scene bundles do not
/// carry the landing page.
pub type StartPage = fn(&[String]) -> Html;

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// The query string to start from; `None` reads the browser's location.
    #[prop_or_default]
    pub query: Option<String>,
    /// The scenes this page can mount. A bundle names only its own scene here, so the others'
    /// code is not linked into it.
    pub mount: MountFn,
}

/// A [`Mount`] and [`StartPage`] that compare by the page they stand for, not by function
/// address.
#[derive(Clone, Copy)]
pub struct MountFn(pub Mount, pub StartPage);

impl PartialEq for MountFn {
    /// The mount is fixed for the page's life (set once by the bundle's `main`), so two are
    /// always the same.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Mounts `S` when the link asks for it (one bundle, one scene).
pub fn mount_one<S: Scene>(
    id: SceneId,
    url: &UrlState,
    problems: &[String],
    key: &str,
) -> Option<Html> {
    (id == S::ID).then(|| {
        let key = key.to_string();
        let url = url.clone();
        let problems = problems.to_vec();
        html! { <ScenePlayer<S> {key} {url} {problems} /> }
    })
}

/// Mounts no scene: the landing page's bundle.
pub fn mount_none(_: SceneId, _: &UrlState, _: &[String], _: &str) -> Option<Html> {
    None
}

#[component]
pub fn App(props: &AppProps) -> Html {
    // The link on screen: read at the start, and again when the address changes under the
    // page (a lesson opening a step's state, or Back and Forward between them).
    let query = use_state(|| props.query.clone().unwrap_or_else(browser::query));
    {
        let query = query.clone();
        let follow = props.query.is_none();
        use_effect_with((), move |_| {
            let listener = browser::window().filter(|_| follow).map(|w| {
                gloo_events::EventListener::new(&w, "popstate", move |_| {
                    query.set(browser::query())
                })
            });
            move || drop(listener)
        });
    }
    let (url, problems) = {
        let (url, problems) = parse_query(&query);
        let problems: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        (url, problems)
    };
    let theme = use_state(|| url.theme.clone().or_else(browser::current_theme));
    {
        let theme = (*theme).clone();
        use_effect_with(theme, |t| browser::set_theme(t.as_deref()));
    }
    let scene = url
        .scene
        .and_then(|id| (props.mount.0)(id, &url, &problems, &query));
    // The room for a lesson's panel, which the lessons bundle draws into (the page carries no
    // lesson code): started once, when the link names a lesson.
    let slot = use_node_ref();
    {
        let slot = slot.clone();
        use_effect_with(url.lesson.is_some(), move |named| {
            if let Some(el) = slot.cast::<web_sys::Element>().filter(|_| *named) {
                browser::start_lesson(&el);
            }
        });
    }
    // With a lesson, the panel and the page side by side (or stacked, when narrow).
    let beside_lesson = |content: Html| -> Html {
        if url.lesson.is_some() {
            html! {
                <div class="with-lesson">
                    <aside class="lesson" aria-label="Lesson" ref={slot.clone()}></aside>
                    { content }
                </div>
            }
        } else {
            content
        }
    };
    if url.embed {
        let content = scene.unwrap_or_else(|| {
            html! {
                <>
                    { notices(&problems) }
                    <p>{ format!("This widget needs a scene: add scene=<name> to its link, where <name> is one of {}.", SceneId::names().join(", ")) }</p>
                </>
            }
        });
        return html! { <main class="embed">{ beside_lesson(content) }</main> };
    }
    let toggle_theme = {
        let theme = theme.clone();
        Callback::from(move |_| {
            let dark = match theme.as_deref() {
                Some("dark") => true,
                Some(_) => false,
                None => browser::system_prefers_dark(),
            };
            theme.set(Some(if dark { "light" } else { "dark" }.to_string()));
        })
    };
    let nav = SceneId::ALL.iter().map(|id| {
        let current = (url.scene == Some(*id)).then_some("page");
        html! { <a href={format!("?scene={}", id.name())} aria-current={current}>{ id.title() }</a> }
    });
    let main = scene.unwrap_or_else(|| (props.mount.1)(&problems));
    html! {
        <>
            <header class="site">
                <a class="brand" href="?">{ "Scalelab" }</a>
                <nav aria-label="Scenes">{ for nav }</nav>
                <button type="button" class="ctl theme-toggle" onclick={toggle_theme} title="Switch between light and dark themes">
                    <span aria-hidden="true">{ "◐" }</span><span class="ctl-label">{ "Theme" }</span>
                </button>
            </header>
            <main id="main">{ beside_lesson(main) }</main>
            <footer class="site">{ "Deterministic simulations in Rust, compiled to WebAssembly. Every view is a link: press L to copy it." }</footer>
        </>
    }
}

/// Mounts any scene (the component tests).
pub fn mount_all(id: SceneId, url: &UrlState, problems: &[String], key: &str) -> Option<Html> {
    struct Mount<'a>(&'a UrlState, &'a [String], &'a str);
    impl SceneFn for Mount<'_> {
        type Output = Option<Html>;
        fn call<S: Scene>(self) -> Option<Html> {
            mount_one::<S>(S::ID, self.0, self.1, self.2)
        }
    }
    with_scene(id, Mount(url, problems, key))
}

/// The landing page as a [`StartPage`].
pub fn landing(problems: &[String]) -> Html {
    let problems = problems.to_vec();
    html! { <Landing {problems} /> }
}

/// A scene bundle's [`StartPage`]: what was wrong with the link, and the way to the start page.
pub fn start_link(problems: &[String]) -> Html {
    html! {
        <div class="landing">
            { notices(problems) }
            <p>
                { "This link names no scene this page can show. " }
                <a href="?">{ "Open the start page" }</a>
                { " to choose one." }
            </p>
        </div>
    }
}

#[derive(Properties, PartialEq, Clone)]
struct LandingProps {
    problems: Vec<String>,
}

#[component]
fn Landing(p: &LandingProps) -> Html {
    let cards = SceneId::ALL.iter().map(|id| {
        html! {
            <li class="card">
                <h2><a href={format!("?scene={}", id.name())}>{ id.title() }</a></h2>
                <p>{ id.blurb() }</p>
            </li>
        }
    });
    html! {
        <div class="landing">
            { notices(&p.problems) }
            <h1>{ "Learn how systems scale by watching them" }</h1>
            <p class="lede">
                { "Simulations you can play, pause, step through and rewind. Each runs the reference algorithm by default and keeps the well-known tutorial mistake beside it as a " }
                <em>{ "naive" }</em>
                { " variant, so you can see the difference for yourself." }
            </p>
            <ul class="cards">{ for cards }</ul>
            <LessonList />
        </div>
    }
}

/// The built-in lessons, each a link that starts it, and a way to play one's own lesson file.
#[component]
fn LessonList() -> Html {
    let problems = use_state(Vec::<String>::new);
    let on_file = {
        let problems = problems.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            // Picking the same file again (after fixing it) must fire again.
            input.set_value("");
            let problems = problems.clone();
            browser::open_lesson_file(file, crate::lesson::format::MAX_FILE_BYTES, move |link| {
                match link {
                    Ok(query) => browser::navigate_to_query(&query),
                    Err(e) => problems.set(e.lines().map(String::from).collect()),
                }
            });
        })
    };
    let items = LESSONS.iter().map(|l| {
        let scene = SceneId::parse(l.scene).map_or(l.scene, |id| id.title());
        html! {
            <li>
                <h3><a href={format!("?lesson={}", l.id)}>{ l.title }</a></h3>
                <p>{ l.summary }</p>
                <p class="meta">{ format!("{scene} · {} steps", l.steps) }</p>
            </li>
        }
    });
    html! {
        <section id="lessons" aria-labelledby="lessons-title">
            <h2 id="lessons-title">{ "Guided lessons" }</h2>
            <p class="lede">{ "Each lesson sets up a situation, asks you to predict what will happen, then runs the simulation that answers. Your answers stay in this browser." }</p>
            <ul class="lessons-list">{ for items }</ul>
            <div class="lesson-import">
                <label class="ctl">
                    { "Open a lesson file…" }
                    <input type="file" accept=".json,application/json" class="visually-hidden" onchange={on_file} />
                </label>
                <span>{ "A lesson written as a JSON file (see the README's “Lessons”): it is checked, kept in this browser and played here." }</span>
            </div>
            if !problems.is_empty() {
                <div class="notices" role="alert">
                    { "That lesson file was refused:" }
                    <ul>{ for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
                </div>
            }
        </section>
    }
}
