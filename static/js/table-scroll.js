/* Wide tables scroll inside their own container (.utrecht-table-container, overflow: auto), not
 * the page (WCAG 1.4.10 reflow). A container that is wider than the screen becomes a region
 * that keyboard users can focus and scroll with the arrow keys, named by its table's caption:
 *   <div class="utrecht-table-container" role="region" aria-labelledby="<caption id>" tabindex="0">
 * Only a container that scrolls gets the tab stop; one that fits loses what this script gave
 * it. Containers that name themselves in the template (tabindex set there) are left alone.
 * Runs once the page is parsed, after each resize, htmx swap and unfolded <details>. */
(function () {
  "use strict";

  var MARK = "data-scroll-region";
  var counter = 0;

  function nameOf(container) {
    var table = container.querySelector("table");
    if (!table) return null;
    var caption = table.querySelector("caption");
    if (caption) {
      if (!caption.id) caption.id = (table.id || "tabel-" + (++counter)) + "-bijschrift";
      return { labelledby: caption.id };
    }
    if (table.getAttribute("aria-labelledby")) return { labelledby: table.getAttribute("aria-labelledby") };
    if (table.getAttribute("aria-label")) return { label: table.getAttribute("aria-label") };
    return null;
  }

  function update(container) {
    if (container.hasAttribute("tabindex") && !container.hasAttribute(MARK)) return;
    var scrolls = container.scrollWidth > container.clientWidth + 1;
    var name = scrolls ? nameOf(container) : null;
    if (name) {
      container.setAttribute(MARK, "");
      container.setAttribute("tabindex", "0");
      container.setAttribute("role", "region");
      if (name.labelledby) container.setAttribute("aria-labelledby", name.labelledby);
      else container.setAttribute("aria-label", name.label);
    } else if (container.hasAttribute(MARK)) {
      ["tabindex", "role", "aria-labelledby", "aria-label", MARK].forEach(function (attribute) {
        container.removeAttribute(attribute);
      });
    }
  }

  function updateAll() {
    document.querySelectorAll(".utrecht-table-container").forEach(update);
  }

  var pending = null;
  function later() {
    if (pending) window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(function () { pending = null; updateAll(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", updateAll);
  else updateAll();
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", later);
  document.addEventListener("toggle", later, true);  // a table in a <details> opened
})();
