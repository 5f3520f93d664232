// window.expertLensLoadVis() -> Promise of window.vis: pyvis's copy of vis-network and its stylesheet
// (the tooltip's look; the graph is drawn in the page, ui/graph.py), loaded once per tab by
// static-loader.js.
window.expertLensLoadVis = function () {
  return window.expertLensLoad("vis-network.min.js", "vis-network.css").then(function () { return window.vis; });
};
