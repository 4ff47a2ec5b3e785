//! Numbers as text without Rust's float formatter: [`fixed`] writes a fixed count of decimals
//! exactly as `format!("{v:.N}")` does, with integer arithmetic only; [`shortest`] (and its
//! `Display` wrapper [`Num`]) writes the shortest text that reads back as the same `f64`.
//!
//! Why: narrations, error messages, the drawings and charts write numbers, and Rust's float
//! formatting (Grisu with a Dragon fallback, plus its tables) is ~14 KB of each page's wasm.
//! `fixed` is a few hundred bytes; `shortest` uses zmij, the formatter serde_json already links
//! for the exports. Nothing in `scalelab-core` or `scalelab-web` formats an `f64` with `{}`
//! or `{:.N}`: everything goes through here, so the float formatter stays out of the pages.
//!
//! Exactness: an `f64` is `m · 2^e` with a 53-bit integer `m`, so `v · 10^N` is a ratio of
//! integers. It is rounded to the nearest integer with ties to even, as `{:.N}` does (the
//! decimal value of the double decides, so 0.05 → "0.1", because the double is just above
//! 0.05, and 0.25 → "0.2", an exact tie). Signs, `-0.0`, `NaN` and `inf` read as `{:.N}`'s.

/// Most decimals written; more are written as this many (nothing here needs more, and the
/// scaled mantissa must fit in a `u128`: 2^53 · 10^9 < 2^83).
pub const MAX_DECIMALS: u8 = 9;

/// `v` with `decimals` digits after the point, as `format!("{v:.decimals$}")` writes it.
pub fn fixed(v: f64, decimals: u8) -> String {
    let mut out = String::with_capacity(12);
    push_fixed(&mut out, v, decimals);
    out
}

/// Appends `fixed(v, decimals)` to `out` (no allocation of its own: a chart writes thousands).
pub fn push_fixed(out: &mut String, v: f64, decimals: u8) {
    if v.is_nan() {
        out.push_str("NaN");
        return;
    }
    if v.is_sign_negative() {
        out.push('-');
    }
    if v.is_infinite() {
        out.push_str("inf");
        return;
    }
    let d = u32::from(decimals.min(MAX_DECIMALS));
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    // v = m · 2^e exactly (subnormals have no implicit leading bit).
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    let p10 = 10u32.pow(d);
    let scaled = u128::from(m) * u128::from(p10);
    if e >= 0 {
        // A whole number: no rounding, the decimals are zeros.
        push_whole_times_pow2(out, m, e.unsigned_abs());
        if d > 0 {
            out.push('.');
            push_zeros(out, d);
        }
        return;
    }
    let k = e.unsigned_abs();
    // scaled < 2^83, so a shift by 84 or more leaves 0 with a remainder below one half.
    let q = if k >= 84 {
        0
    } else {
        let q = scaled >> k;
        let rem = scaled & ((1u128 << k) - 1);
        let half = 1u128 << (k - 1);
        if rem > half || (rem == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    };
    let (whole, frac) = div_rem_small(q, p10);
    push_u128(out, whole);
    if d > 0 {
        out.push('.');
        let frac = u128::from(frac);
        // Leading zeros of the fraction, then its digits.
        let digits = count_digits(frac);
        push_zeros(out, d.saturating_sub(digits));
        if frac > 0 {
            push_u128(out, frac);
        }
    }
}

fn push_zeros(out: &mut String, n: u32) {
    for _ in 0..n {
        out.push('0');
    }
}

fn count_digits(mut n: u128) -> u32 {
    let mut c = 0;
    while n > 0 {
        n = div_rem_small(n, 10).0;
        c += 1;
    }
    c
}

/// `n / d` and `n % d` for a divisor below 2^32, one 32-bit limb at a time: every step is a
/// native 64-bit division, so a page links no 128-bit division routine (`__udivti3`, about
/// 1 KB of wasm).
pub(crate) fn div_rem_small(n: u128, d: u32) -> (u128, u32) {
    let d = u64::from(d.max(1));
    let (mut q, mut rem) = (0u128, 0u64);
    for shift in [96u32, 64, 32, 0] {
        // rem < d < 2^32, so the step's dividend fits 64 bits and its quotient 32.
        let step = (rem << 32) | ((n >> shift) as u64 & 0xffff_ffff);
        q |= u128::from(step / d) << shift;
        rem = step % d;
    }
    (q, rem as u32)
}

/// Decimal digits of `n` (at most 39 of them).
fn push_u128(out: &mut String, mut n: u128) {
    let mut buf = [b'0'; 40];
    let mut i = buf.len();
    loop {
        i -= 1;
        let (rest, digit) = div_rem_small(n, 10);
        if let Some(b) = buf.get_mut(i) {
            *b = b'0' + digit as u8;
        }
        n = rest;
        if n == 0 || i == 0 {
            break;
        }
    }
    for b in buf.iter().skip(i) {
        out.push(char::from(*b));
    }
}

/// `m · 2^e` in decimal. Past 2^127
/// the number is held as base-10^9 limbs, doubled `e` times: slow, but only huge values
/// (never drawn) take that path.
fn push_whole_times_pow2(out: &mut String, m: u64, e: u32) {
    if e <= 74 {
        push_u128(out, u128::from(m) << e);
    } else {
        // Little-endian limbs of 9 decimal digits each.
        let mut limbs: Vec<u32> = Vec::with_capacity(36);
        let mut rest = m;
        while rest > 0 {
            limbs.push((rest % 1_000_000_000) as u32);
            rest /= 1_000_000_000;
        }
        for _ in 0..e {
            let mut carry = 0u32;
            for l in limbs.iter_mut() {
                let x = *l * 2 + carry;
                carry = x / 1_000_000_000;
                *l = x % 1_000_000_000;
            }
            if carry > 0 {
                limbs.push(carry);
            }
        }
        let mut iter = limbs.iter().rev();
        if let Some(top) = iter.next() {
            push_u128(out, u128::from(*top));
        }
        for l in iter {
            let digits = count_digits(u128::from(*l));
            for _ in digits..9 {
                out.push('0');
            }
            if *l > 0 {
                push_u128(out, u128::from(*l));
            }
        }
    }
}

/// The shortest decimal that reads back as `v` (`2.0` is written `2`, `0.1 + 0.2` as
/// `0.30000000000000004`); `NaN`, `inf` and `-inf` as words.
pub fn shortest(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    let mut buf = zmij::Buffer::new();
    let s = buf.format_finite(v);
    s.strip_suffix(".0").unwrap_or(s).to_string()
}

/// Shows an `f64` as [`shortest`] does: for `{}` in messages and narrations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&shortest(self.0))
    }
}

