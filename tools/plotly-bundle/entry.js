// The charts' plotly.js (ui/plot.py): its core (scatter, axes, hover, legend, annotations) plus the two
// other traces the matrix and the timeline draw. Everything else plotly.js offers is left out.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
  require('plotly.js/lib/bar'),      // the timeline's month-, season- and year-long events
  require('plotly.js/lib/heatmap'),  // the opinion matrix
]);

module.exports = Plotly;
