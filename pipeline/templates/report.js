/* The evkg report page: draws the data of <script id="evkg-data"> (see pipeline/report.py).
   Text from the graph is only ever set with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("evkg-data").textContent);
  var KINDS = ["accuses", "claims_responsibility", "denies", "disputes", "confirms", "warns"];
  var TYPES = {
    Person: { shape: "ellipse", colour: "#3b6ea8" },
    Organization: { shape: "round-rectangle", colour: "#7a8b99" },
    Country: { shape: "diamond", colour: "#2e8b57" },
    Group: { shape: "hexagon", colour: "#a0522d" }
  };
  var css = getComputedStyle(document.documentElement);
  function kindColour(kind) { return css.getPropertyValue("--" + kind).trim() || "#566573"; }

  var actorById = {}, claimById = {}, docById = {};
  data.actors.forEach(function (a) { actorById[a.id] = a; });
  data.claims.forEach(function (c) { claimById[c.id] = c; });
  data.documents.forEach(function (d) { docById[d.id] = d; });
  function actorLabel(iri) { return actorById[iri] ? actorById[iri].label : iri; }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k === "className") { node.className = attrs[k]; }
      else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function kindBadge(kind) {
    var badge = el("span", { className: "kind", text: kind });
    badge.style.background = kindColour(kind);
    return badge;
  }
  function evidenceLink(docId, evidence, text) {
    var link = el("a", { href: "#document", className: "evidence-link", text: text });
    link.addEventListener("click", function (evt) {
      evt.preventDefault();  // showEvidence scrolls to the highlighted span itself
      showEvidence(docId, evidence);
    });
    return link;
  }

  // ---- The document with the evidence span highlighted ------------------------------------
  function showEvidence(docId, evidence) {
    var doc = docById[docId] || { id: docId, label: docId, text: null, note: "not in the graph" };
    var box = document.getElementById("document-text");
    var note = document.getElementById("document-note");
    document.getElementById("document-title").textContent = doc.label === doc.id ? doc.id : doc.label + " (" + doc.id + ")";
    box.textContent = "";
    var mark = el("mark", { text: evidence.exact });
    if (doc.text !== null && doc.text.slice(evidence.start, evidence.end) === evidence.exact) {
      note.textContent = "Characters " + evidence.start + "–" + evidence.end + " highlighted.";
      box.appendChild(document.createTextNode(doc.text.slice(0, evidence.start)));
      mark.textContent = doc.text.slice(evidence.start, evidence.end);
      box.appendChild(mark);
      box.appendChild(document.createTextNode(doc.text.slice(evidence.end)));
    } else {
      note.textContent = "The document's text is not available (" + (doc.note || "it does not match the evidence") +
        "): the evidence sentence alone.";
      box.appendChild(mark);
    }
    mark.id = "evidence-mark";
    mark.scrollIntoView({ block: "center" });
  }

  // ---- Blame network ------------------------------------------------------------------------
  var elements = data.actors.map(function (a) {
    return { group: "nodes", data: { id: a.id, label: a.label, type: a.type } };
  }).concat(data.edges.map(function (e) {
    return { group: "edges", data: { id: e.id, source: e.source, target: e.target, kind: e.kind,
      hedged: e.hedged, sources: e.sources, claims: e.claims } };
  }));
  var style = [
    { selector: "node", style: { label: "data(label)", "font-size": 13, "text-valign": "bottom", "text-margin-y": 3,
      "text-wrap": "wrap", "text-max-width": 130, width: 26, height: 26, color: "#1d2430" } },
    { selector: "edge", style: { "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 1.1,
      width: function (e) { return 1.5 + 1.5 * e.data("sources"); },
      "line-color": function (e) { return kindColour(e.data("kind")); },
      "target-arrow-color": function (e) { return kindColour(e.data("kind")); },
      "line-style": function (e) { return e.data("hedged") ? "dashed" : "solid"; },
      "loop-direction": "-45deg", "loop-sweep": "-60deg" } },
    { selector: "edge:selected", style: { "overlay-color": "#000", "overlay-opacity": 0.15 } }
  ];
  Object.keys(TYPES).forEach(function (type) {
    style.push({ selector: 'node[type = "' + type + '"]', style: { shape: TYPES[type].shape, "background-color": TYPES[type].colour } });
  });
  var cy = cytoscape({
    container: document.getElementById("cy"), elements: elements, style: style,
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 90000; },
      idealEdgeLength: function () { return 110; }, padding: 20 }
  });

  function showEdge(edge) {
    var panel = document.getElementById("edge-claims");
    panel.textContent = "";
    var claims = edge.data("claims").map(function (id) { return claimById[id]; });
    panel.appendChild(el("h3", { text: actorLabel(edge.data("source")) + " → " + actorLabel(edge.data("target")) +
      " (" + claims.length + " claim" + (claims.length === 1 ? "" : "s") + ", " + edge.data("sources") +
      " source" + (edge.data("sources") === 1 ? "" : "s") + ")" }));
    var list = el("ul", { className: "edge-claim-list" });
    claims.forEach(function (c) {
      list.appendChild(el("li", {}, [kindBadge(c.kind), c.hedged ? " hedged " : " ",
        c.said_on ? "on " + c.said_on + " " : "", "(" + c.document + "): ",
        evidenceLink(c.document, c.evidence, c.evidence.exact)]));
    });
    panel.appendChild(list);
  }
  cy.on("tap", "edge", function (evt) { showEdge(evt.target); });

  var legend = document.getElementById("legend");
  Object.keys(TYPES).forEach(function (type) {
    var shape = el("span", { className: "shape" });
    shape.style.background = TYPES[type].colour;
    if (TYPES[type].shape === "ellipse") { shape.style.borderRadius = "50%"; }
    if (TYPES[type].shape === "diamond") { shape.style.transform = "rotate(45deg) scale(0.8)"; }
    legend.appendChild(el("span", {}, [shape, type]));
  });
  KINDS.concat(["mixed"]).forEach(function (kind) {
    var swatch = el("span", { className: "swatch" });
    swatch.style.background = kindColour(kind);
    legend.appendChild(el("span", {}, [swatch, kind === "mixed" ? "several kinds" : kind]));
  });
  legend.appendChild(el("span", {}, [el("span", { className: "swatch dashed" }), "hedged"]));

  // ---- Timeline -------------------------------------------------------------------------------
  var entries = [];
  data.events.forEach(function (e) {
    if (e.date) { entries.push({ date: e.date, rank: 0, type: "event", text: e.label }); }
  });
  data.claims.forEach(function (c) {
    if (c.said_on) {
      entries.push({ date: c.said_on, rank: 1, type: "claim", claim: c,
        text: actorLabel(c.claimant) + " " + c.kind + " " + c.targets.map(actorLabel).join(", ") });
    }
  });
  data.documents.forEach(function (d) {
    if (d.published) { entries.push({ date: d.published, rank: 2, type: "published", text: "published: " + (d.label === d.id ? d.id : d.label + " (" + d.id + ")") }); }
  });
  entries.sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : a.rank - b.rank || (a.text < b.text ? -1 : 1); });
  var timeline = document.getElementById("timeline-list");
  entries.forEach(function (t) {
    var item = el("li", { className: t.type }, [el("time", { datetime: t.date, text: t.date })]);
    if (t.claim) {
      item.appendChild(kindBadge(t.claim.kind));
      item.appendChild(document.createTextNode(" " + t.text + " "));
      item.appendChild(evidenceLink(t.claim.document, t.claim.evidence, "(" + t.claim.document + ")"));
    } else {
      item.appendChild(document.createTextNode(t.type === "event" ? "event: " + t.text : t.text));
    }
    timeline.appendChild(item);
  });
  if (!entries.length) { timeline.appendChild(el("li", { text: "Nothing in the graph is dated." })); }

  // ---- Figures side by side, one column per source ------------------------------------------
  var figureDocs = [], cells = {}, rowKeys = [];
  data.figures.forEach(function (f) {
    if (figureDocs.indexOf(f.document) < 0) { figureDocs.push(f.document); }
    var key = (f.event || "(no event)") + "\u0000" + f.measure;
    if (!cells[key]) { cells[key] = {}; rowKeys.push(key); }
    (cells[key][f.document] = cells[key][f.document] || []).push(f);
  });
  figureDocs.sort();
  var figuresBox = document.getElementById("figures-table");
  if (!rowKeys.length) {
    figuresBox.appendChild(el("p", { className: "hint", text: "No figures in the graph." }));
  } else {
    var head = el("tr", {}, [el("th", { text: "event" }), el("th", { text: "measure" })].concat(
      figureDocs.map(function (d) { return el("th", { text: d }); })));
    var body = el("tbody");
    rowKeys.forEach(function (key) {
      var parts = key.split("\u0000");
      var row = el("tr", {}, [el("td", { text: parts[0] }), el("td", { text: parts[1] })]);
      figureDocs.forEach(function (d) {
        var td = el("td", { className: "number" });
        (cells[key][d] || []).forEach(function (f, n) {
          if (n) { td.appendChild(document.createTextNode("; ")); }
          td.appendChild(evidenceLink(d, f.evidence, (f.qualifier && f.qualifier !== "exactly" ? f.qualifier + " " : "") + f.value));
        });
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    figuresBox.appendChild(el("table", { id: "figures-pivot" }, [el("thead", {}, [head]), body]));
  }

  // ---- Claims table with filters ---------------------------------------------------------------
  var tbody = document.querySelector("#claims-table tbody");
  var rows = data.claims.map(function (c) {
    var row = el("tr", {}, [
      el("td", { text: actorLabel(c.claimant) }), el("td", {}, [kindBadge(c.kind)]),
      el("td", { text: c.targets.map(actorLabel).join(", ") }), el("td", { text: c.hedged ? "hedged" : "" }),
      el("td", { text: c.said_on || "" }), el("td", { text: c.document }),
      el("td", { className: "evidence" }, [evidenceLink(c.document, c.evidence, c.evidence.exact)])
    ]);
    row.dataset.claim = c.id;
    tbody.appendChild(row);
    return { claim: c, row: row };
  });
  function fill(select, values, label) {
    values.forEach(function (v) { select.appendChild(el("option", { value: v, text: label ? label(v) : v })); });
  }
  var involved = {};
  data.claims.forEach(function (c) { involved[c.claimant] = true; c.targets.forEach(function (t) { involved[t] = true; }); });
  var actorSelect = document.getElementById("filter-actor");
  var kindSelect = document.getElementById("filter-kind");
  var docSelect = document.getElementById("filter-document");
  fill(actorSelect, Object.keys(involved).sort(function (a, b) { return actorLabel(a).localeCompare(actorLabel(b)); }), actorLabel);
  fill(kindSelect, KINDS.filter(function (k) { return data.claims.some(function (c) { return c.kind === k; }); }));
  fill(docSelect, data.documents.filter(function (d) { return data.claims.some(function (c) { return c.document === d.id; }); })
    .map(function (d) { return d.id; }));
  function applyFilters() {
    var actor = actorSelect.value, kind = kindSelect.value, doc = docSelect.value, shown = 0;
    rows.forEach(function (r) {
      var c = r.claim;
      var visible = (!actor || c.claimant === actor || c.targets.indexOf(actor) >= 0) &&
        (!kind || c.kind === kind) && (!doc || c.document === doc);
      r.row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    document.getElementById("claims-count").textContent = shown + " of " + rows.length + " claims";
  }
  [actorSelect, kindSelect, docSelect].forEach(function (s) { s.addEventListener("change", applyFilters); });
  applyFilters();

  window.evkgReport = { cy: cy, data: data, showEvidence: showEvidence };
})();
