//! Sine and cosine for the simulation's angles, `2π × t` with `t` in [0, 1] (a daily wave's
//! phase, Box–Muller's angle): bit for bit what `libm::sin` and `libm::cos` return, so every
//! draw and rate stays identical natively and in wasm32 and with earlier runs. The sharding
//! drawing's ring takes its angles from here too.
//!
//! This is libm's code (from musl and FreeBSD's msun: `sin`, `cos`, `__rem_pio2`, `__sin`,
//! `__cos`) without the reduction of arguments beyond 2^20 × π/2 (Payne–Hanek, with its
//! table of 2/π digits and `scalbn`): about 4 KB of wasm that every page carried for
//! arguments no model passes. Such an argument is reduced here as a medium one (less
//! precise, never reached by the callers). Constants are written as their bits, as msun's
//! comments give them.

const TO_INT: f64 = 1.5 / f64::EPSILON;
const INV_PIO2: f64 = f64::from_bits(0x3FE4_5F30_6DC9_C883);
const PIO2_1: f64 = f64::from_bits(0x3FF9_21FB_5440_0000);
const PIO2_1T: f64 = f64::from_bits(0x3DD0_B461_1A62_6331);
const PIO2_2: f64 = f64::from_bits(0x3DD0_B461_1A60_0000);
const PIO2_2T: f64 = f64::from_bits(0x3BA3_198A_2E03_7073);
const PIO2_3: f64 = f64::from_bits(0x3BA3_198A_2E00_0000);
const PIO2_3T: f64 = f64::from_bits(0x397B_839A_2520_49C1);

/// `__rem_pio2`'s medium case: `x - n × π/2` in two parts, by rounds of Cody–Waite reduction.
fn medium(x: f64, ix: u32) -> (i32, f64, f64) {
    let tmp = x * INV_PIO2 + TO_INT;
    let f_n = tmp - TO_INT;
    let n = f_n as i32;
    let mut r = x - f_n * PIO2_1;
    let mut w = f_n * PIO2_1T;
    let mut y0 = r - w;
    let ey = (f64::to_bits(y0) >> 52) as i32 & 0x7ff;
    let ex = (ix >> 20) as i32;
    if ex - ey > 16 {
        let t = r;
        w = f_n * PIO2_2;
        r = t - w;
        w = f_n * PIO2_2T - ((t - r) - w);
        y0 = r - w;
        let ey = (f64::to_bits(y0) >> 52) as i32 & 0x7ff;
        if ex - ey > 49 {
            let t = r;
            w = f_n * PIO2_3;
            r = t - w;
            w = f_n * PIO2_3T - ((t - r) - w);
            y0 = r - w;
        }
    }
    let y1 = (r - y0) - w;
    (n, y0, y1)
}

/// `x - k × π/2` for `k = 1..=4` by one round, as `__rem_pio2` does near those multiples.
fn near(x: f64, k: f64, n: i32) -> (i32, f64, f64) {
    if x >= 0.0 {
        let z = x - k * PIO2_1;
        let y0 = z - k * PIO2_1T;
        (n, y0, (z - y0) - k * PIO2_1T)
    } else {
        let z = x + k * PIO2_1;
        let y0 = z + k * PIO2_1T;
        (-n, y0, (z - y0) + k * PIO2_1T)
    }
}

/// `__rem_pio2` for |x| below 2^20 × π/2: the quadrant `n` and `x - n × π/2` as `y0 + y1`.
fn rem_pio2(x: f64) -> (i32, f64, f64) {
    let ix = (f64::to_bits(x) >> 32) as u32 & 0x7fff_ffff;
    if ix <= 0x400f_6a7a {
        if (ix & 0xfffff) == 0x921fb {
            return medium(x, ix);
        }
        if ix <= 0x4002_d97c {
            return near(x, 1.0, 1);
        }
        return near(x, 2.0, 2);
    }
    if ix <= 0x401c_463b {
        if ix <= 0x4015_fdbc {
            if ix == 0x4012_d97c {
                return medium(x, ix);
            }
            return near(x, 3.0, 3);
        }
        if ix == 0x4019_21fb {
            return medium(x, ix);
        }
        return near(x, 4.0, 4);
    }
    medium(x, ix)
}

