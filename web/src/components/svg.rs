//! A small builder for the drawings' SVG elements.
//!
//! Why not `html!`: the macro expands every element in place (its attribute array, the tag,
//! the children list), so a drawing with fifty shapes carried fifty copies of that code, about
//! 650 bytes of wasm each. Here each element is a few calls into one shared, non-generic
//! copy. The DOM is the same: same tags, attributes, values and text.

use crate::fixed::coord;
use yew::html::IntoPropValue;
use yew::virtual_dom::{VNode, VTag};
use yew::{AttrValue, Html};

/// One element being built: `El::new("rect").num("x", x).set("rx", "4").html()`.
pub struct El(VTag);

impl El {
    pub fn new(tag: &'static str) -> El {
        El(VTag::new(AttrValue::Static(tag)))
    }

    /// A fixed attribute.
    pub fn set(mut self, key: &'static str, value: &'static str) -> El {
        self.0.add_attribute(key, AttrValue::Static(value));
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
        self.0.add_attribute(key, value);
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
        self.0.add_child(child);
        self
    }

    /// A child as `html!` takes one: an element, or anything displayable (as text).
    pub fn kid(self, child: impl Into<Html>) -> El {
        self.child(child.into())
    }

    /// Text content.
    pub fn text(self, text: impl Into<AttrValue>) -> El {
        self.child(VNode::from(yew::virtual_dom::VText::new(text)))
    }

    pub fn html(self) -> Html {
        VNode::from(self.0)
    }
}
