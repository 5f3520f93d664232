// The shared filters (ui/filters.py): a picker for each list (people, actors, articles, questions), two
// dates and "Clear all", drawn in plain DOM by one v2 component. Streamlit's own widgets cost a page's
// first render here ~0.25 s (four multiselects, the date popover and a button, rendered in the same
// React pass as the page's chart and tables); this draws in a few milliseconds.
// data: {fields: [{key, label, help, options: [[id, label], ...], chosen: [id, ...]}],
//        dates: {label, help, min, max, from, to}}
// trigger "change": every filter's value after the user's change ({key: [id, ...], from: "", to: ""});
// Python applies it and the next run hands the component its new data. Text from the dataset is only
// ever set as text (textContent, value, title), never parsed as HTML.
var SHOWN = 100;   // list at most this many options at once: type to narrow a longer list
var CSS = [
  ".elf{display:flex;flex-direction:column;gap:1rem;font-size:.875rem;color:inherit}",
  ".elf-head{display:flex;align-items:center;gap:.3rem;margin-bottom:.25rem;font-size:.875rem}",
  ".elf-help{display:inline-flex;align-items:center;justify-content:center;width:1rem;height:1rem;",
  "border:1px solid currentColor;border-radius:50%;font-size:.7rem;opacity:.6;cursor:help}",
  ".elf-chips{display:flex;flex-wrap:wrap;gap:.25rem;margin-bottom:.25rem}",
  ".elf-chips:empty{display:none}",
  ".elf-chip{display:inline-flex;align-items:center;gap:.2rem;max-width:100%;padding:.1rem .15rem .1rem .5rem;",
  "border-radius:.5rem;background:rgba(0,114,178,.14);border:1px solid rgba(0,114,178,.35)}",
  ".elf-chip span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}",
  ".elf-chip button{border:0;background:none;color:inherit;cursor:pointer;font-size:1rem;line-height:1;",
  "padding:0 .3rem;border-radius:.3rem}",
  ".elf-chip button:hover,.elf-chip button:focus-visible{background:rgba(0,0,0,.1)}",
  ".elf-pick>summary{cursor:pointer;list-style:none;padding:.45rem .75rem;border-radius:.5rem;",
  "background:rgba(151,166,195,.15);border:1px solid transparent}",
  ".elf-pick>summary::-webkit-details-marker{display:none}",
  ".elf-pick>summary::after{content:'\\25BE';float:right;opacity:.6}",
  ".elf-pick[open]>summary::after{content:'\\25B4'}",
  ".elf-pick>summary:focus-visible,.elf input:focus-visible,.elf-clear:focus-visible{outline:2px solid #0072B2;",
  "outline-offset:1px}",
  ".elf-panel{margin-top:.25rem;padding:.4rem;border:1px solid rgba(128,128,128,.3);border-radius:.5rem}",
  ".elf-find{width:100%;box-sizing:border-box;padding:.35rem .5rem;border:1px solid rgba(128,128,128,.4);",
  "border-radius:.4rem;background:transparent;color:inherit;font:inherit}",
  ".elf-list{max-height:15rem;overflow:auto;margin-top:.3rem}",
  ".elf-list label{display:flex;gap:.45rem;align-items:flex-start;padding:.2rem .25rem;border-radius:.3rem;",
  "cursor:pointer}",
  ".elf-list label:hover{background:rgba(151,166,195,.18)}",
  ".elf-list input{margin-top:.2rem}",
  ".elf-note{opacity:.7;padding:.2rem .25rem}",
  ".elf-note:empty{display:none}",
  ".elf-dates{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}",
  ".elf-dates label{display:flex;flex-direction:column;gap:.25rem}",
  ".elf-dates input{min-width:0;padding:.35rem .4rem;border:1px solid rgba(128,128,128,.4);border-radius:.4rem;",
  "background:rgba(151,166,195,.15);color:inherit;font:inherit}",
  ".elf-dates input:invalid{border-color:#D55E00}",
  ".elf-clear{padding:.45rem .75rem;border-radius:.5rem;border:1px solid rgba(128,128,128,.4);background:transparent;",
  "color:inherit;font:inherit;cursor:pointer}",
  ".elf-clear:hover:not(:disabled){border-color:#0072B2;color:#0072B2}",
  ".elf-clear:disabled{opacity:.45;cursor:default}",
].join("\n");

function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined) { node.textContent = text; }
  return node;
}