fn k_sin(x: f64, y: f64, iy: i32) -> f64 {
    const S1: f64 = f64::from_bits(0xBFC5_5555_5555_5549);
    const S2: f64 = f64::from_bits(0x3F81_1111_1110_F8A6);
    const S3: f64 = f64::from_bits(0xBF2A_01A0_19C1_61D5);
    const S4: f64 = f64::from_bits(0x3EC7_1DE3_57B1_FE7D);
    const S5: f64 = f64::from_bits(0xBE5A_E5E6_8A2B_9CEB);
    const S6: f64 = f64::from_bits(0x3DE5_D93A_5ACF_D57C);
    let z = x * x;
    let w = z * z;
    let r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    let v = z * x;
    if iy == 0 {
        x + v * (S1 + z * r)
    } else {
        x - ((z * (0.5 * y - v * r) - y) - v * S1)
    }
}

fn k_cos(x: f64, y: f64) -> f64 {
    const C1: f64 = f64::from_bits(0x3FA5_5555_5555_554C);
    const C2: f64 = f64::from_bits(0xBF56_C16C_16C1_5177);
    const C3: f64 = f64::from_bits(0x3EFA_01A0_19CB_1590);
    const C4: f64 = f64::from_bits(0xBE92_7E4F_809C_52AD);
    const C5: f64 = f64::from_bits(0x3E21_EE9E_BDB4_B1C4);
    const C6: f64 = f64::from_bits(0xBDA8_FAE9_BE88_38D4);
    let z = x * x;
    let w = z * z;
    let r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    w + (((1.0 - w) - hz) + (z * r - x * y))
}

/// `sin(x)`, as `libm::sin(x)` for |x| below 2^20 × π/2.
pub fn sin(x: f64) -> f64 {
    let ix = (f64::to_bits(x) >> 32) as u32 & 0x7fff_ffff;
    if ix <= 0x3fe9_21fb {
        if ix < 0x3e50_0000 {
            return x;
        }
        return k_sin(x, 0.0, 0);
    }
    if ix >= 0x7ff0_0000 {
        // Infinity or NaN (libm's `x - x`).
        return f64::NAN;
    }
    let (n, y0, y1) = rem_pio2(x);
    match n & 3 {
        0 => k_sin(y0, y1, 1),
        1 => k_cos(y0, y1),
        2 => -k_sin(y0, y1, 1),
        _ => -k_cos(y0, y1),
    }
}

/// `cos(x)`, as `libm::cos(x)` for |x| below 2^20 × π/2.
pub fn cos(x: f64) -> f64 {
    let ix = (f64::to_bits(x) >> 32) as u32 & 0x7fff_ffff;
    if ix <= 0x3fe9_21fb {
        if ix < 0x3e46_a09e {
            return 1.0;
        }
        return k_cos(x, 0.0);
    }
    if ix >= 0x7ff0_0000 {
        // Infinity or NaN (libm's `x - x`).
        return f64::NAN;
    }
    let (n, y0, y1) = rem_pio2(x);
    match n & 3 {
        0 => k_cos(y0, y1),
        1 => -k_sin(y0, y1, 1),
        2 => -k_cos(y0, y1),
        _ => k_sin(y0, y1, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::f64::consts::PI;

    fn same(x: f64) {
        if !x.is_finite() {
            assert!(sin(x).is_nan() && libm::sin(x).is_nan() && cos(x).is_nan());
            return;
        }
        assert_eq!(sin(x).to_bits(), libm::sin(x).to_bits(), "sin({x:e})");
        assert_eq!(cos(x).to_bits(), libm::cos(x).to_bits(), "cos({x:e})");
    }

    /// Every angle the models pass, `2π × t` for t in [0, 1], and the branch edges.
    #[test]
    fn matches_libm_bit_for_bit() {
        let mut t = 0.0f64;
        // Every 1/2^20 of a turn, plus the neighbours of each quarter turn.
        for i in 0..=(1u32 << 20) {
            same(2.0 * PI * (f64::from(i) / f64::from(1u32 << 20)));
        }
        for q in 0..=8 {
            let x = f64::from(q) * PI / 4.0;
            let mut y = x;
            for _ in 0..64 {
                same(y);
                same(-y);
                y = f64::from_bits(y.to_bits() + 1);
            }
            let mut y = x;
            for _ in 0..64 {
                same(y);
                y = f64::from_bits(y.to_bits().saturating_sub(1));
            }
        }
        // A cheap generator over wider ranges (the medium reduction up to 2^20 × π/2).
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..2_000_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            t = (s >> 11) as f64 / (1u64 << 53) as f64;
            same(2.0 * PI * t);
            same((t - 0.5) * 40.0);
            same((t - 0.5) * 3.0e6);
        }
        same(0.0);
        same(1e-300);
        same(f64::INFINITY);
        assert!(t >= 0.0);
    }
}
