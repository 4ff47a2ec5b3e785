// Resizes Scalelab widgets to the height they report.
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
})();
