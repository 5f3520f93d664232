// window.expertLensLoadPlotly() -> Promise of window.Plotly: the charts' plotly.js
// (plotly-expert-lens.min.js, ui/plot.py), loaded once per tab by static-loader.js.
window.expertLensLoadPlotly = function () {
  return window.expertLensLoad("plotly-expert-lens.min.js").then(function () { return window.Plotly; });
};
