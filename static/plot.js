// The chart component (ui/plot.py): draws a plotly figure in the page itself with our plotly.js bundle
// (1.2 MB, against 4.7 MB for the full plotly.js inside st.plotly_chart) and reports clicks. Streamlit
// calls this function on every run whose figure changed, with the same element.
// data: {spec: figure JSON, config: plotly config}. State "selected": the clicked points' customdata
// (double-click clears it); trigger "click": the same, for the one run the click causes.
export default function (component) {
  var data = component.data, parent = component.parentElement;
  var box = parent.querySelector(".el-plot");
  if (!box) {
    box = document.createElement("div");
    box.className = "el-plot";
    parent.appendChild(box);
  }
  box.elReport = {state: component.setStateValue, trigger: component.setTriggerValue};
  var figure = JSON.parse(data.spec);
  box.style.minHeight = (figure.layout.height || 450) + "px";   // no jump when the chart arrives
  window.expertLensLoadPlotly().then(function (Plotly) {
    return Plotly.react(box, figure.data, figure.layout, data.config);
  }).then(function () {
    if (!box.elBound) {
      box.elBound = true;
      box.on("plotly_click", function (event) {
        var picked = event.points.map(function (p) { return p.customdata; })
          .filter(function (c) { return c !== undefined && c !== null; });
        if (picked.length) {
          box.elReport.state("selected", picked);
          box.elReport.trigger("click", picked);
        }
      });
      box.on("plotly_doubleclick", function () { box.elReport.state("selected", []); });
    }
    box.removeAttribute("data-error");
    box.dataset.drawn = String(Number(box.dataset.drawn || 0) + 1);
  }).catch(function (error) {
    box.textContent = "The chart could not be drawn: " + error.message;
    box.dataset.error = "1";
  });
}
