//! Short names for what each bundle's wasm imports from and exports to its JavaScript glue.
//!
//! wasm-bindgen names every import after its Rust path plus a 16-digit hash
//! (`__wbg_set_capture_7526a72933d6e405`) and every closure export after its full type; each
//! name is written twice, in the wasm and in the glue, and hashes do not compress: about 3 KB
//! gzipped per page. wasm-opt renames them all (`--minify-imports-and-exports-and-modules`,
//! one module) and prints what became what; the glue is rewritten to match.

use crate::shell::{cmd, tools_bin_dir};
use std::path::Path;

/// The wasm features rustc's output uses, which wasm-opt must be told of to read it.
const FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Every `<name>_bg.wasm` in `dist` with its `<name>.js` glue.
pub fn shorten(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot read dist/: {e}"))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix("_bg.wasm") {
            shorten_one(dist, stem)?;
        }
    }
    Ok(())
}

fn shorten_one(dist: &Path, stem: &str) -> Result<(), String> {
    let wasm_path = dist.join(format!("{stem}_bg.wasm"));
    let js_path = dist.join(format!("{stem}.js"));
    let wasm_file = wasm_path.to_string_lossy().into_owned();
    let mut args: Vec<&str> = FEATURES.to_vec();
    args.extend([
        "--minify-imports-and-exports-and-modules",
        &wasm_file,
        "-o",
        &wasm_file,
    ]);
    let program = tools_bin_dir().join("wasm-opt");
    let map = cmd(&program.to_string_lossy(), &args).stdout()?;
    let map: serde_json::Value =
        serde_json::from_str(&map).map_err(|e| format!("wasm-opt's name map for {stem}: {e}"))?;
    let wasm = std::fs::read(&wasm_path).map_err(|e| format!("cannot read {wasm_path:?}: {e}"))?;
    let modules = import_modules(&wasm).ok_or_else(|| format!("{stem}: unreadable imports"))?;
    let [module] = modules.as_slice() else {
        return Err(format!(
            "{stem}: expected one import module, found {modules:?}"
        ));
    };
    let mut js =
        std::fs::read_to_string(&js_path).map_err(|e| format!("cannot read {js_path:?}: {e}"))?;
    let mut renamed_imports = Vec::new();
    let mut old_modules: Vec<&str> = Vec::new();
    for pair in list(&map, "imports")? {
        let [old_module, old, new] = strings::<3>(pair)?;
        js = replace_name(&js, old, new);
        renamed_imports.push(old);
        if !old_modules.contains(&old_module) {
            old_modules.push(old_module);
        }
    }
    // The glue's import object is keyed by the module's name, as a string.
    for old_module in old_modules {
        let key = format!("\"{old_module}\"");
        if !js.contains(&key) {
            return Err(format!("{stem}.js does not import from {key}"));
        }
        js = js.replace(&key, &format!("\"{module}\""));
    }
    for pair in list(&map, "exports")? {
        let [old, new] = strings::<2>(pair)?;
        js = replace_name(&js, &format!("wasm.{old}"), &format!("wasm.{new}"));
    }
    if let Some(old) = renamed_imports.iter().find(|old| js.contains(**old)) {
        return Err(format!(
            "{stem}.js still names {old}, which the wasm renamed"
        ));
    }
    std::fs::write(&js_path, js).map_err(|e| format!("cannot write {js_path:?}: {e}"))
}

fn list<'a>(map: &'a serde_json::Value, key: &str) -> Result<&'a Vec<serde_json::Value>, String> {
    map.get(key)
        .and_then(|v| v.as_array())
        .ok_or_else(|| format!("wasm-opt's name map has no {key}"))
}

fn strings<const N: usize>(v: &serde_json::Value) -> Result<[&str; N], String> {
    let items: Vec<&str> = v
        .as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
        .unwrap_or_default();
    items
        .try_into()
        .map_err(|_| format!("unexpected entry in wasm-opt's name map: {v}"))
}

/// `text` with every whole-identifier occurrence of `old` replaced by `new` (not where `old`
/// is part of a longer name).
fn replace_name(text: &str, old: &str, new: &str) -> String {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(old) {
        let (before, from) = rest.split_at(at);
        let after = &from[old.len()..];
        let whole = !before.ends_with(ident) && !after.starts_with(ident);
        out.push_str(before);
        out.push_str(if whole { new } else { old });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The distinct module names in a wasm module's import section, in order of appearance.
fn import_modules(wasm: &[u8]) -> Option<Vec<String>> {
    let mut r = Reader { bytes: wasm, at: 8 };
    while r.at < wasm.len() {
        let id = r.byte()?;
        let len = r.leb()? as usize;
        if id != 2 {
            r.at = r.at.checked_add(len)?;
            continue;
        }
        let mut modules: Vec<String> = Vec::new();
        for _ in 0..r.leb()? {
            let module = r.name()?;
            r.name()?;
            match r.byte()? {
                0 => {
                    r.leb()?; // a function's type index
                }
                4 => {
                    r.byte()?; // a tag's attribute, then its type index
                    r.leb()?;
                }
                1 => {
                    r.byte()?;
                    r.limits()?;
                }
                2 => r.limits()?,
                3 => {
                    r.byte()?;
                    r.byte()?;
                }
                _ => return None,
            }
            if !modules.contains(&module) {
                modules.push(module);
            }
        }
        return Some(modules);
    }
    Some(Vec::new())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn leb(&mut self) -> Option<u64> {
        let (mut value, mut shift) = (0u64, 0u32);
        loop {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(value);
            }
            shift += 7;
        }
    }

    fn name(&mut self) -> Option<String> {
        let len = self.leb()? as usize;
        let end = self.at.checked_add(len)?;
        let s = std::str::from_utf8(self.bytes.get(self.at..end)?).ok()?;
        self.at = end;
        Some(s.to_string())
    }

    fn limits(&mut self) -> Option<()> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 == 1 {
            self.leb()?;
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_names_only() {
        let js = "a.__wbg_x_1: f(__wbg_x_1, __wbg_x_12, x__wbg_x_1); wasm.memory; wasm.memory2";
        let js = replace_name(js, "__wbg_x_1", "A");
        assert_eq!(
            js,
            "a.A: f(A, __wbg_x_12, x__wbg_x_1); wasm.memory; wasm.memory2"
        );
        assert_eq!(
            replace_name(&js, "wasm.memory", "wasm.B"),
            "a.A: f(A, __wbg_x_12, x__wbg_x_1); wasm.B; wasm.memory2"
        );
    }

    #[test]
    fn reads_import_modules() {
        // (module (import "a" "f" (func)) (import "a" "m" (memory 1)) (import "b" "g" (func)))
        let wasm = [
            0, 97, 115, 109, 1, 0, 0, 0, // header
            1, 4, 1, 96, 0, 0, // one type: [] -> []
            2, 20, 3, // import section, three imports
            1, b'a', 1, b'f', 0, 0, // a.f: func type 0
            1, b'a', 1, b'm', 2, 0, 1, // a.m: memory, min 1
            1, b'b', 1, b'g', 0, 0, // b.g: func type 0
        ];
        assert_eq!(
            import_modules(&wasm),
            Some(vec!["a".to_string(), "b".to_string()])
        );
    }
}
