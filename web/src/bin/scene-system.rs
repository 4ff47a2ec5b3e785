//! The system scene's bundle.
fn main() {
    scalelab_web::entry::start(
        scalelab_web::app::mount_one::<scalelab_web::scenes::system::SystemScene>,
        scalelab_web::app::start_link,
    );
}
