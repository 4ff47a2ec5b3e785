// Resizes Scalelab widgets to the height they report, and lets the page drive a widget.
//
// A widget posts {type: "scalelab:height", height, state} to its parent whenever its content
// changes size. Only messages that come from one of this page's Scalelab iframes, from the
// origin that iframe was loaded from, and in exactly that shape are used; anything else is
// ignored.
(function () {
  "use strict";
  var MAX_HEIGHT = 5000;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "scalelab:height") return;
    if (typeof data.height !== "number" || !isFinite(data.height)) return;
    var frames = document.querySelectorAll("iframe.scalelab");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      var expected = new URL(frame.src, document.baseURI).origin;
      if (event.origin !== expected) return;
      var h = Math.max(120, Math.min(MAX_HEIGHT, Math.ceil(data.height)));
      frame.style.height = h + "px";
      frame.setAttribute("data-height-received", String(h));
      return;
    }
  });

  // Driving a widget: a widget marked `data-scalelab-commands` (with its link in
  // `data-scalelab-src`, so it loads once) accepts commands from this page's origin only (its
  // link gets `parent=<this origin>`); the widget checks the sender,
  // the origin and the shape: {type: "scalelab:command", command: "play" | "pause" | "step" |
  // "back" | "reset" | "seek" | "speed", step: <number, seek only>, speed: <"0.02", "20" or
  // "max", speed only>}.
  function send(frame, command, value) {
    var msg = { type: "scalelab:command", command: command };
    if (command === "seek") msg.step = Number(value);
    if (command === "speed") msg.speed = value;
    frame.contentWindow.postMessage(msg, new URL(frame.src, document.baseURI).origin);
  }
  window.Scalelab = { send: send };
  function wire() {
    var frames = document.querySelectorAll("iframe.scalelab[data-scalelab-commands]");
    for (var i = 0; i < frames.length; i++) {
      var link = frames[i].getAttribute("data-scalelab-src") || frames[i].getAttribute("src");
      if (!link) continue;
      var url = new URL(link, document.baseURI);
      if (!url.searchParams.has("parent")) url.searchParams.set("parent", window.location.origin);
      if (frames[i].src !== url.href) frames[i].src = url.href;
    }
    document.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest("[data-scalelab-command]");
      if (!b) return;
      var frame = document.getElementById(b.getAttribute("data-scalelab-frame"));
      if (frame) send(frame, b.getAttribute("data-scalelab-command"), b.getAttribute("data-scalelab-value"));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
