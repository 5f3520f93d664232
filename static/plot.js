// The chart component (ui/plot.py): draws a plotly figure in the page itself with our plotly.js bundle
// (1.2 MB, against 4.7 MB for the full plotly.js inside st.plotly_chart) and reports clicks. Streamlit
// calls this function on every run whose figure changed, with the same element.
// data: {spec: figure JSON, config: plotly config}. State "selected": the clicked points' customdata
// (double-click clears it); trigger "click": the same, for the one run the click causes.
// Plotly's automargin draws a chart, measures its tick labels, then draws it again (~90 ms of a page's
// first draw here). For each axis that asks for it, measure the category labels first, in the page's
// own font on a canvas, and give the margin they need: the chart is drawn once. Tilted labels, and
// axes whose labels plotly makes up (dates, numbers), keep plotly's automargin.
var LINE = 1.3;   // plotly's line height, in font sizes
var PAD = 6;      // between a label and the plot, plus a little room
var measure = null;

function labelSize(text, size, family) {
  measure = measure || document.createElement("canvas").getContext("2d");
  var lines = String(text).split(/<br\s*\/?>/i), width = 0, height = 0;
  lines.forEach(function (line) {
    var own = /font-size:\s*(\d+(?:\.\d+)?)px/i.exec(line), px = own ? Number(own[1]) : size;
    measure.font = (/<b>/i.test(line) ? "bold " : "") + px + "px " + family;
    var plain = line.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    width = Math.max(width, measure.measureText(plain).width);
    height += px * LINE;
  });
  return {width: width * 1.02 + 2, height: height};   // a little more: fonts differ by a pixel here and there
}

function categories(figure, letter) {
  var axis = figure.layout[letter + "axis"] || {}, seen = {}, out = [];
  var values = [axis.categoryarray || []].concat(figure.data.map(function (trace) { return trace[letter] || []; }));
  values.forEach(function (list) {
    list.forEach(function (value) {
      if (value !== null && value !== undefined && !seen[value]) { seen[value] = true; out.push(value); }
    });
  });
  return out;
}

function fixMargins(figure) {
  var layout = figure.layout, margin = Object.assign({l: 80, r: 80, t: 100, b: 80}, layout.margin || {});
  var font = (layout.font && layout.font.family) ||
    (layout.template && layout.template.layout && layout.template.layout.font &&
     layout.template.layout.font.family) || "sans-serif";
  [["x", "xaxis"], ["y", "yaxis"]].forEach(function (pair) {
    var axis = layout[pair[1]];
    if (!axis || axis.automargin !== true || axis.type !== "category" || (axis.tickangle || 0) !== 0) { return; }
    var size = (axis.tickfont && axis.tickfont.size) || 12, need = 0;
    categories(figure, pair[0]).forEach(function (label) {
      var box = labelSize(label, size, font);
      need = Math.max(need, pair[0] === "y" ? box.width : box.height);
    });
    var side = pair[0] === "y" ? (axis.side === "right" ? "r" : "l") : (axis.side === "top" ? "t" : "b");
    margin[side] += Math.ceil(need) + PAD;
    axis.automargin = false;
  });
  layout.margin = margin;
  return figure;
}

export default function (component) {
  var data = component.data, parent = component.parentElement;
  var box = parent.querySelector(".el-plot");
  if (!box) {
    box = document.createElement("div");
    box.className = "el-plot";
    parent.appendChild(box);
  }
  box.elReport = {state: component.setStateValue, trigger: component.setTriggerValue};
  var figure = fixMargins(JSON.parse(data.spec));
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
