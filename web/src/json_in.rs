//! Reading untrusted JSON: an imported scenario file (in the scenario files bundle,
//! `src/bin/files.rs`) and, in tests and the fuzzer, a message from the embedding page as
//! text (the page itself reads messages with the browser's `JSON.parse`: see
//! [`crate::embed_msg`]).
//!
//! The parser is `miniserde`'s: it is non-recursive (no nesting depth can exhaust the stack),
//! built around `dyn` visitors rather than one monomorphized parser per target type, and about
//! a third of `serde_json`'s deserializer in the page's bundle. `serde_json` still writes the
//! exports; the tests read what this module reads with `serde_json` too, so the two parsers
//! check each other.

use crate::decimal;
use crate::input::clip;
pub use miniserde::json::{Number, Object, Value};

/// `text` as a JSON value, or `None` when it is not JSON.
pub fn parse(text: &str) -> Option<Value> {
    miniserde::json::from_str(text).ok()
}

/// A whole number from 0 to 2⁶⁴−1 written as one (not `1.0`, `1e3` or `"1"`).
pub fn whole(v: &Value) -> Option<u64> {
    match v {
        Value::Number(Number::U64(n)) => Some(*n),
        _ => None,
    }
}

/// A number's text: whole numbers as written, others the shortest text that reads back the
/// same (a setting given as `1.50` becomes `1.5`, as a link writes it).
pub fn number_text(n: &Number) -> String {
    match n {
        Number::U64(n) => n.to_string(),
        Number::I64(n) => n.to_string(),
        Number::F64(n) => decimal::show(*n),
    }
}

/// A JSON value shown back to the user in an error message: a string without its quotes, a
/// number or literal as written, a list or object by what it is.
pub fn shown(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_text(n),
        Value::String(s) => clip(s),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_and_nothing_else() {
        assert!(parse(r#"{"a": [1, -2, 3.5, "x", null, true, {"b": {}}]}"#).is_some());
        for bad in [
            "",
            "{",
            "{'a': 1}",
            r#"{"a": 1,}"#,
            r#"{"a": 1e999}"#,
            "[1] x",
            "NaN",
        ] {
            assert!(parse(bad).is_none(), "{bad:?}");
        }
        // Nesting deep enough to overflow a recursive parser's stack.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep).is_some());
    }

    #[test]
    fn whole_numbers_only() {
        let v = |t: &str| parse(t).unwrap();
        assert_eq!(whole(&v("18446744073709551615")), Some(u64::MAX));
        for not in ["-1", "1.0", "1e3", "\"1\"", "18446744073709551616", "null"] {
            assert_eq!(whole(&v(not)), None, "{not}");
        }
    }

    #[test]
    fn values_are_shown_plainly() {
        let v = |t: &str| shown(&parse(t).unwrap());
        assert_eq!(v("\"queues\""), "queues");
        assert_eq!(v("3"), "3");
        assert_eq!(v("-3"), "-3");
        assert_eq!(v("1.50"), "1.5");
        assert_eq!(v("true"), "true");
        assert_eq!(v("[1]"), "a list");
        assert_eq!(v("{}"), "an object");
    }
}
