//! Commands from the page that embeds Scalelab in an `<iframe>` (a course page driving the
//! scene from its own buttons), sent with `postMessage`.
//!
//! # The accepted messages
//!
//! A message is a JSON object of exactly this shape (no other keys):
//!
//! ```json
//! {"type": "scalelab:command", "command": "play"}
//! {"type": "scalelab:command", "command": "pause"}
//! {"type": "scalelab:command", "command": "step"}
//! {"type": "scalelab:command", "command": "back"}
//! {"type": "scalelab:command", "command": "reset"}
//! {"type": "scalelab:command", "command": "seek", "step": 1200}
//! {"type": "scalelab:command", "command": "speed", "speed": "0.02"}
//! ```
//!
//! `step` is required for `seek` (a whole number from 0 to [`MAX_STEP`]) and not allowed
//! otherwise; `speed` likewise for `speed`: a rung of the speed ladder as a link's `speed=`
//! writes it, as text (`"0.02"`, `"20"`, `"max"`). The parent may post the object itself or its JSON text (at most
//! [`MAX_MESSAGE_BYTES`] bytes, parsed by the browser's `JSON.parse`): the page reads the
//! object's fields ([`Field`]) and [`read_command`] checks them, so no JSON parser of ours is
//! in the page.
//! A message whose `type` is not `"scalelab:command"` is not for us ([`MessageError::NotOurs`])
//! and is ignored silently: other scripts on the parent page post messages too.
//!
//! # Who may send them
//!
//! Only the origin the author put in the link, `parent=https://course.example.org` (see
//! [`crate::url_state`]): an exact origin, `scheme://host[:port]`, as browsers write
//! `event.origin` (lowercase, no default port, no path, no trailing slash; `http` or `https`).
//! Without a `parent` in the link every message is ignored ([`accept_origin`]); `*` is not
//! accepted. Nothing read from a message is ever inserted as HTML: commands map to the
//! player's own controls, and a step is a number.

use crate::input::{clip, InputProblem, MAX_STEP};
use crate::json_out::json;

/// Longest message read, as JSON text; longer ones are rejected unread.
pub const MAX_MESSAGE_BYTES: usize = 1_024;
/// The `type` every Scalelab command carries.
pub const MESSAGE_TYPE: &str = "scalelab:command";
/// Longest origin accepted in the link's `parent=` (a host name is at most 253 characters).
pub const MAX_ORIGIN_LEN: usize = 280;

/// A command from the parent page; each is what the player's control of the same name does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentCommand {
    Play,
    Pause,
    Step,
    Back,
    Reset,
    /// Move to this step (at most [`MAX_STEP`]).
    Seek(u64),
    /// Play at this rung of the speed ladder ([`crate::player::RUNGS`]).
    Speed(usize),
}

impl ParentCommand {
    /// The command's name in a message.
    pub fn name(self) -> &'static str {
        match self {
            ParentCommand::Play => "play",
            ParentCommand::Pause => "pause",
            ParentCommand::Step => "step",
            ParentCommand::Back => "back",
            ParentCommand::Reset => "reset",
            ParentCommand::Seek(_) => "seek",
            ParentCommand::Speed(_) => "speed",
        }
    }

    /// The message a parent page sends for this command (JSON text).
    pub fn to_json(self) -> String {
        let step = match self {
            ParentCommand::Seek(step) => format!(",\"step\":{step}"),
            ParentCommand::Speed(rung) => {
                format!(",\"speed\":{}", json(&crate::player::speed_value(rung)))
            }
            _ => String::new(),
        };
        format!(
            "{{\"type\":{},\"command\":{}{step}}}",
            json(MESSAGE_TYPE),
            json(self.name())
        )
    }
}

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageError {
    /// Longer than [`MAX_MESSAGE_BYTES`].
    TooLong { bytes: usize },
    /// Not JSON, or JSON but not an object, or an object with another `type`: some other
    /// script's message. The page ignores these without a word.
    NotOurs,
    /// A Scalelab command with a field missing, unknown or out of range.
    Invalid(InputProblem),
}

impl std::fmt::Display for MessageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MessageError::TooLong { bytes } => write!(
                f,
                "A message from the page around Scalelab was {bytes} bytes long; \
                 at most {MAX_MESSAGE_BYTES} are read."
            ),
            MessageError::NotOurs => write!(f, "The message is not a Scalelab command."),
            MessageError::Invalid(p) => write!(f, "A command from the page around Scalelab: {p}"),
        }
    }
}

