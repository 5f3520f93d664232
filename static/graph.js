// The alliance graph component (ui/graph.py): draws the network pyvis built in the page itself (no
// iframe) with pyvis's copy of vis-network, loaded once per tab by static/vis-loader.js. Streamlit
// calls this function, with the same element, each time it sends the element's data: a new network
// is drawn again in place (setOptions + setData), never created twice.
// data: {network: JSON of {nodes, edges, options, height}, height: its height in pixels}. Trigger
// "edge": the id of the edge clicked (not a node), for the one run the click causes. State
// attributes on the graph's box (#mynetwork.el-graph): data-received (networks received), data-drawn
// (layouts finished), data-stabilised ("1" once the latest network is laid out);
// window.expertLensNetwork is the network.
var LEGEND = '<svg width="36" height="8"><line x1="0" y1="4" x2="36" y2="4" stroke="#0072B2" ' +
  'stroke-width="3"/></svg> cooperation<br><svg width="36" height="8"><line x1="0" y1="4" x2="36" ' +
  'y2="4" stroke="#D55E00" stroke-width="3" stroke-dasharray="8 5"/></svg> conflict<br>' +
  'node size: mentions &middot; line width: evidence';

// Hover titles are our markup with every piece of data HTML-escaped (ui/graph.py): elements, so
// vis-network shows them as HTML and the escaped text as text (as static/index.html's tip()).
function tip(markup) { var el = document.createElement("div"); el.className = "el-tip";
  el.innerHTML = markup; return el; }
function withTips(items) { return items.map(function (it) {
  if (typeof it.title === "string") { it.title = tip(it.title); } return it; }); }

function parts(parent) {
  var wrap = parent.querySelector(".el-graph-wrap");
  if (!wrap) {
    wrap = document.createElement("div");
    wrap.className = "el-graph-wrap";
    wrap.innerHTML = '<div id="mynetwork" class="el-graph"></div>' +
      '<div class="el-graph-loading">Laying out the graph\u2026</div>' +
      '<div class="el-graph-legend">' + LEGEND + "</div>";
    parent.appendChild(wrap);
  }
  return {box: wrap.querySelector(".el-graph"), loading: wrap.querySelector(".el-graph-loading")};
}

// Hide the hover box (vis-network hides it only when the pointer moves on the canvas): when the pointer
// leaves the graph, and when a new network replaces the one it described.
function hideTip(network) {
  var handler = network && network.interactionHandler;
  if (handler && handler.popup) { handler.popupObj = undefined; handler.popup.hide(); }
}

// Draw a network {nodes, edges, options, height}: physics lays it out in bounded iterations, then is
// switched off (a 300-node graph stays responsive).
function draw(vis, box, loading, args) {
  var data = {nodes: new vis.DataSet(withTips(args.nodes)), edges: new vis.DataSet(withTips(args.edges))};
  var network = box.elNetwork;
  if (!network) {
    network = box.elNetwork = new vis.Network(box, data, args.options);
    box.addEventListener("mouseleave", function () { hideTip(box.elNetwork); });
    network.on("click", function (params) {   // an edge alone, not a node with its edges
      if (params.nodes.length === 0 && params.edges.length === 1 && box.elTrigger) {
        box.elTrigger("edge", params.edges[0]);
      }
    });
  } else {
    hideTip(network);
    network.setOptions(args.options);
    network.setData(data);
  }
  window.expertLensNetwork = network;
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: {enabled: false}});
    if (box.elShown !== box.elWanted) { return; }   // a newer network is on its way
    loading.style.display = "none";
    box.dataset.drawn = String(Number(box.dataset.drawn || 0) + 1);
    box.dataset.stabilised = "1";
  });
}

export default function (component) {
  var found = parts(component.parentElement), box = found.box, loading = found.loading;
  var json = component.data.network;
  box.style.height = component.data.height + "px";   // no jump when the network arrives
  box.dataset.received = String(Number(box.dataset.received || 0) + 1);
  box.elTrigger = component.setTriggerValue;
  if (json !== box.elWanted) {
    box.elWanted = json;
    box.removeAttribute("data-stabilised");
    loading.style.display = "";
    window.expertLensLoadVis().then(function (vis) {
      if (box.elWanted !== json || box.elShown === json) { return; }   // superseded, or drawn already
      box.elShown = json;
      draw(vis, box, loading, JSON.parse(json));
    }).catch(function (error) {
      loading.textContent = "The graph could not be drawn: " + error.message;
      box.dataset.error = "1";
    });
  }
  return function () {   // the element is gone (another page): free the network
    if (!box.isConnected && box.elNetwork) {
      if (window.expertLensNetwork === box.elNetwork) { window.expertLensNetwork = null; }
      box.elNetwork.destroy();
      box.elNetwork = null;
    }
  };
}