function addStyle() {
  if (document.getElementById("elf-style")) { return; }
  var style = el("style");
  style.id = "elf-style";
  style.textContent = CSS;
  document.head.appendChild(style);
}

function head(text, help, id) {
  var row = el("div", "elf-head");
  var label = el("span", "elf-label", text);
  label.id = id;
  row.appendChild(label);
  if (help) {
    var mark = el("span", "elf-help", "?");
    mark.title = help;
    mark.tabIndex = 0;
    mark.setAttribute("role", "img");
    mark.setAttribute("aria-label", help);
    row.appendChild(mark);
  }
  return row;
}

// The state the user sees: the last data from Python, with the user's changes since then.
function state(root) {
  var out = {};
  root.elFields.forEach(function (field) { out[field.key] = field.chosen.slice(); });
  out.from = root.elDates.from.value || "";
  out.to = root.elDates.to.value || "";
  return out;
}

function send(root) {
  root.elSend(state(root));
}

// The user's new choice for one list: shown at once, then sent.
function choose(root, field, chosen) {
  field.chosen = chosen;
  redraw(root, field);
  send(root);
}

function without(list, id) {
  return list.filter(function (other) { return other !== id; });
}

function labelOf(field, id) {
  return field.labels[id] === undefined ? id : field.labels[id];
}

function drawChips(root, field) {
  var box = field.nodes.chips;
  box.textContent = "";
  field.chosen.forEach(function (id) {
    var chip = el("span", "elf-chip");
    chip.setAttribute("role", "listitem");
    chip.dataset.id = id;
    var name = labelOf(field, id);
    chip.appendChild(el("span", "", name)).title = name;
    var remove = el("button", "", "\u00D7");
    remove.type = "button";
    remove.setAttribute("aria-label", "Remove " + name);
    remove.addEventListener("click", function () { choose(root, field, without(field.chosen, id)); });
    chip.appendChild(remove);
    box.appendChild(chip);
  });
  var n = field.options.length;
  field.nodes.summary.textContent = field.chosen.length
    ? field.chosen.length + " of " + n + " chosen" : "All (" + n + ")";
}

function drawList(root, field) {
  if (!field.nodes.details.open) { return; }
  var words = field.nodes.find.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  var matches = field.options.filter(function (pair) {
    var text = pair[1].toLowerCase();
    return words.every(function (word) { return text.indexOf(word) >= 0; });
  });
  var list = field.nodes.list, shown = matches.slice(0, SHOWN);
  var ids = shown.map(function (pair) { return pair[0] + "\u0001" + pair[1]; }).join("\u0000");
  if (ids === field.shownIds) {   // the same options: tick them in place (keyboard focus stays put)
    list.querySelectorAll("input").forEach(function (box) { box.checked = field.chosen.indexOf(box.value) >= 0; });
  } else {
    var focused = list.contains(document.activeElement) ? document.activeElement.value : null;
    list.textContent = "";
    shown.forEach(function (pair) { list.appendChild(option(root, field, pair)); });
    field.shownIds = ids;
    list.querySelectorAll("input").forEach(function (box) { if (box.value === focused) { box.focus(); } });
  }
  field.nodes.note.textContent = !matches.length ? "Nothing matches." : matches.length > SHOWN
    ? (matches.length - SHOWN) + " more: type to narrow the list." : "";
}

function option(root, field, pair) {
  var row = el("label");
  var box = el("input");
  box.type = "checkbox";
  box.value = pair[0];
  box.checked = field.chosen.indexOf(pair[0]) >= 0;
  box.addEventListener("change", function () {
    choose(root, field, without(field.chosen, pair[0]).concat(box.checked ? [pair[0]] : []));
  });
  row.appendChild(box);
  row.appendChild(el("span", "", pair[1]));
  return row;
}

function redraw(root, field) {
  drawChips(root, field);
  drawList(root, field);
  drawClear(root);
}

function drawClear(root) {
  root.elClear.disabled = !(root.elDates.from.value || root.elDates.to.value ||
    root.elFields.some(function (field) { return field.chosen.length > 0; }));
}

