//! The loader: the one inline script in `index.html`, and the hash by which the page's
//! Content-Security-Policy admits it. The policy allows no other inline script, so a loader
//! whose hash the policy does not give never runs and the page stays blank; the release
//! build rewrites the hash after minifying the loader, and a test holds the source to it.

use sha2::{Digest, Sha256};
use std::ops::Range;

/// The loader's opening tag, as `index.html` writes it (and no other script of the page).
const OPEN: &str = "<script type=\"module\" async>";
const CLOSE: &str = "</script>";
/// How a hash source starts in the policy.
const HASH_SOURCE: &str = "'sha256-";

/// Where the loader's text is in `html`: the bytes between its tags, exactly as the browser
/// hashes them.
pub fn loader_span(html: &str) -> Result<Range<usize>, String> {
    let start = html
        .find(OPEN)
        .map(|i| i + OPEN.len())
        .ok_or_else(|| format!("index.html has no inline loader ({OPEN})"))?;
    let end = html[start..]
        .find(CLOSE)
        .map(|i| start + i)
        .ok_or("index.html: the loader's <script> is not closed")?;
    Ok(start..end)
}

/// The policy's source that admits a script of exactly this text: `'sha256-<base64>'`.
pub fn hash_source(script: &str) -> String {
    format!(
        "{HASH_SOURCE}{}'",
        base64(&Sha256::digest(script.as_bytes()))
    )
}

/// Where the policy's hash source (`'sha256-…'`, quotes included) is in `html`.
fn policy_hash_span(html: &str) -> Result<Range<usize>, String> {
    let policy = html
        .find("http-equiv=\"Content-Security-Policy\"")
        .ok_or("index.html declares no Content-Security-Policy")?;
    let start = html[policy..]
        .find(HASH_SOURCE)
        .map(|i| policy + i)
        .ok_or("index.html's policy gives no 'sha256-…' source for the loader")?;
    let end = html[start + HASH_SOURCE.len()..]
        .find('\'')
        .map(|i| start + HASH_SOURCE.len() + i + 1)
        .ok_or("index.html's policy: an unterminated 'sha256-…' source")?;
    Ok(start..end)
}

/// `html` with the loader's text replaced by `loader` and the policy's hash source by the one
/// that admits it.
pub fn with_loader(html: &str, loader: &str) -> Result<String, String> {
    let span = loader_span(html)?;
    let html = format!("{}{loader}{}", &html[..span.start], &html[span.end..]);
    let hash = policy_hash_span(&html)?;
    Ok(format!(
        "{}{}{}",
        &html[..hash.start],
        hash_source(loader),
        &html[hash.end..]
    ))
}

/// Standard base64 with padding (RFC 4648), as the policy writes a hash.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash source the policy gives now, and the one the loader as written needs.
    fn policy_and_needed(html: &str) -> Result<(String, String), String> {
        let given = html[policy_hash_span(html)?].to_string();
        let needed = hash_source(&html[loader_span(html)?]);
        Ok((given, needed))
    }

    #[test]
    fn base64_is_rfc_4648() {
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"foobar", "Zm9vYmFy"),
            (&[0xfb, 0xff], "+/8="),
        ] {
            assert_eq!(base64(bytes), text);
        }
    }

    /// The hash of the empty script, as the CSP specification's examples and every browser
    /// compute it.
    #[test]
    fn hash_source_is_the_browsers() {
        assert_eq!(
            hash_source(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }

    /// The page served by `trunk serve` is the source itself: its policy must admit its loader.
    #[test]
    fn the_source_policy_admits_the_loader() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../index.html");
        let html = std::fs::read_to_string(path).expect("index.html is readable");
        let (given, needed) = policy_and_needed(&html).expect("index.html has both");
        assert_eq!(
            given, needed,
            "index.html's policy must give the loader's hash: write {needed} in place of {given}"
        );
    }

    #[test]
    fn a_new_loader_gets_its_hash_in_the_policy() {
        let html = "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self' \
                    'sha256-old=' 'wasm-unsafe-eval'\" /><script type=\"module\" async>\n  \
                    long();\n</script><p>after</p>";
        let out = with_loader(html, "short()").expect("a loader and a policy");
        assert!(out.contains("<script type=\"module\" async>short()</script><p>after</p>"));
        assert!(out.contains(&format!("'self' {} 'wasm", hash_source("short()"))));
        let (given, needed) = policy_and_needed(&out).expect("both");
        assert_eq!(given, needed);
    }
}
