//! A small builder for the drawings' and panels' leaf elements.
//!
//! Why not `html!`: the macro expands every element in place (its attribute array, the tag,
//! the children list), so a drawing with fifty shapes carried fifty copies of that code, about
//! 650 bytes of wasm each. Here each element is a few calls into one shared, non-generic
//! copy. The DOM is the same: same tags, attributes, values and text.
//!
//! Attributes go in one slot per name of [`KEYS`], as yew's positional
//! `Attributes::Dynamic` (what `html!` makes): diffed slot by slot on a redraw, with no
//! hashing, and without linking yew's attribute map insertion.

use crate::fixed::coord;
use std::rc::Rc;
use yew::html::IntoPropValue;
use yew::virtual_dom::{AttributeOrProperty, Attributes, VNode, VTag};
use yew::{AttrValue, Callback, Html, MouseEvent};

/// Every attribute name the builder can set (a test checks each one used is here; one
/// missing would be left out of the page).
pub const KEYS: &[&str] = &[
    "class",
    "x",
    "y",
    "style",
    "width",
    "height",
    "font-size",
    "scope",
    "text-anchor",
    "fill",
    "font-weight",
    "rx",
    "stroke",
    "stroke-width",
    "opacity",
    "aria-label",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "stroke-dasharray",
    "viewBox",
    "role",
    "aria-hidden",
    "id",
    "d",
    "data-reason",
    "transform",
    "marker-end",
    "refX",
    "refY",
    "markerWidth",
    "markerHeight",
    "orient",
    "points",
    "title",
    "data-flash",
    "data-key",
    "value",
    "data-shard",
    "data-unreadable",
    "data-stale",
    "aria-live",
    "for",
    "data-server",
    "data-eligible",
    "font-family",
    "data-lane",
    "data-slot",
    "fill-opacity",
    "max",
    "data-keys",
    "colspan",
    "data-query",
    "aria-labelledby",
    "data-scene",
    "href",
    "aria-current",
    "data-id",
    "data-state",
    "data-gathered",
    "data-router",
    "type",
    "disabled",
    "aria-pressed",
];

/// One element being built: `El::new("rect").num("x", x).set("rx", "4").html()`.
///
/// Boxed: each builder call takes and returns the element by value, and a pointer moves in a
/// register where the whole `VTag` would be copied in memory at every call site.
pub struct El(Box<Parts>);

struct Parts {
    tag: VTag,
    values: Box<[Option<AttributeOrProperty>]>,
}

impl El {
    pub fn new(tag: &'static str) -> El {
        El(Box::new(Parts {
            tag: VTag::new(AttrValue::Static(tag)),
            values: KEYS.iter().map(|_| None).collect(),
        }))
    }

    fn put(&mut self, key: &'static str, value: AttrValue) {
        let slot = KEYS
            .iter()
            .position(|k| *k == key)
            .and_then(|i| self.0.values.get_mut(i));
        if let Some(slot) = slot {
            *slot = Some(AttributeOrProperty::Attribute(value));
        }
    }

    /// A fixed attribute.
    pub fn set(mut self, key: &'static str, value: &'static str) -> El {
        self.put(key, AttrValue::Static(value));
        self
    }

    /// An attribute as `html!` takes it: a value, or an `Option` that leaves it out when `None`.
    /// Generic, but over the few value types the drawings use, not per element.
    pub fn a(self, key: &'static str, value: impl IntoPropValue<Option<AttrValue>>) -> El {
        match value.into_prop_value() {
            Some(v) => self.val(key, v),
            None => self,
        }
    }

    /// A computed attribute.
    pub fn val(mut self, key: &'static str, value: AttrValue) -> El {
        self.put(key, value);
        self
    }

    /// A computed text attribute (a label, a style with a colour in it).
    pub fn string(self, key: &'static str, value: String) -> El {
        self.val(key, AttrValue::from(value))
    }

