// Narrows the voorziening, aanbieder and opdrachtnemer lists to what is valid on the typed
// referral date, wijk and voorziening (and the opdrachtnemers to those the chosen aanbieder
// delivers for), so a worker sees an invalid choice before submitting. Only the referral form
// carries data-choices-url; without JavaScript the server narrows the same lists when the form
// comes back, and checks every choice on submit.
(function () {
  "use strict";

  // The catalogue (/taal/js/) defines these; without it the Dutch source text shows.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values, named) {
    if (named) return format.replace(/%\(\w+\)s/g, function (m) { return String(values[m.slice(2, -2)]); });
    return format.replace(/%s/g, function () { return String(values.shift()); });
  };

  var WATCHED = ["id_referral_date", "id_district", "id_service_type", "id_provider"];
  var LISTS = { service_type: gettext("voorzieningen"), provider: gettext("aanbieders"), contractor: gettext("opdrachtnemers") };

  function replaceOptions(select, options) {
    var previous = select.value;
    var kept = false;
    select.textContent = "";
    options.forEach(function (option) {
      var element = document.createElement("option");
      element.value = option.value;
      element.textContent = option.label;
      if (option.value === previous) {
        element.selected = true;
        kept = true;
      }
      select.appendChild(element);
    });
    return previous === "" || kept;
  }

  var latest = 0;

  // A new aanbieder changes only the opdrachtnemers; its own list stays put while it has focus.
  function refresh(form, status, names) {
    // Answers can arrive out of order; only the newest request may change the lists.
    var request = ++latest;
    var params = new URLSearchParams();
    WATCHED.concat(["id_contractor"]).forEach(function (id) {
      var field = document.getElementById(id);
      if (field) params.set(field.name, field.value);
    });
    fetch(form.dataset.choicesUrl + "&" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (choices) {
        if (request !== latest) return;
        var dropped = [];
        names.forEach(function (name) {
          var select = document.getElementById("id_" + name);
          if (select && choices[name] && !replaceOptions(select, choices[name])) {
            dropped.push(LISTS[name]);
          }
        });
        var date = params.get("referral_date");
        status.textContent = dropped.length
          ? interpolate(gettext("Keuzelijsten bijgewerkt voor verwijsdatum %(date)s. Kies opnieuw bij: %(lists)s; uw eerdere keuze geldt niet meer."),
                        { date: date, lists: dropped.join(", ") }, true)
          : interpolate(gettext("Keuzelijsten bijgewerkt voor verwijsdatum %(date)s."), { date: date }, true);
      })
      .catch(function () {
        // The server checks every choice on submit, so a failed refresh loses nothing.
        status.textContent = "";
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-choices-url]");
    var status = document.getElementById("keuzes-bijgewerkt");
    if (!form || !status || !document.getElementById("id_service_type")) return;
    WATCHED.forEach(function (id) {
      var field = document.getElementById(id);
      if (field) {
        field.addEventListener("change", function () {
          refresh(form, status, id === "id_provider" ? ["contractor"] : Object.keys(LISTS));
        });
      }
    });
  });
})();