impl std::error::Error for MessageError {}

fn invalid(param: &str, given: &str, accepted: impl Into<String>) -> MessageError {
    MessageError::Invalid(InputProblem {
        param: param.into(),
        given: clip(given),
        accepted: accepted.into(),
    })
}

/// A message's field value as the page reads it from the posted object.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Text(String),
    Number(f64),
    /// Anything else (`null`, a boolean, a list, an object), as shown back in an error.
    Other(String),
}

impl Field {
    fn shown(&self) -> String {
        match self {
            Field::Text(s) | Field::Other(s) => clip(s),
            Field::Number(n) => crate::decimal::show(*n),
        }
    }
}

/// Reads one message, its fields in order. See the module documentation for the accepted
/// shape.
pub fn read_command(fields: &[(String, Field)]) -> Result<ParentCommand, MessageError> {
    let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    if !matches!(get("type"), Some(Field::Text(t)) if t == MESSAGE_TYPE) {
        return Err(MessageError::NotOurs);
    }
    const COMMANDS: &str = "one of play, pause, step, back, reset, seek, speed";
    if let Some((key, _)) = fields
        .iter()
        .find(|(k, _)| !matches!(k.as_str(), "type" | "command" | "step" | "speed"))
    {
        return Err(invalid(
            &clip(key),
            "present",
            "no such key: a command has only type, command and (for seek) step or (for speed) speed",
        ));
    }
    let command = match get("command") {
        Some(Field::Text(c)) => c.as_str(),
        Some(other) => return Err(invalid("command", &other.shown(), COMMANDS)),
        None => return Err(invalid("command", "nothing", COMMANDS)),
    };
    let step = get("step");
    let speed = get("speed");
    if command != "speed" {
        if let Some(v) = speed {
            return Err(invalid(
                "speed",
                &v.shown(),
                format!("no speed: only the speed command takes one, not {command}"),
            ));
        }
    }
    let cmd = match command {
        "play" => ParentCommand::Play,
        "pause" => ParentCommand::Pause,
        "step" => ParentCommand::Step,
        "back" => ParentCommand::Back,
        "reset" => ParentCommand::Reset,
        "seek" => {
            let accepted = format!("a whole number from 0 to {MAX_STEP}");
            return match step {
                Some(Field::Number(n))
                    if n.fract() == 0.0 && (0.0..=MAX_STEP as f64).contains(n) =>
                {
                    Ok(ParentCommand::Seek(*n as u64))
                }
                Some(v) => Err(invalid("step", &v.shown(), accepted)),
                None => Err(invalid("step", "nothing", accepted)),
            };
        }
        "speed" => {
            let accepted =
                "a rung of the speed ladder as text, such as \"0.02\", \"20\" or \"max\"";
            match speed {
                Some(Field::Text(t)) => ParentCommand::Speed(
                    crate::player::parse_speed(t).map_err(MessageError::Invalid)?,
                ),
                Some(other) => return Err(invalid("speed", &other.shown(), accepted)),
                None => return Err(invalid("speed", "nothing", accepted)),
            }
        }
        other => return Err(invalid("command", other, COMMANDS)),
    };
    match step {
        Some(v) => Err(invalid(
            "step",
            &v.shown(),
            format!("no step: only seek takes one, not {}", cmd.name()),
        )),
        None => Ok(cmd),
    }
}

/// Reads one message given as JSON text, as the page reads a posted string: at most
/// [`MAX_MESSAGE_BYTES`], then its fields to [`read_command`]. (The page parses with the
/// browser's `JSON.parse`; this reads with [`crate::json_in`], for tests and the fuzzer.)
pub fn parse_message(text: &str) -> Result<ParentCommand, MessageError> {
    use crate::json_in::{self, Number, Value};
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(MessageError::TooLong { bytes: text.len() });
    }
    let Some(Value::Object(doc)) = json_in::parse(text) else {
        return Err(MessageError::NotOurs);
    };
    let fields: Vec<(String, Field)> = doc
        .iter()
        .map(|(k, v)| {
            let field = match v {
                Value::String(s) => Field::Text(s.clone()),
                Value::Number(Number::U64(n)) => Field::Number(*n as f64),
                Value::Number(Number::I64(n)) => Field::Number(*n as f64),
                Value::Number(Number::F64(n)) => Field::Number(*n),
                other => Field::Other(json_in::shown(other)),
            };
            (k.clone(), field)
        })
        .collect();
    read_command(&fields)
}

