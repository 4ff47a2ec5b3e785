//! The playground's entry point: mounts the app into `<body>`.

fn main() {
    #[cfg(target_arch = "wasm32")]
    yew::Renderer::<scalelab_web::App>::new().render();
}