    /// An attribute that is there only sometimes, as `html!` leaves out a `None`.
    pub fn opt(self, key: &'static str, value: Option<&'static str>) -> El {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    /// A coordinate or length in viewBox units, written in tenths.
    pub fn num(self, key: &'static str, v: f64) -> El {
        self.val(key, coord(v))
    }

    /// A child element or text.
    pub fn child(mut self, child: Html) -> El {
        self.0.tag.add_child(child);
        self
    }

    /// A child element still being built (one call where `.child(el.html())` made two at
    /// every use).
    #[inline(never)]
    pub fn el(self, child: El) -> El {
        self.child(child.html())
    }

    /// A child as `html!` takes one: an element, or anything displayable (as text).
    pub fn kid(self, child: impl Into<Html>) -> El {
        self.child(child.into())
    }

    /// Text content.
    pub fn text(self, text: impl Into<AttrValue>) -> El {
        self.child(VNode::from(yew::virtual_dom::VText::new(text)))
    }

    /// A click handler: the listener `html!`'s `onclick` adds.
    pub fn on_click(mut self, onclick: Callback<MouseEvent>) -> El {
        self.0
            .tag
            .add_listener(Rc::new(yew::html::onclick::Wrapper::new(onclick)));
        self
    }

    pub fn html(self) -> Html {
        let Parts { mut tag, values } = *self.0;
        tag.set_attributes(Attributes::Dynamic { keys: KEYS, values });
        VNode::from(tag)
    }
}

/// An arrowhead marker in `defs`, for `marker-end="url(#id)"` (the caching and sharding
/// drawings' arrows).
pub fn arrow_defs(id: &'static str, fill: &'static str) -> Html {
    El::new("defs")
        .el(El::new("marker")
            .set("id", id)
            .set("viewBox", "0 0 10 10")
            .set("refX", "9")
            .set("refY", "5")
            .set("markerWidth", "6")
            .set("markerHeight", "6")
            .set("orient", "auto-start-reverse")
            .el(El::new("path")
                .set("d", "M 0 0 L 10 5 L 0 10 z")
                .set("fill", fill)))
        .html()
}

/// A scene's action button, `<button type="button" class="ctl …">`, calling `onclick`. Its
/// class is plain text: a class list built by `classes!` (or `class={…}` in `html!`) would
/// link yew's `Classes` set into the page for a handful of fixed names.
pub fn ctl_button(
    extra_class: &'static str,
    label: impl Into<AttrValue>,
    onclick: Callback<MouseEvent>,
) -> El {
    let class = if extra_class.is_empty() {
        AttrValue::Static("ctl")
    } else {
        AttrValue::from(format!("ctl {extra_class}"))
    };
    El::new("button")
        .set("type", "button")
        .val("class", class)
        .on_click(onclick)
        .text(label)
}

#[cfg(test)]
mod tests {
    use super::KEYS;

    /// The sources that build elements with `El`, read as text.
    const SOURCES: &[&str] = &[
        include_str!("chart.rs"),
        include_str!("controls.rs"),
        include_str!("help.rs"),
        include_str!("notices.rs"),
        include_str!("settings.rs"),
        include_str!("../scenes/balancing/drawing.rs"),
        include_str!("../scenes/caching/drawing.rs"),
        include_str!("../scenes/caching/panels.rs"),
        include_str!("../scenes/scaling/drawing.rs"),
        include_str!("../scenes/sharding/drawing.rs"),
        include_str!("../scenes/sharding/moves.rs"),
        include_str!("../scenes/sharding/query.rs"),
        include_str!("../scene_player.rs"),
        include_str!("../app.rs"),
    ];

    #[test]
    fn every_attribute_set_has_a_slot() {
        let mut seen = 0;
        for src in SOURCES {
            for method in [".set(", ".num(", ".a(", ".val(", ".string(", ".opt("] {
                for (at, _) in src.match_indices(method) {
                    let rest = src[at + method.len()..].trim_start();
                    let Some(name) = rest.strip_prefix('"').and_then(|r| r.split('"').next())
                    else {
                        continue;
                    };
                    seen += 1;
                    assert!(KEYS.contains(&name), "attribute {name} has no slot in KEYS");
                }
            }
        }
        assert!(
            seen > 300,
            "only {seen} attributes found: is the scan still right?"
        );
    }

    #[test]
    fn the_files_using_el_are_all_scanned() {
        for src in SOURCES {
            assert!(src.contains("El::new"));
        }
    }
}
