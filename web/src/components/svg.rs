//! A small builder for the drawings' and panels' leaf elements.
//!
//! Why not `html!`: the macro expands every element in place (its attribute array, the tag,
//! the children list), so a drawing with fifty shapes carried fifty copies of that code, about
//! 650 bytes of wasm each. Here each element is a few calls into one shared, non-generic
//! copy. The DOM is the same: same tags, attributes, values and text.
//!
//! Attributes go in one slot per [`Attr`], as yew's positional
//! `Attributes::Dynamic` (what `html!` makes): diffed slot by slot on a redraw, with no
//! hashing, and without linking yew's attribute map insertion.

use crate::fixed::coord;
use std::rc::Rc;
use yew::html::IntoPropValue;
use yew::virtual_dom::{AttributeOrProperty, Attributes, Key, VList, VNode, VTag};
use yew::{AttrValue, Callback, Html, MouseEvent};

/// Every attribute the builder can set. A key is a variant, not a string, so an attribute
/// the builder has no slot for does not compile (rather than being left out of the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    Class,
    X,
    Y,
    Style,
    Width,
    Height,
    FontSize,
    Scope,
    TextAnchor,
    Fill,
    FontWeight,
    Rx,
    Stroke,
    StrokeWidth,
    Opacity,
    AriaLabel,
    X1,
    Y1,
    X2,
    Y2,
    Cx,
    Cy,
    R,
    StrokeDasharray,
    ViewBox,
    Role,
    AriaHidden,
    Id,
    D,
    DataReason,
    Transform,
    MarkerEnd,
    RefX,
    RefY,
    MarkerWidth,
    MarkerHeight,
    Orient,
    Points,
    Title,
    DataFlash,
    DataKey,
    Value,
    DataShard,
    DataUnreadable,
    DataStale,
    AriaLive,
    For,
    DataServer,
    DataEligible,
    FontFamily,
    DataLane,
    DataSlot,
    FillOpacity,
    Max,
    DataKeys,
    Colspan,
    DataQuery,
    AriaLabelledby,
    DataScene,
    Href,
    AriaCurrent,
    DataId,
    DataState,
    DataGathered,
    DataRouter,
    Type,
    Disabled,
    AriaPressed,
    PreserveAspectRatio,
    Tabindex,
    DataFocusable,
    DataFocused,
}

