/* The job page of an import (templates/imports/job.html): while the job waits or runs, ask its
   status every second and move the progress bar; the status line is an aria-live region, so
   a screen reader hears the progress. When the job ends, the report is fetched from the page
   itself and put in place. Without JavaScript the page has a "Status vernieuwen" link. */
(function () {
  "use strict";
  var box = document.getElementById("importtaak");
  if (!box || box.dataset.finished === "ja") {
    return;
  }
  var bar = box.querySelector("progress");
  var status = document.getElementById("importstatus");
  var place = document.getElementById("importverslag-plek");
  var refresh = box.querySelector(".imp-refresh");

  function showReport() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var report = page.getElementById("importverslag-plek");
        if (report && place) {
          place.replaceChildren.apply(place, Array.prototype.slice.call(report.childNodes));
        }
        if (refresh) {
          refresh.remove();
        }
        box.dataset.finished = "ja";
      })
      .catch(function () {
        window.location.reload();
      });
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(function (job) {
        bar.value = job.progress;
        bar.textContent = job.progress + " %";
        if (status.textContent !== job.text) {
          status.textContent = job.text;
        }
        if (job.finished) {
          showReport();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
