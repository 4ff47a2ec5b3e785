//! The Markdown a lesson's prose may use, read with `pulldown-cmark` into a small tree the
//! panel draws as elements: paragraphs, lists, code, emphasis and links. Nothing else is
//! accepted — no raw HTML, images, headings, quotes or tables — so no text in a lesson file
//! ever reaches the page as markup, and an author's mistake is named instead of shown.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Deepest nesting of lists and inline styles a text may use.
pub const MAX_DEPTH: usize = 6;

/// A block of prose.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A list; each item is blocks of its own.
    List {
        /// Numbered (`1.`) rather than bulleted.
        ordered: bool,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// A fenced or indented code block, verbatim.
    Code(String),
}

/// A run of text within a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// `code`.
    Code(String),
    /// *emphasis*.
    Emphasis(Vec<Inline>),
    /// **strong**.
    Strong(Vec<Inline>),
    /// A link: its address (checked by [`safe_href`]) and its text.
    Link {
        /// Where it goes.
        href: String,
        /// What it reads.
        text: Vec<Inline>,
    },
    /// A line break.
    Break,
}

/// What is being built: the open containers, innermost last.
enum Open {
    /// The text's top level or a list item: blocks.
    Blocks(Vec<Block>),
    /// A paragraph (explicit, or the loose text of a tight list item).
    Paragraph(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Link(String, Vec<Inline>),
    List(bool, Vec<Vec<Block>>),
    Code(String),
}

/// Reads `text` into blocks, or names every construct it may not use.
pub fn parse(text: &str) -> Result<Vec<Block>, Vec<String>> {
    let mut problems = Vec::new();
    let mut stack = vec![Open::Blocks(Vec::new())];
    for event in Parser::new(text) {
        if stack.len() > MAX_DEPTH + 1 {
            problems.push(format!("lists and styles nest more than {MAX_DEPTH} deep"));
            break;
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => stack.push(Open::Paragraph(Vec::new())),
                Tag::Emphasis => open_inline(&mut stack, Open::Emphasis(Vec::new())),
                Tag::Strong => open_inline(&mut stack, Open::Strong(Vec::new())),
                Tag::Link { dest_url, .. } => {
                    if !safe_href(&dest_url) {
                        problems.push(format!("the link to {dest_url:?} is not allowed: links go to http(s) addresses or to this site (a relative path, ?query or #anchor)"));
                    }
                    open_inline(&mut stack, Open::Link(dest_url.to_string(), Vec::new()));
                }
                Tag::List(start) => {
                    close_loose_paragraph(&mut stack);
                    stack.push(Open::List(start.is_some(), Vec::new()));
                }
                Tag::Item => stack.push(Open::Blocks(Vec::new())),
                Tag::CodeBlock(_) => stack.push(Open::Code(String::new())),
                other => {
                    problems.push(format!("{} are not allowed in lesson text (only paragraphs, lists, code, emphasis and links)", name_of(&other)));
                    // Read on as a paragraph so later problems are found too.
                    stack.push(Open::Paragraph(Vec::new()));
                }
            },
            Event::End(end) => close(&mut stack, end),
            Event::Text(t) => push_text(&mut stack, Inline::Text(t.to_string())),
            Event::Code(t) => push_text(&mut stack, Inline::Code(t.to_string())),
            Event::SoftBreak => push_text(&mut stack, Inline::Text(" ".into())),
            Event::HardBreak => push_text(&mut stack, Inline::Break),
            Event::Html(h) | Event::InlineHtml(h) => {
                problems.push(format!(
                    "raw HTML is not allowed in lesson text: {:?}",
                    h.trim()
                ));
            }
            Event::Rule => problems.push("horizontal rules are not allowed in lesson text".into()),
            other => problems.push(format!("{other:?} is not allowed in lesson text")),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    while stack.len() > 1 {
        close(&mut stack, TagEnd::Paragraph);
    }
    match stack.pop() {
        Some(Open::Blocks(blocks)) => Ok(blocks),
        _ => Ok(Vec::new()),
    }
}

/// Whether a link may go to `href`: an http(s) address, or a place on this site (a relative
/// path, a `?query` or a `#anchor`) — never `javascript:`, `data:` or any other scheme.
pub fn safe_href(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return true;
    }
    if lower.starts_with("//") || lower.is_empty() {
        return false;
    }
    // A scheme is letters before the first colon that comes before any / ? #.
    let first_stop = lower.find(['/', '?', '#']).unwrap_or(lower.len());
    !lower
        .get(..first_stop)
        .is_some_and(|head| head.contains(':'))
}

/// A plain name for a construct that is refused.
fn name_of(tag: &Tag<'_>) -> &'static str {
    match tag {
        Tag::Heading { .. } => "headings",
        Tag::BlockQuote(_) => "block quotes",
        Tag::Image { .. } => "images",
        Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell => "tables",
        Tag::HtmlBlock => "raw HTML blocks",
        Tag::FootnoteDefinition(_) => "footnotes",
        Tag::Strikethrough => "strikethrough",
        _ => "these constructs",
    }
}

/// Opens an inline container, first opening a paragraph if text sits loose in a list item.
fn open_inline(stack: &mut Vec<Open>, open: Open) {
    if matches!(stack.last(), Some(Open::Blocks(_))) {
        stack.push(Open::Paragraph(Vec::new()));
    }
    stack.push(open);
}

/// Adds a run of text to the innermost container that holds text.
fn push_text(stack: &mut Vec<Open>, inline: Inline) {
    if let Some(Open::Code(code)) = stack.last_mut() {
        if let Inline::Text(t) = &inline {
            code.push_str(t);
        }
        return;
    }
    if matches!(stack.last(), Some(Open::Blocks(_))) {
        stack.push(Open::Paragraph(Vec::new()));
    }
    if let Some(
        Open::Paragraph(runs) | Open::Emphasis(runs) | Open::Strong(runs) | Open::Link(_, runs),
    ) = stack.last_mut()
    {
        runs.push(inline);
    }
}

/// Ends the loose paragraph of a tight list item before a nested list starts.
fn close_loose_paragraph(stack: &mut Vec<Open>) {
    if matches!(stack.last(), Some(Open::Paragraph(_))) {
        close(stack, TagEnd::Paragraph);
    }
}

/// Closes the innermost container and hands what it built to the one around it. A list item
/// ending also closes the loose paragraph inside it.
fn close(stack: &mut Vec<Open>, end: TagEnd) {
    if matches!(end, TagEnd::Item) {
        close_loose_paragraph(stack);
    }
    let Some(done) = stack.pop() else { return };
    if stack.is_empty() {
        // The top level never closes.
        stack.push(done);
        return;
    }
    match done {
        Open::Paragraph(runs) => push_block(stack, Block::Paragraph(runs)),
        Open::Code(code) => push_block(stack, Block::Code(code)),
        Open::List(ordered, items) => push_block(stack, Block::List { ordered, items }),
        Open::Emphasis(runs) => push_text(stack, Inline::Emphasis(runs)),
        Open::Strong(runs) => push_text(stack, Inline::Strong(runs)),
        Open::Link(href, text) => push_text(stack, Inline::Link { href, text }),
        Open::Blocks(blocks) => {
            if let Some(Open::List(_, items)) = stack.last_mut() {
                items.push(blocks);
            }
        }
    }
}

/// Adds a finished block to the innermost container of blocks.
fn push_block(stack: &mut [Open], block: Block) {
    if let Some(Open::Blocks(blocks)) = stack.last_mut() {
        blocks.push(block);
    }
}

/// The words of `blocks`, without markup: what a screen reader's summary or a test reads.
pub fn plain_text(blocks: &[Block]) -> String {
    fn inlines(runs: &[Inline], out: &mut String) {
        for run in runs {
            match run {
                Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                Inline::Emphasis(r) | Inline::Strong(r) | Inline::Link { text: r, .. } => {
                    inlines(r, out)
                }
                Inline::Break => out.push(' '),
            }
        }
    }
    let mut out = String::new();
    for block in blocks {
        if !out.is_empty() {
            out.push(' ');
        }
        match block {
            Block::Paragraph(runs) => inlines(runs, &mut out),
            Block::Code(code) => out.push_str(code.trim_end()),
            Block::List { items, .. } => {
                for item in items {
                    out.push_str(&plain_text(item));
                    out.push(' ');
                }
            }
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_allowed_subset() {
        let blocks = parse("Round robin is *fair* to `servers`, **not** to [work](?scene=balancing).\n\n- one\n- two\n\n1. first").expect("valid");
        assert_eq!(blocks.len(), 3);
        let Some(Block::Paragraph(runs)) = blocks.first() else {
            panic!("{blocks:?}")
        };
        assert!(runs.contains(&Inline::Code("servers".into())));
        assert!(runs
            .iter()
            .any(|r| matches!(r, Inline::Link { href, .. } if href == "?scene=balancing")));
        assert!(
            matches!(blocks.get(1), Some(Block::List { ordered: false, items }) if items.len() == 2)
        );
        assert!(matches!(
            blocks.get(2),
            Some(Block::List { ordered: true, .. })
        ));
        assert_eq!(
            plain_text(&blocks),
            "Round robin is fair to servers, not to work. one two  first"
        );
    }

    #[test]
    fn names_every_refused_construct() {
        let problems = parse("# Title\n\n<script>alert(1)</script>\n\n![x](a.png) and <b>bold</b> [x](javascript:alert(1))").expect_err("refused");
        let all = problems.join("\n");
        for expected in ["headings", "raw HTML", "images", "javascript:alert(1)"] {
            assert!(all.contains(expected), "{expected} missing from {all}");
        }
    }

    #[test]
    fn nested_lists_keep_their_items() {
        let blocks = parse("- a\n  - b\n  - c\n- d").expect("valid");
        let Some(Block::List { items, .. }) = blocks.first() else {
            panic!("{blocks:?}")
        };
        assert_eq!(items.len(), 2);
        assert!(items.first().is_some_and(|i| i
            .iter()
            .any(|b| matches!(b, Block::List { items, .. } if items.len() == 2))));
    }

    #[test]
    fn only_safe_links() {
        for ok in [
            "https://a.org/x",
            "?scene=caching",
            "#top",
            "lessons/a.json",
            "../x",
        ] {
            assert!(safe_href(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:x",
            "data:text/html,x",
            "//evil.org",
            "vbscript:x",
            "",
        ] {
            assert!(!safe_href(bad), "{bad}");
        }
    }
}
