/* Buttons marked data-print open the browser's print dialog. A script file instead of
 * onclick="", which the Content-Security-Policy forbids; without JavaScript the button stays
 * hidden (the browser's own print command still works). */
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
