// Starts the one bundle this page needs, so a page downloads one scene's code, not four.
// Trunk leaves the landing bundle's (hashed) names in <meta name="scalelab-bundle"> (see
// Trunk.toml) and builds each scene's bundle beside it as `scene-<name>.js` (index.html).
// The link's `scene=` picks the bundle; an unknown scene gets the landing bundle, which says
// what was wrong with the link. Only the fixed scene names below can ever be loaded.
const SCENES = ["balancing", "caching", "sharding", "scaling"];
const [landingJs, landingWasm] = document
  .querySelector('meta[name="scalelab-bundle"]')
  .content.split(" ");
const base = landingJs.slice(0, landingJs.lastIndexOf("/") + 1);
// The last `scene=` wins, as in the app's own link parser (web/src/url_state.rs).
const asked = new URLSearchParams(location.search).getAll("scene").at(-1)?.trim();
const scene = SCENES.find((s) => s === asked);
const [js, wasm] = scene
  ? [`${base}scene-${scene}.js`, `${base}scene-${scene}_bg.wasm`]
  : [landingJs, landingWasm];
const { default: init } = await import(js);
const exports = await init({ module_or_path: wasm });
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm: exports } }));