function buildField(root, spec) {
  var id = "elf-" + spec.key;
  var box = el("div", "elf-field");
  box.dataset.key = spec.key;
  box.appendChild(head(spec.label, spec.help, id + "-label"));
  var chips = el("div", "elf-chips");
  chips.setAttribute("role", "list");
  chips.setAttribute("aria-label", spec.label + " chosen");
  box.appendChild(chips);
  var details = el("details", "elf-pick");
  var summary = el("summary");
  summary.setAttribute("aria-describedby", id + "-label");
  details.appendChild(summary);
  var panel = el("div", "elf-panel");
  var find = el("input", "elf-find");
  find.type = "search";
  find.placeholder = "Type to narrow the list";
  find.setAttribute("aria-label", "Find in " + spec.label);
  var list = el("div", "elf-list");
  list.setAttribute("role", "group");
  list.setAttribute("aria-labelledby", id + "-label");
  var note = el("div", "elf-note");
  panel.appendChild(find);
  panel.appendChild(list);
  panel.appendChild(note);
  details.appendChild(panel);
  box.appendChild(details);
  var field = {key: spec.key, nodes: {box: box, chips: chips, details: details, summary: summary, find: find,
                                      list: list, note: note}};
  details.addEventListener("keydown", function (event) {   // Escape closes the list, back on its summary
    if (event.key === "Escape" && details.open) {
      event.preventDefault();
      details.open = false;
      summary.focus();
    }
  });
  details.addEventListener("toggle", function () {
    if (details.open) { drawList(root, field); } else { list.textContent = ""; field.shownIds = null; }
  });
  find.addEventListener("input", function () { drawList(root, field); });
  return field;
}

function buildDate(root, name, text) {
  var label = el("label", "", text);
  var input = el("input");
  input.type = "date";
  input.name = name;
  input.addEventListener("change", function () {
    if (!input.value || input.checkValidity()) { drawClear(root); send(root); }
  });
  label.appendChild(input);
  return {label: label, input: input};
}

function build(parent, data) {
  addStyle();
  var root = el("div", "elf");
  root.elFields = [];
  var dates = el("div", "elf-field elf-dates-field");
  dates.dataset.key = "dates";
  dates.appendChild(head(data.dates.label, data.dates.help, "elf-dates-label"));
  var pair = el("div", "elf-dates");
  pair.setAttribute("role", "group");
  pair.setAttribute("aria-labelledby", "elf-dates-label");
  var from = buildDate(root, "from", "From"), to = buildDate(root, "to", "To");
  pair.appendChild(from.label);
  pair.appendChild(to.label);
  dates.appendChild(pair);
  root.elDates = {from: from.input, to: to.input};
  data.fields.forEach(function (spec, k) {
    var field = buildField(root, spec);
    root.elFields.push(field);
    root.appendChild(field.nodes.box);
    if (k === 1) { root.appendChild(dates); }   // the dates after people and actors, as on every page
  });
  var clear = el("button", "elf-clear", "Clear all");
  clear.type = "button";
  clear.addEventListener("click", function () {
    root.elDates.from.value = "";
    root.elDates.to.value = "";
    root.elFields.forEach(function (field) { field.chosen = []; redraw(root, field); });
    send(root);
  });
  root.elClear = clear;
  root.appendChild(clear);
  parent.appendChild(root);
  return root;
}

// The theme's scheme for the native controls (date fields' calendar icon, checkboxes): dark when the
// sidebar's text is light. Streamlit's theme can differ from the system's, so it is read from the page.
function scheme(root) {
  var rgb = (getComputedStyle(root).color.match(/\d+(\.\d+)?/g) || [0, 0, 0]).map(Number);
  root.style.colorScheme = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140 ? "dark" : "light";
}

function update(root, data) {
  scheme(root);
  [["from", data.dates.from], ["to", data.dates.to]].forEach(function (pair) {
    var input = root.elDates[pair[0]];
    input.min = data.dates.min || "";
    input.max = data.dates.max || "";
    if (document.activeElement !== input) { input.value = pair[1] || ""; }
  });
  data.fields.forEach(function (spec, k) {
    var field = root.elFields[k];
    field.options = spec.options;
    field.labels = {};
    spec.options.forEach(function (pair) { field.labels[pair[0]] = pair[1]; });
    field.chosen = spec.chosen.slice();
  });
  root.elFields.forEach(function (field) { redraw(root, field); });   // each needs every list's choice
}

export default function (component) {
  var parent = component.parentElement;
  var root = parent.querySelector(".elf") || build(parent, component.data);
  root.elSend = function (value) { component.setTriggerValue("change", value); };
  update(root, component.data);
}
