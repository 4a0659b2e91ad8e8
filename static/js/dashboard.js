/* Draws the dashboard charts from the JSON data island (#dashboard-grafieken) with Chart.js.
 * Runs on page load and again after every htmx swap, because a filter change or a finished
 * recompute replaces the figures (and their canvases) without a full page load. The same data
 * is always on the page as a table and a one-sentence summary, so nothing depends on this. */
(function () {
  "use strict";

  // The catalogue (/taal/js/) defines these; without it the Dutch source text shows.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values, named) {
    if (named) return format.replace(/%\(\w+\)s/g, function (m) { return String(values[m.slice(2, -2)]); });
    return format.replace(/%s/g, function () { return String(values.shift()); });
  };

  var PALETTE = ["#24578f", "#b3570b", "#1c6b32", "#7a2e8e", "#8f1d3b", "#00677f", "#5c5c00",
    "#4b4b4b", "#a3320b", "#2f4b9c", "#000000"];
  var NORM = "#b30000";
  var charts = [];

  // Numbers as the page's language writes them (14,5 in Dutch, 14.5 in English).
  var LOCALE = document.documentElement.lang === "en" ? "en-GB" : "nl-NL";

  function formatNumber(value) {
    if (value === null || value === undefined) return gettext("geen waarde");
    return value.toLocaleString(LOCALE, { maximumFractionDigits: 1 });
  }

  // A dashed vertical line at the 2027 switch, labelled, without an extra plugin package.
  var markerPlugin = {
    id: "wmoMarker",
    afterDatasetsDraw: function (chart) {
      var marker = chart.options.plugins.wmoMarker && chart.options.plugins.wmoMarker.label;
      if (!marker) return;
      var index = chart.data.labels.indexOf(marker);
      if (index < 0) return;
      var x = chart.scales.x.getPixelForValue(index);
      var area = chart.chartArea;
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#4b4b4b";
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.fillStyle = "#1a1a1a";
      ctx.fillText(gettext("Stedelijk contract"), x + 4, area.top + 12);
      ctx.restore();
    }
  };

  function dataset(spec, index, type) {
    var colour = spec.style === "norm" ? NORM : PALETTE[index % PALETTE.length];
    var set = {
      label: spec.label,
      data: spec.data,
      borderColor: colour,
      backgroundColor: colour,
      spanGaps: false,
      borderWidth: spec.style === "total" ? 4 : 2,
      pointRadius: 3
    };
    if (spec.style === "norm" && type === "bar") {
      // Each bar has its own norm: a second, outlined bar beside it, not a line across bars.
      set.backgroundColor = "rgba(179, 0, 0, 0.15)";
      set.borderWidth = 2;
    } else if (spec.style === "norm") {
      set.type = "line";
      set.borderDash = [6, 4];
      set.pointRadius = 0;
      set.fill = false;
    } else if (type === "bar") {
      set.borderWidth = 0;
    }
    return set;
  }

  function draw(root) {
    var island = document.getElementById("dashboard-grafieken");
    if (!island || typeof window.Chart === "undefined") return;
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
    var specs = JSON.parse(island.textContent);
    specs.forEach(function (spec) {
      var canvas = document.querySelector('canvas[data-chart-id="' + spec.id + '"]');
      if (!canvas) return;
      var chart = new window.Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (d, i) { return dataset(d, i, spec.type); })
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: spec.horizontal ? "y" : "x",
          scales: spec.horizontal
            ? { x: { beginAtZero: true, title: { display: !!spec.unit, text: spec.unit } } }
            : { y: { beginAtZero: true, title: { display: !!spec.unit, text: spec.unit } } },
          plugins: {
            wmoMarker: { label: spec.marker },
            tooltip: {
              callbacks: {
                label: function (item) {
                  return item.dataset.label + ": " + formatNumber(item.raw) + (spec.unit ? " " + spec.unit : "");
                }
              }
            }
          }
        },
        plugins: [markerPlugin]
      });
      canvas.dataset.drawn = "true";
      charts.push(chart);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  // After an htmx swap the new canvases are not drawn yet; the progress polling swaps nothing
  // of the figures, so it draws nothing.
  document.addEventListener("htmx:afterSettle", function () {
    if (!document.querySelector("canvas[data-chart-id]:not([data-drawn])")) return;
    draw(document);
    // Tell screen-reader users that the figures changed without a page load.
    var status = document.getElementById("dashboard-melding");
    var heading = document.getElementById("kwartaal-kop");
    if (status) status.textContent = interpolate(gettext("Cijfers bijgewerkt: %s"), [heading ? heading.textContent : ""]);
  });
  document.addEventListener("htmx:historyRestore", function () { draw(document); });

  // On paper nothing can be unfolded: the tables behind the charts print open, and fold again
  // afterwards as the reader left them.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.filter.call(
      document.querySelectorAll("details.dash-details:not([open])"),
      function (details) { details.open = true; return true; });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });
})();
