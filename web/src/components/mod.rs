//! Components shared by every scene.

pub mod chart;
pub mod controls;
pub mod explain;
pub mod help;
pub mod inspector;
pub mod memo;
pub mod narration;
pub mod notices;
pub mod select;
pub mod settings;
pub mod stat;
pub mod svg;
