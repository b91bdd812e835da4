/* The network pages of out/views/ (overview, jurisdiction-*, programme-*, compare): draws DATA with vis-network
   (lib/vis-network.min.js, loaded before this file). Every text goes into the DOM as text, never as HTML. */
(function () {
  "use strict";
  // the page's data: a JSON block (<script type="application/json">), never code, shown with textContent only
  var DATA = JSON.parse(document.getElementById("view-data").textContent);
  var SAFE_LINK = /^(index|overview|compare|(jurisdiction|programme)-[a-z0-9_-]+)\.html$/;
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function link(href, text) {
    var a = el("a", text);
    if (SAFE_LINK.test(href)) { a.setAttribute("href", href); }
    return a;
  }
  var legend = document.getElementById("legend");
  DATA.legend.forEach(function (item) {
    var span = el("span"), mark = el("i", null, item.shape);
    if (item.shape === "triangle") { mark.style.color = item.color; } else { mark.style.background = item.color; }
    span.appendChild(mark); span.appendChild(document.createTextNode(item.label)); legend.appendChild(span);
  });
  var info = DATA.info, details = document.getElementById("details");
  function showDetails(id) {
    var d = info[id];
    details.textContent = "";
    if (!d) { details.style.display = "none"; return; }
    details.appendChild(el("h2", d.heading));
    details.appendChild(el("div", d.kind, "kind"));
    d.lines.forEach(function (line) { details.appendChild(el("p", line)); });
    d.quotes.forEach(function (q) { details.appendChild(el("blockquote", q)); });
    if (d.link) { var p = el("p"); p.appendChild(link(d.link, "打开页面 open page →")); details.appendChild(p); }
    details.style.display = "block";
  }
  window.unionkgShowDetails = showDetails;
  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  function tipElement(text) { return el("div", text); }
  function setGraph(nodeList, edgeList) {
    nodes.clear(); edges.clear();
    nodes.add(nodeList.map(function (n) {
      var copy = Object.assign({}, n); copy.title = tipElement(n.title || ""); return copy;
    }));
    edges.add(edgeList.map(function (e) {
      var copy = Object.assign({}, e); if (typeof e.title === "string") { copy.title = tipElement(e.title); } return copy;
    }));
  }
  setGraph(DATA.nodes, DATA.edges);
  var network = new vis.Network(document.getElementById("network"), {nodes: nodes, edges: edges}, DATA.options);
  window.unionkgNetwork = network;
  window.unionkgNodes = nodes;
  window.unionkgReady = false;
  var settled = false;
  function ready() {  // physics off, then the next frame drawn: the page is ready for a look
    if (settled) { return; }
    settled = true;
    if (DATA.options.physics.enabled) { network.setOptions({physics: {enabled: false}}); }
    network.once("afterDrawing", function () { window.unionkgReady = true; });
    network.redraw();
  }
  if (DATA.options.physics.enabled) {
    network.once("stabilizationIterationsDone", ready);
    setTimeout(ready, 10000);
  } else {
    network.once("afterDrawing", ready);
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(params.nodes[0]); } else { details.style.display = "none"; }
  });
  network.on("doubleClick", function (params) {
    var d = params.nodes.length ? info[params.nodes[0]] : null;
    if (d && d.link && SAFE_LINK.test(d.link)) { window.location.href = d.link; }
  });
  var search = document.getElementById("search"), count = document.getElementById("count");
  function haystack(id) {
    var d = info[id] || {lines: [], quotes: [], heading: ""}, n = nodes.get(id);
    return [n ? n.label : "", d.heading].concat(d.lines, d.quotes).join("\n").toLowerCase();
  }
  var facet = {category: "", jurisdiction: ""};
  function facetOk(id) {  // the overview's category and jurisdiction filters
    var v = DATA.facets ? DATA.facets.values[id] : null;
    if (!v) { return true; }
    if (facet.category && v.category !== null && v.category !== facet.category) { return false; }
    if (facet.jurisdiction && v.jurisdictions.indexOf(facet.jurisdiction) < 0) { return false; }
    return true;
  }
  function applyFilter() {
    var q = search.value.trim().toLowerCase();
    var ids = nodes.getIds(), show = {}, hits = [];
    if (!q) {
      nodes.update(ids.map(function (id) { return {id: id, hidden: !facetOk(id)}; }));
      count.textContent = ""; return hits;
    }
    ids.forEach(function (id) { if (facetOk(id) && haystack(id).indexOf(q) >= 0) { hits.push(id); show[id] = true; } });
    hits.forEach(function (id) { network.getConnectedNodes(id).forEach(function (n) { show[n] = true; }); });
    (DATA.keep || []).forEach(function (id) { show[id] = true; });
    nodes.update(ids.map(function (id) { return {id: id, hidden: !(show[id] && facetOk(id))}; }));
    count.textContent = hits.length + " match" + (hits.length === 1 ? "" : "es");
    return hits;
  }
  if (DATA.facets) {
    var facetBar = document.getElementById("facets");
    var facetSelect = function (name, label, choices) {
      var s = el("select"); s.name = name; s.setAttribute("aria-label", label);
      var all = el("option", label); all.value = ""; s.appendChild(all);
      choices.forEach(function (c) { var o = el("option", c.label); o.value = c.id; s.appendChild(o); });
      s.addEventListener("change", function () { facet[name] = s.value; applyFilter(); });
      facetBar.appendChild(s);
    };
    facetSelect("category", "全部类别 all categories",
      DATA.facets.categories.map(function (c) { return {id: c, label: c}; }));
    facetSelect("jurisdiction", "全部地区 all jurisdictions", DATA.facets.jurisdictions);
    window.unionkgFacet = function (name, value) { facet[name] = value || ""; return applyFilter(); };
  }
  search.addEventListener("input", applyFilter);
  search.addEventListener("keydown", function (e) {
    if (e.key !== "Enter") { return; }
    var hits = applyFilter();
    if (hits.length) { network.selectNodes([hits[0]]); network.focus(hits[0], {scale: 1.2}); showDetails(hits[0]); }
  });
  window.unionkgFilter = function (text) { search.value = text; return applyFilter(); };
  if (DATA.compare) { compareMode(DATA.compare); }

  function compareMode(C) {
    var side = document.getElementById("side");
    side.style.display = "block";
    var bySlug = {};
    C.jurisdictions.forEach(function (j) { bySlug[j.slug] = j; });
    function selector(label, name) {
      side.appendChild(el("label", label));
      var s = el("select"); s.name = name; s.setAttribute("aria-label", label);
      C.jurisdictions.forEach(function (j) { var o = el("option", j.label); o.value = j.slug; s.appendChild(o); });
      side.appendChild(s); return s;
    }
    var selA = selector("甲 A", "a"), selB = selector("乙 B", "b"), summary = el("div");
    side.appendChild(summary);
    function fromHash() {
      var m = /a=([a-z0-9_-]+)&b=([a-z0-9_-]+)/.exec(window.location.hash || "");
      if (m && bySlug[m[1]] && bySlug[m[2]]) { selA.value = m[1]; selB.value = m[2]; }
      else if (C.jurisdictions.length > 1) { selA.value = C.jurisdictions[0].slug; selB.value = C.jurisdictions[1].slug; }
    }
    function list(title, items, jurA, jurB) {
      summary.appendChild(el("h2", title + " (" + items.length + ")"));
      var ul = el("ul");
      items.forEach(function (p) {
        var li = el("li"), prog = C.programmes[p];
        li.appendChild(link(prog.link, prog.label));
        var counts = [jurA, jurB].filter(Boolean).map(function (j) { return j.label + " " + (prog.mentions[j.slug] || 0); });
        li.appendChild(document.createTextNode(" · " + counts.join(" / ")));
        ul.appendChild(li);
      });
      summary.appendChild(ul);
    }
    function textList(title, items) {
      summary.appendChild(el("h2", title + " (" + items.length + ")"));
      summary.appendChild(el("p", items.join("、") || "—"));
    }
    function column(ids, x0, rows, out) {
      ids.forEach(function (p, i) {
        var prog = C.programmes[p];
        out.push({id: p, label: prog.label, shape: "dot", size: 12,
          color: {background: prog.colour, border: prog.curated ? "#555555" : "#222222"},
          shapeProperties: prog.curated ? {} : {borderDashes: [4, 3]},
          x: x0 + Math.floor(i / rows) * 190, y: (i % rows) * 42, title: prog.label + "\n" + prog.category});
      });
      return x0 + Math.max(1, Math.ceil(ids.length / rows)) * 190;
    }
    function update() {
      var a = bySlug[selA.value], b = bySlug[selB.value];
      if (!a || !b) { summary.textContent = "no jurisdictions to compare"; window.unionkgCompare = null; return; }
      var inA = {}, inB = {};
      a.programmes.forEach(function (p) { inA[p] = true; });
      b.programmes.forEach(function (p) { inB[p] = true; });
      var all = Object.keys(C.programmes).sort(function (x, y) { return C.programmes[x].rank - C.programmes[y].rank; });
      var onlyA = all.filter(function (p) { return inA[p] && !inB[p]; });
      var both = all.filter(function (p) { return inA[p] && inB[p]; });
      var onlyB = all.filter(function (p) { return inB[p] && !inA[p]; });
      var rows = Math.max(8, Math.ceil(Math.sqrt(all.length) * 1.6)), ns = [], es = [];
      var x1 = column(onlyA, 0, rows, ns), x2 = column(both, x1 + 120, rows, ns), x3 = column(onlyB, x2 + 120, rows, ns);
      var same = a.id === b.id;
      ns.push({id: a.id, label: a.label, shape: "box", x: (x1 - 190) / 2, y: -110, font: {color: "#ffffff", size: 18},
        color: {background: "#2f2f2f", border: "#2f2f2f"}, title: a.label, margin: 8});
      if (!same) {
        ns.push({id: b.id, label: b.label, shape: "box", x: x2 + 120 + (x3 - x2 - 120 - 190) / 2, y: -110,
          font: {color: "#ffffff", size: 18}, color: {background: "#2f2f2f", border: "#2f2f2f"}, title: b.label, margin: 8});
      }
      onlyA.concat(both).forEach(function (p) { es.push({from: a.id, to: p, arrows: {to: {enabled: false}}}); });
      if (!same) { onlyB.concat(both).forEach(function (p) { es.push({from: b.id, to: p, arrows: {to: {enabled: false}}}); }); }
      setGraph(ns, es);
      info = {};
      all.forEach(function (p) {
        var prog = C.programmes[p];
        info[p] = {heading: prog.label, kind: "工作品牌 programme", quotes: [], link: prog.link,
          lines: ["类别 category: " + prog.category, a.label + ": " + (prog.mentions[a.slug] || 0) + " mention(s)",
                  b.label + ": " + (prog.mentions[b.slug] || 0) + " mention(s)"]};
      });
      [a, b].forEach(function (j) {
        info[j.id] = {heading: j.label, kind: "管辖区域 jurisdiction", quotes: [], lines: [j.programmes.length + " programme(s)"],
          link: "jurisdiction-" + j.slug + ".html"};
      });
      summary.textContent = "";
      summary.appendChild(el("p", a.label + " ↔ " + b.label));
      list("两者都有 both", both, a, b);
      list("仅 " + a.label + " only A", onlyA, a, null);
      list("仅 " + b.label + " only B", onlyB, null, b);
      var gA = {}, gB = {};
      a.groups.forEach(function (x) { gA[x] = true; });
      b.groups.forEach(function (x) { gB[x] = true; });
      textList("服务对象 target groups: both", a.groups.filter(function (x) { return gB[x]; }));
      textList("服务对象 only " + a.label, a.groups.filter(function (x) { return !gB[x]; }));
      textList("服务对象 only " + b.label, b.groups.filter(function (x) { return !gA[x]; }));
      window.unionkgCompare = {a: a.slug, b: b.slug, both: both, onlyA: onlyA, onlyB: onlyB};
      details.style.display = "none";
      network.fit();
      applyFilter();
    }
    function changed() {
      var h = "#a=" + selA.value + "&b=" + selB.value;
      if (window.location.hash !== h) { history.replaceState(null, "", h); }
      update();
    }
    selA.addEventListener("change", changed);
    selB.addEventListener("change", changed);
    window.addEventListener("hashchange", function () { fromHash(); update(); });
    fromHash();
    update();
  }
})();
