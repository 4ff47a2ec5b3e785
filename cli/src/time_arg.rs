//! A simulated time as a person writes it on the command line: `90s`, `1500ms`, `2m`.

use scalelab_core::sim::SimTime;

/// Reads `90s`, `1500ms`, `250us`, `2m`, `1h` or a bare whole number of seconds.
pub fn parse(text: &str) -> Result<SimTime, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let micros_per: u64 = match unit {
        "" | "s" => 1_000_000,
        "ms" => 1_000,
        "us" | "µs" => 1,
        "m" | "min" => 60_000_000,
        "h" => 3_600_000_000,
        _ => {
            return Err(format!(
                "“{text}” is not a time: write a whole number with a unit, e.g. 90s, 1500ms, 2m"
            ))
        }
    };
    let n: u64 = number.parse().map_err(|_| {
        format!("“{text}” is not a time: write a whole number with a unit, e.g. 90s, 1500ms, 2m")
    })?;
    n.checked_mul(micros_per)
        .map(SimTime)
        .ok_or_else(|| format!("“{text}” is longer than any run"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_unit() {
        assert_eq!(parse("90s"), Ok(SimTime::from_secs(90)));
        assert_eq!(parse("90"), Ok(SimTime::from_secs(90)));
        assert_eq!(parse("1500ms"), Ok(SimTime::from_millis(1_500)));
        assert_eq!(parse("250us"), Ok(SimTime::from_micros(250)));
        assert_eq!(parse("2m"), Ok(SimTime::from_secs(120)));
        assert_eq!(parse("1h"), Ok(SimTime::from_secs(3_600)));
    }

    #[test]
    fn refuses_what_is_not_a_time() {
        for bad in [
            "",
            "s",
            "1.5s",
            "-3s",
            "3 days",
            "99999999999999999999s",
            "6000000000h",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} read as a time");
        }
    }
}
