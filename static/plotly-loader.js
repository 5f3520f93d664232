// Load static/plotly-expert-lens.min.js once per browser tab (served by Streamlit's static file
// serving at app/static/, next to Streamlit's own bundle) and resolve with window.Plotly. Shared by the
// chart component (ui/plot.py) and the early preload (ui/preload.py): whichever runs first starts it.
window.expertLensLoadPlotly = window.expertLensLoadPlotly || (function () {
  var FILE = "plotly-expert-lens.min.js";
  var pending = null;
  function url() {
    var entry = document.querySelector('script[type="module"][src*="/static/js/index."]');
    return entry ? new URL("../../app/static/" + FILE, entry.src).href
                 : new URL("app/static/" + FILE, window.location.href).href;
  }
  return function () {
    if (window.Plotly) { return Promise.resolve(window.Plotly); }
    if (pending === null) {
      pending = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = url();
        tag.async = true;
        tag.onload = function () { resolve(window.Plotly); };
        tag.onerror = function () {
          pending = null;
          tag.remove();
          reject(new Error("the chart library could not be loaded from " + tag.src +
                           " (is server.enableStaticServing on?)"));
        };
        document.head.appendChild(tag);
      });
    }
    return pending;
  };
})();
