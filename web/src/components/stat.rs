//! One figure of a scene's live figures (`stat-grid`): its name and value.

use super::svg::{Attr, El};
use yew::Html;

/// A figure; `style` marks one that should be zero and is not.
pub fn figure(k: &'static str, v: String, style: Option<&'static str>) -> Html {
    El::new("div")
        .set(Attr::Class, "stat")
        .opt(Attr::Style, style)
        .el(El::new("span").set(Attr::Class, "k").text(k))
        .el(El::new("span").set(Attr::Class, "v").text(v))
        .html()
}

/// A plain figure.
pub fn stat(k: &'static str, v: String) -> Html {
    figure(k, v, None)
}