/// Whether a message from `origin` (the browser's `event.origin`) is accepted, given the
/// origin the link configured (`parent=`). No configured origin: nothing is accepted. A
/// configured value that is not a valid origin (see [`check_origin`]) accepts nothing either.
pub fn accept_origin(configured: Option<&str>, origin: &str) -> bool {
    match configured {
        Some(c) => check_origin(c).is_ok() && c == origin,
        None => false,
    }
}

/// What [`check_origin`] accepts, as a student reads it in an error message.
pub const ORIGIN_ACCEPTED: &str = "an exact origin such as https://course.example.org: \
     http or https, a lowercase host, an optional port other than the default, no path";

/// Checks that `s` is an origin exactly as a browser writes `event.origin`:
/// `http://` or `https://`, then a host (lowercase letters, digits, `-` and `.`; or an IPv6
/// address in brackets), then optionally `:port` (1 to 65535, no leading zero, not the
/// scheme's default port, which browsers leave out). No user info, path, query or fragment.
/// `*` and `null` are refused: they would accept messages from anyone.
pub fn check_origin(s: &str) -> Result<(), InputProblem> {
    let problem = || InputProblem {
        param: "parent".into(),
        given: clip(s),
        accepted: ORIGIN_ACCEPTED.into(),
    };
    if s.len() > MAX_ORIGIN_LEN {
        return Err(problem());
    }
    let (rest, default_port) = if let Some(r) = s.strip_prefix("https://") {
        (r, "443")
    } else if let Some(r) = s.strip_prefix("http://") {
        (r, "80")
    } else {
        return Err(problem());
    };
    let (host, port) = if rest.starts_with('[') {
        // [IPv6]:port
        let end = rest.find(']').ok_or_else(problem)?;
        let inside = &rest[1..end];
        let ok = !inside.is_empty()
            && inside.contains(':')
            && inside
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'a'..=b'f' | b':' | b'.'));
        if !ok {
            return Err(problem());
        }
        let after = &rest[end + 1..];
        match after.strip_prefix(':') {
            Some(p) => (&rest[..=end], Some(p)),
            None if after.is_empty() => (&rest[..=end], None),
            None => return Err(problem()),
        }
    } else {
        let (host, port) = match rest.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        };
        let labels_ok = host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
        if host.is_empty() || !labels_ok {
            return Err(problem());
        }
        (host, port)
    };
    debug_assert!(!host.is_empty());
    if let Some(p) = port {
        let ok = !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && !p.starts_with('0')
            && p.parse::<u32>().is_ok_and(|n| n <= 65_535)
            && p != default_port;
        if !ok {
            return Err(problem());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_message_is_read() {
        let cases = [
            (
                r#"{"type":"scalelab:command","command":"play"}"#,
                ParentCommand::Play,
            ),
            (
                r#"{"type":"scalelab:command","command":"pause"}"#,
                ParentCommand::Pause,
            ),
            (
                r#"{"type":"scalelab:command","command":"step"}"#,
                ParentCommand::Step,
            ),
            (
                r#"{"type":"scalelab:command","command":"back"}"#,
                ParentCommand::Back,
            ),
            (
                r#"{"type":"scalelab:command","command":"reset"}"#,
                ParentCommand::Reset,
            ),
            (
                r#"{"command":"seek","step":1200,"type":"scalelab:command"}"#,
                ParentCommand::Seek(1200),
            ),
            (
                r#"{"type":"scalelab:command","command":"speed","speed":"0.02"}"#,
                ParentCommand::Speed(4),
            ),
            (
                r#"{"type":"scalelab:command","command":"speed","speed":"20"}"#,
                ParentCommand::Speed(13),
            ),
            (
                r#"{"type":"scalelab:command","command":"speed","speed":"max"}"#,
                ParentCommand::Speed(crate::player::MAX_SPEED),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse_message(text), Ok(want), "{text}");
            assert_eq!(parse_message(&want.to_json()), Ok(want));
        }
    }

    #[test]
    fn other_scripts_messages_are_not_ours() {
        for text in [
            "",
            "hello",
            "[1,2]",
            "42",
            r#"{"type":"webpackOk"}"#,
            r#"{"command":"play"}"#,
            r#"{"type":"SCALELAB:COMMAND","command":"play"}"#,
        ] {
            assert_eq!(parse_message(text), Err(MessageError::NotOurs), "{text}");
        }
    }

    #[test]
    fn malformed_commands_say_what_is_accepted() {
        let bad = |text: &str| match parse_message(text) {
            Err(MessageError::Invalid(p)) => p,
            other => panic!("{text}: {other:?}"),
        };
        let p = bad(r#"{"type":"scalelab:command","command":"jump"}"#);
        assert_eq!((p.param.as_str(), p.given.as_str()), ("command", "jump"));
        assert!(p.accepted.contains("seek"));
        for (text, param) in [
            (r#"{"type":"scalelab:command","command":"speed"}"#, "speed"),
            (
                r#"{"type":"scalelab:command","command":"speed","speed":"fast"}"#,
                "speed",
            ),
            (
                r#"{"type":"scalelab:command","command":"speed","speed":-2}"#,
                "speed",
            ),
            (
                r#"{"type":"scalelab:command","command":"play","speed":"1"}"#,
                "speed",
            ),
            (
                r#"{"type":"scalelab:command","command":"speed","speed":"1","step":3}"#,
                "step",
            ),
        ] {
            assert_eq!(bad(text).param, param, "{text}");
        }
        let p = bad(r#"{"type":"scalelab:command","command":"seek","step":1000001}"#);
        assert_eq!(p.param, "step");
        assert!(p.accepted.contains("1000000"));
        for step in ["-1", "1.5", "\"12\"", "null", "1e400"] {
            let text = format!(r#"{{"type":"scalelab:command","command":"seek","step":{step}}}"#);
            if let Ok(c) = parse_message(&text) {
                panic!("{text} was read as {c:?}");
            }
        }
        assert_eq!(
            bad(r#"{"type":"scalelab:command","command":"seek"}"#).param,
            "step"
        );
        assert_eq!(
            bad(r#"{"type":"scalelab:command","command":"play","step":3}"#).param,
            "step"
        );
        assert_eq!(
            bad(r#"{"type":"scalelab:command","command":"play","html":"<b>"}"#).param,
            "html"
        );
        assert_eq!(bad(r#"{"type":"scalelab:command","command":7}"#).given, "7");
        let long = format!(
            r#"{{"type":"scalelab:command","command":"play","x":"{}"}}"#,
            "a".repeat(2_000)
        );
        assert!(matches!(
            parse_message(&long),
            Err(MessageError::TooLong { .. })
        ));
    }

    #[test]
    fn only_the_configured_origin_is_accepted() {
        let course = Some("https://course.example.org");
        assert!(accept_origin(course, "https://course.example.org"));
        assert!(!accept_origin(course, "http://course.example.org"));
        assert!(!accept_origin(
            course,
            "https://course.example.org.evil.test"
        ));
        assert!(!accept_origin(course, "https://evil.test"));
        assert!(!accept_origin(course, "null"));
        assert!(!accept_origin(None, "https://course.example.org"));
        assert!(!accept_origin(Some("*"), "https://course.example.org"));
        assert!(!accept_origin(Some("null"), "null"));
        assert!(accept_origin(
            Some("http://localhost:8000"),
            "http://localhost:8000"
        ));
    }

    #[test]
    fn origins_are_checked_as_browsers_write_them() {
        for ok in [
            "https://course.example.org",
            "http://localhost:8000",
            "http://127.0.0.1:3000",
            "https://[::1]:8443",
            "https://xn--bcher-kva.example",
        ] {
            assert_eq!(check_origin(ok), Ok(()), "{ok}");
        }
        for bad in [
            "*",
            "null",
            "",
            "course.example.org",
            "https://",
            "https://Course.example.org",
            "https://course.example.org/",
            "https://course.example.org/path",
            "https://course.example.org:443",
            "http://localhost:80",
            "https://localhost:0",
            "https://localhost:65536",
            "https://localhost:08080",
            "https://user@course.example.org",
            "https://course..example.org",
            "https://-bad.example.org",
            "ftp://course.example.org",
            "javascript://alert(1)",
            "https://[::1",
            "https://[zz]:80",
            "https://a b.org",
        ] {
            assert!(check_origin(bad).is_err(), "{bad}");
        }
    }
}
