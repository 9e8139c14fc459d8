// Render every Vega-Lite chart on the page: <div data-vega-spec="ID-of-json_script">.
// Exports (PNG, SVG) come from vega-embed's action menu; no network is used.
(function () {
  function renderCharts(root) {
    if (typeof vegaEmbed === "undefined") return;
    root.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      if (el.dataset.rendered) return;
      var script = document.getElementById(el.dataset.vegaSpec);
      if (!script) return;
      el.dataset.rendered = "1";
      vegaEmbed(el, JSON.parse(script.textContent), {
        actions: { export: true, source: false, compiled: false, editor: false },
        renderer: "svg",
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSwap", function (e) { renderCharts(e.target); });
})();