/// Shows an `f64` as [`fixed`] does with this many decimals: `{}` for `{:.N}`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fixed(pub f64, pub u8);

impl std::fmt::Display for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = String::with_capacity(12);
        push_fixed(&mut out, self.0, self.1);
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The limb division is `/` and `%` on `u128`.
        #[test]
        fn div_rem_small_is_division(n in proptest::num::u128::ANY, d in 1u32..) {
            proptest::prop_assert_eq!(div_rem_small(n, d), (n / u128::from(d), (n % u128::from(d)) as u32));
        }
    }
    use proptest::prelude::*;

    #[test]
    fn shortest_reads_back() {
        assert_eq!(shortest(2.0), "2");
        assert_eq!(shortest(-0.0), "-0");
        assert_eq!(shortest(0.1), "0.1");
        assert_eq!(shortest(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(shortest(f64::NAN), "NaN");
        assert_eq!(shortest(f64::NEG_INFINITY), "-inf");
        assert_eq!(format!("{} {}", Num(1.5), Fixed(2.25, 1)), "1.5 2.2");
    }

    proptest! {
        #[test]
        fn shortest_reads_back_exactly(v in proptest::num::f64::ANY) {
            if v.is_finite() {
                prop_assert_eq!(shortest(v).parse::<f64>().map(f64::to_bits), Ok(v.to_bits()));
            }
        }
    }

    fn std_fmt(v: f64, d: u8) -> String {
        format!("{v:.prec$}", prec = usize::from(d))
    }

    #[test]
    fn reads_like_float_formatting() {
        let cases = [
            0.0,
            -0.0,
            0.04,
            0.05,
            0.25,
            0.35,
            0.5,
            1.5,
            2.5,
            -2.5,
            1.26,
            9.95,
            9.96,
            40.0,
            123.456,
            316.04,
            -0.26,
            -0.01,
            1e9,
            1e15,
            1e16,
            1e17,
            4.5e15,
            1e21,
            1e22,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            0.999_999,
            99.95,
            0.005,
            0.015,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for v in cases {
            for d in 0..=MAX_DECIMALS {
                assert_eq!(fixed(v, d), std_fmt(v, d), "{v:e} with {d} decimals");
            }
        }
    }

    #[test]
    fn more_decimals_than_supported_are_capped() {
        assert_eq!(fixed(1.5, 12), std_fmt(1.5, MAX_DECIMALS));
    }

    #[test]
    fn appends() {
        let mut s = String::from("x=");
        push_fixed(&mut s, 12.34, 1);
        push_fixed(&mut s, -3.0, 0);
        assert_eq!(s, "x=12.3-3");
    }

    proptest! {
        #[test]
        fn any_shown_value_matches(v in -1e7f64..1e7, d in 0u8..=4) {
            prop_assert_eq!(fixed(v, d), std_fmt(v, d));
        }

        #[test]
        fn hundredths_and_halves_match(n in -2_000_000i64..2_000_000, d in 0u8..=3) {
            // Values near the rounding ties, where an approximate rounding would differ.
            let v = n as f64 / 200.0;
            prop_assert_eq!(fixed(v, d), std_fmt(v, d));
        }

        #[test]
        fn any_double_matches(bits in any::<u64>(), d in 0u8..=MAX_DECIMALS) {
            let v = f64::from_bits(bits);
            prop_assert_eq!(fixed(v, d), std_fmt(v, d));
        }
    }
}
