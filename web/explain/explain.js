// Renders the explainers (web/explainers.en.json, the one place their texts live): the choice
// the address's #<scene>.<setting>.<value> names, as a scene's settings show it inline, or
// every choice of every scene, as a page a course can link to. Text only: nothing read from the
// file or the address becomes markup.
const main = document.getElementById("explainers");
const el = (tag, text, cls) => {
  const e = document.createElement(tag);
  if (text) e.textContent = text;
  if (cls) e.className = cls;
  return e;
};

function choice(labels, key, entry) {
  const article = el("article");
  article.id = key;
  article.append(el("h1", entry.title || key));
  const dl = el("dl");
  for (const field of ["what", "when", "pitfall", "wrong", "fix"]) {
    if (typeof entry[field] !== "string") continue;
    dl.append(el("dt", labels[field] || field), el("dd", entry[field], field));
  }
  article.append(dl);
  return article;
}

// An entry {"same": "<key>"} is a choice that does exactly what another scene's does (the
// system scene's balancer strategies, L1 policies and routers): its text is that entry's.
const resolved = (choices, key) => {
  const e = choices[key];
  return e && typeof e.same === "string" && Object.hasOwn(choices, e.same) ? choices[e.same] : e;
};

function render(texts) {
  const labels = texts.labels || {};
  const choices = texts.choices || {};
  const key = decodeURIComponent(location.hash.slice(1));
  main.replaceChildren();
  if (key && Object.hasOwn(choices, key)) {
    document.body.classList.add("one");
    main.append(choice(labels, key, resolved(choices, key)));
    return;
  }
  document.body.classList.remove("one");
  main.append(el("h1", "What each choice in Scalelab does"));
  if (key) main.append(el("p", `No explanation is named “${key}”; here are all of them.`));
  for (const [k, entry] of Object.entries(choices)) {
    if (typeof entry.same !== "string") main.append(choice(labels, k, entry));
  }
}

fetch("explainers.en.json")
  .then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.statusText))))
  .then((texts) => {
    render(texts);
    addEventListener("hashchange", () => render(texts));
  })
  .catch(() => {
    main.replaceChildren(el("p", "The explanation could not be loaded; the rest of the page works as before."));
  });
