// The warning before a signed-in session ends (templates/includes/session_timeout.html):
// WCAG 2.2.1 asks that a user can extend a time limit before it runs out. A timed-out session
// used to throw away a half-filled form without a word.
(function () {
  "use strict";
  var dialog = document.getElementById("sessie-waarschuwing");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var warnBefore = parseInt(dialog.dataset.warnBefore, 10);
  var idle = parseInt(dialog.dataset.idleSeconds, 10);
  var keepAlive = dialog.querySelector("form[data-keep-alive]");
  var timers = [];

  function show() {
    if (!dialog.open) {
      dialog.showModal();
    }
  }

  function expired() {
    timers.forEach(clearTimeout);
    dialog.querySelector("[data-session-active]").hidden = true;
    dialog.querySelector("[data-session-expired]").hidden = false;
    show();
  }

  function schedule(seconds) {
    timers.forEach(clearTimeout);
    timers = [
      setTimeout(show, Math.max(0, seconds - warnBefore) * 1000),
      setTimeout(expired, seconds * 1000),
    ];
  }

  if (keepAlive) {
    keepAlive.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = keepAlive.querySelector("[name=csrfmiddlewaretoken]").value;
      fetch(keepAlive.action, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: {"X-CSRFToken": token},
      }).then(function (response) {
        if (response.status === 204) {
          dialog.close();
          schedule(idle);
        } else {
          expired();
        }
      }, expired);
    });
    // Every request of the page (htmx) is activity too.
    document.body.addEventListener("htmx:afterRequest", function () {
      if (!dialog.open) {
        schedule(idle);
      }
    });
  }
  schedule(parseInt(dialog.dataset.secondsLeft, 10));
})();
