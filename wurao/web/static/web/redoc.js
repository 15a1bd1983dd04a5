/* The API docs page (/api/docs/, template api/redoc.html): loaded in the head, before Redoc. */
(function () {
  "use strict";

  // Redoc's menu shows its maker's logo from Redocly's CDN, unconditionally: on an intranet
  // that request hangs or fails. An image source off the platform is dropped before the
  // browser asks for it (the page's Content-Security-Policy would block it anyway).
  const offPlatform = (value) => new URL(value, location.href).origin !== location.origin;
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && name === "src" && offPlatform(value)) return;
    return setAttribute.call(this, name, value);
  };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...src,
    set(value) { if (!offPlatform(value)) src.set.call(this, value); },
  });

  // Redoc (its bundle follows the container in the body) reads the spec and settings the
  // server put on the container.
  document.addEventListener("DOMContentLoaded", function () {
    const container = document.getElementById("redoc-container");
    if (!container || typeof Redoc === "undefined") return;
    Redoc.init(container.dataset.specUrl, JSON.parse(container.dataset.settings || "{}"), container);
  });
})();
