//! The playground's entry point: an error panel for panics, then the app into `<body>`.

fn main() {
    scalelab_web::panic::install_hook();
    yew::Renderer::<scalelab_web::App>::new().render();
}
