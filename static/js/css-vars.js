/* Positions and sizes computed on the server (a bar's start and width on a timeline, a share
 * bar's fill, a chart's number of rows) reach the CSS as custom properties. The
 * Content-Security-Policy forbids style="" attributes, so elements carry them as
 *   data-css-vars="start:12.5% width:30%"
 * and this script sets --start and --width through the CSSOM, which the policy allows. Only
 * plain names and numbers (optionally % or rem) are taken: the attribute cannot carry any
 * other CSS. Runs once the page is parsed and again after each htmx swap. */
(function () {
  "use strict";

  var PAIR = /^([a-z][a-z0-9-]*):(-?\d+(?:\.\d+)?(?:e-?\d+)?(?:%|rem)?)$/;

  function apply() {
    document.querySelectorAll("[data-css-vars]").forEach(function (element) {
      element.getAttribute("data-css-vars").trim().split(/\s+/).forEach(function (pair) {
        var match = PAIR.exec(pair);
        if (match) element.style.setProperty("--" + match[1], match[2]);
      });
    });
  }

  apply();
  // Before htmx settles (and the dashboard draws its charts) the new content has its sizes.
  document.addEventListener("htmx:afterSwap", apply);
  document.addEventListener("htmx:historyRestore", apply);
})();
