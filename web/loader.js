// Starts the one bundle this page needs, so a page downloads one scene's code, not four.
// Trunk leaves the landing bundle's (hashed) names in <meta name="scalelab-bundle"> (see
// Trunk.toml) and builds each scene's bundle beside it as `scene-<name>.js` (index.html).
// The link's `scene=` picks the bundle; an unknown scene gets the landing bundle, which says
// what was wrong with the link. Only the fixed scene names below can ever be loaded.
const SCENES = ["balancing", "caching", "sharding", "scaling", "system"];

// A Rust panic in a release bundle is a wasm trap (std is built with `panic=immediate-abort`
// to keep the bundle small, see xtask/src/run.rs), so the page, not Rust, shows what happened:
// a panel instead of a frozen page. Text only: nothing from the error is parsed as HTML.
function showCrashPanel(error) {
  if (document.querySelector(".error-panel")) return;
  const el = (tag, text) => {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    return e;
  };
  const panel = el("div");
  panel.className = "error-panel";
  panel.setAttribute("role", "alert");
  const back = el("a", "Back to the start page");
  back.href = "?";
  panel.append(
    el("h2", "Something went wrong in the simulation"),
    el("p", "The playground stopped to avoid showing wrong results. Reload the page to start " +
      "again; if this link always fails, please report it with the details below."),
    // A trap's stack starts with its message.
    el("pre", error.stack || String(error)),
    back,
  );
  document.body.append(panel);
}
const isTrap = (e) => e instanceof WebAssembly.RuntimeError;
addEventListener("error", (e) => isTrap(e.error) && showCrashPanel(e.error));
addEventListener("unhandledrejection", (e) => isTrap(e.reason) && showCrashPanel(e.reason));

// The loader is an async module (index.html): it runs as soon as it arrives, without waiting
// for the stylesheet as a deferred script would, so a scene's bundle is asked for one
// stylesheet download sooner on a slow network. What needs the document (the landing
// bundle's names, the app's <body>) waits for it to be parsed.
const parsed =
  document.readyState === "loading"
    ? new Promise((done) => addEventListener("DOMContentLoaded", done, { once: true }))
    : Promise.resolve();
// The bundles sit beside the loader (trunk writes them with paths relative to the site,
// `public_url = "./"` in Trunk.toml), so they are resolved against the loader's own address:
// the site works wherever it is served, at a host's root or under any path.
const base = new URL("./", import.meta.url).href;
// The last `scene=` wins, as in the app's own link parser (web/src/url_state.rs).
const asked = new URLSearchParams(location.search).getAll("scene").at(-1)?.trim();
const scene = SCENES.find((s) => s === asked);
// A scene's bundle has a fixed name; the landing bundle's (hashed) names are in the document.
const landing = async () => {
  await parsed;
  return document
    .querySelector('meta[name="scalelab-bundle"]')
    .content.split(" ")
    .map((path) => new URL(path, import.meta.url).href);
};
const [js, wasm] = scene
  ? [`${base}scene-${scene}.js`, `${base}scene-${scene}_bg.wasm`]
  : await landing();
// Starts a bundle: its wasm is asked for at once, beside its JavaScript glue. Asking only
// once the glue had arrived and run cost a whole round trip on a slow network; wasm-bindgen's
// init takes the response's promise and still compiles the wasm as it streams in.
const start = async (js, wasm) => {
  const response = fetch(wasm);
  const bundle = await import(js);
  // The app draws into the <body>.
  await parsed;
  return { bundle, exports: await bundle.default({ module_or_path: response }) };
};
// Writing and reading scenario files is a bundle of its own (web/src/bin/files.rs), loaded on
// a page's first export or import: for an export the page hands it the link to its exact
// state, and it re-simulates the run and saves the file; for an import, the file's text, and
// it answers with the link that opens it. A page that is only watched never downloads it.
let files;
const filesBundle = () =>
  (files ??= start(`${base}files.js`, `${base}files_bg.wasm`).then((b) => b.bundle));
globalThis.scalelabExport = async (query, step, format) =>
  (await filesBundle()).export_run(query, step, format);
globalThis.scalelabOpen = async (text, pageQuery) =>
  (await filesBundle()).open_scenario(text, pageQuery);
// The lesson player is a bundle of its own too (web/src/bin/lessons.rs), loaded when the
// link names a lesson: the page makes room for it and hands it that element. It starts
// downloading at once, beside the scene's bundle, rather than after the scene has drawn.
let lessons;
const lessonsBundle = () =>
  (lessons ??= start(`${base}lessons.js`, `${base}lessons_bg.wasm`).then((b) => b.bundle));
if (new URLSearchParams(location.search).has("lesson")) lessonsBundle();
globalThis.scalelabLesson = async (slot) => (await lessonsBundle()).start_lesson(slot);
globalThis.scalelabImportLesson = async (text, pageQuery) =>
  (await lessonsBundle()).import_lesson(text, pageQuery);
const { exports } = await start(js, wasm);
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm: exports } }));
