/* A form that did not validate comes back with an error summary (templates/includes/
 * form_errors.html): focus goes to it when the page loads, so keyboard and screen-reader users
 * start at the list of errors, not at the top of the page. Each error links to its field; a
 * click moves focus into the field and scrolls its label into view with it (an input's own
 * position would hide the label and the error above it). */
(function () {
  "use strict";

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest('a[href^="#"]');
      if (!link) return;
      var input = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!input) return;
      event.preventDefault();
      var label = document.querySelector('label[for="' + input.id + '"]');
      var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
      (legend || label || input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
