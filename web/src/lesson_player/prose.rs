//! A lesson's prose drawn as elements from its Markdown tree ([`crate::lesson::markdown`]):
//! text is always text, never markup.

use crate::lesson::markdown::{self, Block, Inline};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProseProps {
    /// The Markdown (checked when the lesson was read).
    pub text: AttrValue,
}

#[component]
pub fn Prose(p: &ProseProps) -> Html {
    let blocks = use_memo(p.text.clone(), |t| markdown::parse(t).unwrap_or_default());
    html! { <div class="prose">{ blocks_html(&blocks) }</div> }
}

/// The words alone (for a choice's label or a status line).
pub fn inline_only(text: &str) -> Html {
    match markdown::parse(text).as_deref() {
        Ok([Block::Paragraph(runs)]) => runs_html(runs),
        Ok(blocks) => blocks_html(blocks),
        Err(_) => html! { { text.to_string() } },
    }
}

fn blocks_html(blocks: &[Block]) -> Html {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(runs) => html! { <p>{ runs_html(runs) }</p> },
            Block::Code(code) => html! { <pre><code>{ code.clone() }</code></pre> },
            Block::List { ordered, items } => {
                let items = items
                    .iter()
                    .map(|item| html! { <li>{ blocks_html(item) }</li> });
                if *ordered {
                    html! { <ol>{ for items }</ol> }
                } else {
                    html! { <ul>{ for items }</ul> }
                }
            }
        })
        .collect()
}

fn runs_html(runs: &[Inline]) -> Html {
    runs.iter()
        .map(|r| match r {
            Inline::Text(t) => html! { { t.clone() } },
            Inline::Code(t) => html! { <code>{ t.clone() }</code> },
            Inline::Emphasis(r) => html! { <em>{ runs_html(r) }</em> },
            Inline::Strong(r) => html! { <strong>{ runs_html(r) }</strong> },
            Inline::Link { href, text } => {
                // Another site opens beside the lesson; a link within this one replaces it.
                let external = href.starts_with("http");
                html! {
                    <a href={href.clone()}
                       target={external.then_some("_blank")}
                       rel={external.then_some("noopener noreferrer")}>{ runs_html(text) }</a>
                }
            }
            Inline::Break => html! { <br /> },
        })
        .collect()
}
