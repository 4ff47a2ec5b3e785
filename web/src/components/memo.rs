//! A pure view redrawn only when its data changed: what a component with props and no hooks
//! does, as one component type for all of them. Each component type links its own copy of
//! Yew's lifecycle glue (its runners, props wrapper and comparison, about 2.3 KB each before
//! gzip); drawn through [`memo`], a view costs only its own code and a comparison.

use std::any::Any;
use std::rc::Rc;
use yew::prelude::*;

/// Data that draws itself. Equal data draws the same markup, so an equal value skips the redraw.
pub trait View: PartialEq + 'static {
    /// The markup for this data.
    fn view(&self) -> Html;
}

/// [`View`] behind a pointer: compared with another of any type, drawn without knowing its type.
trait AnyView {
    fn same(&self, other: &dyn Any) -> bool;
    fn as_any(&self) -> &dyn Any;
    fn draw(&self) -> Html;
}

impl<V: View> AnyView for V {
    fn same(&self, other: &dyn Any) -> bool {
        other.downcast_ref::<V>().is_some_and(|o| o == self)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn draw(&self) -> Html {
        self.view()
    }
}

#[derive(Properties, Clone)]
struct MemoProps {
    data: Rc<dyn AnyView>,
}

impl PartialEq for MemoProps {
    fn eq(&self, other: &Self) -> bool {
        self.data.same(other.data.as_any())
    }
}

#[component]
fn Memo(p: &MemoProps) -> Html {
    p.data.draw()
}

/// `data`'s markup, redrawn only on a frame where it differs from the last frame's.
pub fn memo<V: View>(data: V) -> Html {
    let data: Rc<dyn AnyView> = Rc::new(data);
    html! { <Memo {data} /> }
}
