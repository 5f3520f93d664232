// Load a script (and its stylesheet) from the app's static files once per browser tab: Streamlit's
// static file serving puts static/ at app/static/, next to Streamlit's own bundle. Defines
// window.expertLensLoad(script, style) -> Promise, shared by the chart and graph loaders
// (plotly-loader.js, vis-loader.js) and by the early preload (ui/preload.py): whoever asks first
// starts the download, later calls get the same promise.
window.expertLensLoad = window.expertLensLoad || (function () {
  var pending = {};
  function url(file) {
    var entry = document.querySelector('script[type="module"][src*="/static/js/index."]');
    return entry ? new URL("../../app/static/" + file, entry.src).href
                 : new URL("app/static/" + file, window.location.href).href;
  }
  function addStyle(file) {
    if (document.querySelector('link[data-el-static="' + file + '"]')) { return; }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url(file);
    link.setAttribute("data-el-static", file);
    document.head.appendChild(link);
  }
  return function (script, style) {
    if (style) { addStyle(style); }
    if (!pending[script]) {
      pending[script] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = url(script);
        tag.async = true;
        tag.onload = function () { resolve(); };
        tag.onerror = function () {
          delete pending[script];
          tag.remove();
          reject(new Error(script + " could not be loaded from " + tag.src +
                           " (is server.enableStaticServing on?)"));
        };
        document.head.appendChild(tag);
      });
    }
    return pending[script];
  };
})();
