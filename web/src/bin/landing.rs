//! The landing page's bundle: the site and the scene list, no simulation.
fn main() {
    scalelab_web::entry::start(scalelab_web::app::mount_none, scalelab_web::app::landing);
}