/// The attribute names, in [`Attr`]'s order: slot `i` of an element holds `KEYS[i]`.
const KEYS: &[&str] = &[
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
    "preserveAspectRatio",
    "tabindex",
    "data-focusable",
    "data-focused",
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

    fn put(&mut self, key: Attr, value: AttrValue) {
        if let Some(slot) = self.0.values.get_mut(key as usize) {
            *slot = Some(AttributeOrProperty::Attribute(value));
        }
    }

    /// A fixed attribute.
    pub fn set(mut self, key: Attr, value: &'static str) -> El {
        self.put(key, AttrValue::Static(value));
        self
    }

    /// An attribute as `html!` takes it: a value, or an `Option` that leaves it out when `None`.
    /// Generic, but over the few value types the drawings use, not per element.
    pub fn a(self, key: Attr, value: impl IntoPropValue<Option<AttrValue>>) -> El {
        match value.into_prop_value() {
            Some(v) => self.val(key, v),
            None => self,
        }
    }

    /// A computed attribute.
    pub fn val(mut self, key: Attr, value: AttrValue) -> El {
        self.put(key, value);
        self
    }

    /// A computed text attribute (a label, a style with a colour in it).
    pub fn string(self, key: Attr, value: String) -> El {
        self.val(key, AttrValue::from(value))
    }

    /// An attribute that is there only sometimes, as `html!` leaves out a `None`.
    pub fn opt(self, key: Attr, value: Option<&'static str>) -> El {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    /// A coordinate or length in viewBox units, written in tenths.
    pub fn num(self, key: Attr, v: f64) -> El {
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

    /// A child that is drawn only sometimes. When it is absent an empty fragment holds its
    /// place, so the element's other children keep theirs.
    ///
    /// Yew redraws a child list by pairing the new children with the old from the end of the
    /// list. If a child came or went, every child before it would be paired with a
    /// neighbour's old node and patched into that node, or rebuilt. A drawing that plays did
    /// this on most frames (caching: about 30 L2 cells rebuilt per frame).
    pub fn maybe(self, child: Option<El>) -> El {
        self.child(child.map_or_else(Html::default, El::html))
    }

    /// Children whose number changes from frame to frame (cells, moving dots, leaving
    /// ghosts, rings), as one fragment that takes one place among this element's children.
    /// Each child is keyed by its index in `children`, so child `i` is patched onto last
    /// frame's child `i` however many come or go around it (see [`El::maybe`]); an empty
    /// child (`Html::default()`) holds index `i` with nothing drawn.
    pub fn list(self, children: Vec<Html>) -> El {
        let keyed = children
            .into_iter()
            .enumerate()
            .filter_map(|(i, child)| {
                let key = Some(Key::from(i as u32));
                match child {
                    VNode::VList(l) if l.is_empty() => None,
                    VNode::VTag(mut tag) => {
                        Rc::make_mut(&mut tag).key = key;
                        Some(VNode::VTag(tag))
                    }
                    other => Some(VNode::VList(Rc::new(VList::with_children(
                        vec![other],
                        key,
                    )))),
                }
            })
            .collect();
        self.child(VNode::VList(Rc::new(VList::with_children(keyed, None))))
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
            .set(Attr::Id, id)
            .set(Attr::ViewBox, "0 0 10 10")
            .set(Attr::RefX, "9")
            .set(Attr::RefY, "5")
            .set(Attr::MarkerWidth, "6")
            .set(Attr::MarkerHeight, "6")
            .set(Attr::Orient, "auto-start-reverse")
            .el(El::new("path")
                .set(Attr::D, "M 0 0 L 10 5 L 0 10 z")
                .set(Attr::Fill, fill)))
        .html()
}

/// The layer of what passes over a drawing (moving dots, fading rings, leaving ghosts): an
/// `svg.marks` with the drawing's `view_box`, laid exactly over it in a `.drawing-stack`
/// (`web/style.css`) on its own compositor layer. It changes on every frame while its marks
/// move; the drawing under it only when the model does, so most frames repaint this layer
/// alone. Decorative: what the marks show is told by the narration and the live figures.
pub fn marks_layer(view_box: String) -> El {
    El::new("svg")
        .set(Attr::Class, "drawing marks")
        .string(Attr::ViewBox, view_box)
        .set(Attr::AriaHidden, "true")
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
        .set(Attr::Type, "button")
        .val(Attr::Class, class)
        .on_click(onclick)
        .text(label)
}

#[cfg(test)]
mod tests {
    use super::{Attr, El, KEYS};
    use yew::virtual_dom::VNode;
    use yew::Html;

    /// The children of the one fragment `el` holds.
    fn fragment(el: El) -> Vec<VNode> {
        let VNode::VTag(tag) = el.html() else {
            panic!("an element");
        };
        let VNode::VList(list) = tag.children().cloned().unwrap_or_default() else {
            panic!("a child list");
        };
        let [VNode::VList(inner)] = list.as_slice() else {
            panic!("one fragment");
        };
        inner.to_vec()
    }

    /// A list keeps each drawn child's index as its key and leaves empty places out, so a
    /// child keeps its key however many come or go before it.
    #[test]
    fn a_list_keys_each_child_by_its_index() {
        let children = vec![
            El::new("circle").html(),
            Html::default(),
            El::new("rect").html(),
        ];
        let keys: Vec<String> = fragment(El::new("g").list(children))
            .iter()
            .map(|c| match c {
                VNode::VTag(t) => t.key.as_ref().map(|k| k.to_string()).unwrap_or_default(),
                _ => String::from("?"),
            })
            .collect();
        assert_eq!(keys, ["0", "2"]);
    }

    /// An absent optional child still takes its place, so the children after it keep theirs.
    #[test]
    fn an_absent_child_keeps_its_place() {
        let count = |el: El| match el.html() {
            VNode::VTag(t) => t.children().map_or(0, |c| match c {
                VNode::VList(l) => l.len(),
                _ => 1,
            }),
            _ => 0,
        };
        let with = El::new("g")
            .maybe(Some(El::new("text")))
            .el(El::new("rect"));
        let without = El::new("g").maybe(None).el(El::new("rect"));
        assert_eq!(count(with), count(without));
    }

    /// Each variant's slot holds its own name: the variant spelled in kebab case (or the
    /// SVG's own camel case, as `viewBox`).
    #[test]
    fn every_key_is_its_variants_name() {
        for (i, name) in KEYS.iter().enumerate() {
            let variant = format!("{:?}", ALL[i]);
            let spelled: String = name
                .split('-')
                .map(|p| p[..1].to_ascii_uppercase() + &p[1..])
                .collect();
            assert_eq!(variant, spelled, "slot {i}");
            assert_eq!(ALL[i] as usize, i);
        }
        assert_eq!(ALL.len(), KEYS.len());
    }

    const ALL: &[Attr] = &[
        Attr::Class,
        Attr::X,
        Attr::Y,
        Attr::Style,
        Attr::Width,
        Attr::Height,
        Attr::FontSize,
        Attr::Scope,
        Attr::TextAnchor,
        Attr::Fill,
        Attr::FontWeight,
        Attr::Rx,
        Attr::Stroke,
        Attr::StrokeWidth,
        Attr::Opacity,
        Attr::AriaLabel,
        Attr::X1,
        Attr::Y1,
        Attr::X2,
        Attr::Y2,
        Attr::Cx,
        Attr::Cy,
        Attr::R,
        Attr::StrokeDasharray,
        Attr::ViewBox,
        Attr::Role,
        Attr::AriaHidden,
        Attr::Id,
        Attr::D,
        Attr::DataReason,
        Attr::Transform,
        Attr::MarkerEnd,
        Attr::RefX,
        Attr::RefY,
        Attr::MarkerWidth,
        Attr::MarkerHeight,
        Attr::Orient,
        Attr::Points,
        Attr::Title,
        Attr::DataFlash,
        Attr::DataKey,
        Attr::Value,
        Attr::DataShard,
        Attr::DataUnreadable,
        Attr::DataStale,
        Attr::AriaLive,
        Attr::For,
        Attr::DataServer,
        Attr::DataEligible,
        Attr::FontFamily,
        Attr::DataLane,
        Attr::DataSlot,
        Attr::FillOpacity,
        Attr::Max,
        Attr::DataKeys,
        Attr::Colspan,
        Attr::DataQuery,
        Attr::AriaLabelledby,
        Attr::DataScene,
        Attr::Href,
        Attr::AriaCurrent,
        Attr::DataId,
        Attr::DataState,
        Attr::DataGathered,
        Attr::DataRouter,
        Attr::Type,
        Attr::Disabled,
        Attr::AriaPressed,
        Attr::PreserveAspectRatio,
        Attr::Tabindex,
        Attr::DataFocusable,
        Attr::DataFocused,
    ];
}
