//! Decimal numbers as links and forms write them (`zipf=1.2`, `slow.3.2.5`).
//!
//! Reading: a strict grammar is checked here, and the digits are converted to the nearest
//! `f64` by the platform: JavaScript's `Number` in the browser, `str::parse` natively. Both
//! round correctly, so a link means the same number everywhere; using the browser's converter
//! keeps Rust's float parser and its 10 KB table of powers of five out of the page's bundle.
//!
//! Writing: the shortest text that reads back as the same `f64`
//! ([`scalelab_core::num_text::shortest`]), so `2.0` is written `2`.

/// Parses `[+-]digits[.digits][e[+-]digits]` (also `.5` and `5.`), nothing else: no
/// whitespace, `inf`, `NaN`, hex or digit separators. The result may still be infinite
/// (`1e999`); callers range-check it.
pub fn parse(s: &str) -> Option<f64> {
    is_decimal(s).then(|| convert(s))
}

fn is_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let mut mantissa = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(target_arch = "wasm32")]
fn convert(s: &str) -> f64 {
    // `parseFloat` reads the whole of a text that passed `is_decimal` (it also reads `5.`,
    // `.5` and a leading `+`), rounded to nearest as IEEE 754 requires.
    js_sys::Number::parse_float(s)
}

#[cfg(not(target_arch = "wasm32"))]
fn convert(s: &str) -> f64 {
    s.parse().unwrap_or(f64::NAN)
}

/// The shortest decimal that [`parse`] reads back as `v` (`NaN` and infinities as words,
/// which `parse` refuses).
pub fn show(v: f64) -> String {
    scalelab_core::num_text::shortest(v)
}

// Native: `parse` converts with `str::parse` here; the browser's `parseFloat` is checked by
// `web/tests/browser.rs` (`decimals_read_the_same_as_natively`).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_grammar() {
        for ok in [
            "0", "-1", "+1", "1.5", ".5", "5.", "1e3", "1E-3", "2.5e+2", "007",
        ] {
            assert_eq!(parse(ok), ok.parse().ok(), "{ok}");
        }
        for bad in [
            "", "-", ".", "e3", "1e", "1e+", "inf", "NaN", "infinity", " 1", "1 ", "0x10", "1_0",
            "1.2.3", "--1", "1e3.5", "١",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert_eq!(parse("1e999"), Some(f64::INFINITY));
    }

    #[test]
    fn shown_numbers_are_short() {
        assert_eq!(show(2.0), "2");
        assert_eq!(show(0.1), "0.1");
        assert_eq!(show(-1.25), "-1.25");
        assert_eq!(show(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(show(f64::NAN), "NaN");
        assert_eq!(parse(&show(f64::INFINITY)), None);
    }

    proptest! {
        /// Whatever is written reads back as the same number, and reading agrees with Rust's
        /// parser on every text the grammar accepts.
        #[test]
        fn show_then_parse_is_exact(v in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO) {
            prop_assert_eq!(parse(&show(v)).map(f64::to_bits), Some(v.to_bits()));
        }

        #[test]
        fn agrees_with_rust(s in "[+-]?[0-9]{0,20}(\\.[0-9]{0,20})?([eE][+-]?[0-9]{1,3})?") {
            if let Some(v) = parse(&s) {
                prop_assert_eq!(Some(v.to_bits()), s.parse::<f64>().ok().map(f64::to_bits));
            }
        }
    }
}
