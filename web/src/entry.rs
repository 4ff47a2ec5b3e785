//! What each released bundle runs first: the panic panel, then the app with the one scene the
//! bundle carries. The loader (inline in `index.html`) picks the bundle from the link's
//! `scene=`, so a student opening the caching scene never downloads the balancing scene's
//! code.

use crate::app::{App, AppProps, Mount, MountFn, StartPage};

/// Mounts the app into `<body>`, able to show only what `mount` builds, and `start_page`
/// when the link names no scene it builds.
pub fn start(mount: Mount, start_page: StartPage) {
    crate::panic::install_hook();
    yew::Renderer::<App>::with_props(AppProps {
        query: None,
        mount: MountFn(mount, start_page),
    })
    .render();
}
