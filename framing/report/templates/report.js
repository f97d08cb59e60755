/* framing report: draws the figures, makes tables searchable and sortable, and compares two
   sources side by side. Reads only the packed blocks of this page (gzip + base64: plotly.js, the
   figures, the comparison, quotes' document context), inflated with the browser's DecompressionStream; parses data with
   JSON.parse and writes text with textContent only (corpus text never becomes HTML); loads nothing. */
(function () {
  "use strict";

  /* The text of a packed block (null when the page has none): base64, then gunzip. */
  function unpack(id) {
    var node = document.getElementById(id);
    if (!node) return Promise.resolve(null);
    var bin = atob(node.textContent), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i += 1) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }
  function canUnpack() {
    return typeof window.DecompressionStream === "function" && typeof window.Response === "function" &&
      typeof Blob === "function" && typeof Blob.prototype.stream === "function";
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function pct(x) {
    if (x === null || x === undefined) return "–";
    var p = x * 100;
    return (p !== 0 && Math.abs(p) < 1 ? p.toFixed(2) : p.toFixed(1)) + "%";
  }
  /* Plotly renders a few tags in names and ticks: give it escaped text. */
  function ph(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  var TOPICS_SHOWN = 15;
  var CONFIG = { responsive: true, displaylogo: false, scrollZoom: false };

  function drawFigures(figs) {
    return Promise.all(Object.keys(figs || {}).map(function (name) {
      var div = document.getElementById("fig-" + name);
      return div ? window.Plotly.newPlot(div, figs[name].data, figs[name].layout, CONFIG) : null;
    }));
  }
  /* Say on the page (at the top and in every figure's place) why the figures are missing. */
  function notDrawn(why) {
    var main = document.querySelector("main"), box = el("p", "absent");
    box.setAttribute("role", "alert");
    box.appendChild(el("b", null, "Figures: "));
    box.appendChild(document.createTextNode("not drawn. " + why + " The text and tables of this page are complete."));
    main.insertBefore(box, main.querySelector("nav") || main.firstChild);
    Array.prototype.forEach.call(document.querySelectorAll(".figure, #compare-root"), function (f) {
      f.appendChild(el("p", "note", "Figure not drawn: see the note at the top of the page."));
    });
  }

  /* ---- searchable, sortable, filterable tables ---- */
  function cellKey(td) {
    var k = td.getAttribute("data-sort");
    if (k === null) return td.textContent.trim().toLowerCase();
    var n = parseFloat(k);
    return isNaN(n) ? k.toLowerCase() : n;
  }
  function setupTable(table) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var bar = el("div", "toolbar");
    var search = el("input");
    search.type = "search";
    search.placeholder = "Search this table…";
    search.setAttribute("aria-label", "Search this table");
    bar.appendChild(search);
    var selects = [];
    heads.forEach(function (th, i) {
      if (!th.hasAttribute("data-filter")) return;
      var values = {};
      rows.forEach(function (r) { values[r.cells[i].textContent.trim()] = 1; });
      var sel = el("select");
      sel.setAttribute("aria-label", "Filter by " + th.textContent);
      sel.appendChild(new Option("all " + th.textContent.trim(), ""));
      Object.keys(values).sort().forEach(function (v) { sel.appendChild(new Option(v, v)); });
      sel.addEventListener("change", apply);
      selects.push([i, sel]);
      bar.appendChild(sel);
    });
    var count = el("span", "note");
    bar.appendChild(count);
    var holder = table.parentNode.classList.contains("scroll") ? table.parentNode : table;
    holder.parentNode.insertBefore(bar, holder);

    function apply() {
      var q = search.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (r) {
        var ok = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
        selects.forEach(function (p) { if (p[1].value && r.cells[p[0]].textContent.trim() !== p[1].value) ok = false; });
        r.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " rows";
    }
    search.addEventListener("input", apply);
    heads.forEach(function (th, i) {
      th.title = "Click to sort";
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = cellKey(a.cells[i]), y = cellKey(b.cells[i]);
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    apply();
  }

  /* ---- two sources side by side ---- */
  function shareCell(v, hasCi) {
    var td = el("td", "num");
    if (!v) { td.textContent = "0 matched"; td.setAttribute("data-sort", "0"); return td; }
    var s = pct(v[0]);
    if (hasCi && v[1] !== null && v[2] !== null) s += " [" + pct(v[1]) + " – " + pct(v[2]) + "]";
    if (v[3] !== null && v[4] !== null) s += " (" + v[3] + " of " + v[4] + ")";
    else if (v[3] !== null) s += " (" + v[3] + ")";
    td.textContent = s;
    td.setAttribute("data-sort", String(v[0]));
    return td;
  }
  function compareTable(items, shares, a, b, hasCi, what, limit) {
    var t = el("table");
    var head = t.createTHead().insertRow();
    [what, a, b].forEach(function (h) { head.appendChild(el("th", null, h)); });
    var body = t.createTBody();
    var sa = shares[a] || {}, sb = shares[b] || {};
    var ranked = items.slice().sort(function (x, y) {
      var mx = Math.max((sa[x[0]] || [0])[0], (sb[x[0]] || [0])[0]);
      var my = Math.max((sa[y[0]] || [0])[0], (sb[y[0]] || [0])[0]);
      return my - mx;
    });
    var shown = 0;
    ranked.forEach(function (it) {
      if (!sa[it[0]] && !sb[it[0]]) return;
      if (limit && shown >= limit) return;
      shown += 1;
      var r = body.insertRow();
      r.appendChild(el("td", null, it[1]));
      r.appendChild(shareCell(sa[it[0]], hasCi));
      r.appendChild(shareCell(sb[it[0]], hasCi));
    });
    if (!body.rows.length) {
      var r = body.insertRow(), td = el("td", "note", "Neither source has any.");
      td.colSpan = 3;
      r.appendChild(td);
    }
    return t;
  }
  function quotesFor(data, source, frameIds) {
    var box = el("div");
    box.appendChild(el("h4", null, source));
    var ev = (data.evidence || {})[source] || {}, any = false;
    frameIds.forEach(function (f) {
      var qs = ev[f[0]];
      if (!qs || !qs.length) return;
      any = true;
      box.appendChild(el("p", "note", f[1]));
      qs.forEach(function (q) {
        var b = el("blockquote", "quote");
        b.appendChild(el("p", "qt", "“" + q.text + "”"));
        b.appendChild(el("p", "ids", [q.date || "no date", q.role, "doc_id " + q.doc, "sentence_id " + q.id,
          "score " + q.score].join(" · ")));
        box.appendChild(b);
      });
    });
    if (!any) box.appendChild(el("p", "note", "No matched sentence in this source."));
    return box;
  }
  function termsFor(data, source) {
    var box = el("div");
    box.appendChild(el("h4", null, source));
    var terms = (data.terms || {})[source];
    if (!terms || !terms.length) { box.appendChild(el("p", "note", "No distinctive terms in the table for this source.")); return box; }
    box.appendChild(el("p", null, terms.map(function (t) { return t[0]; }).join(", ")));
    return box;
  }
  function setupCompare(data) {
    var root = document.getElementById("compare-root");
    if (!root || !data || data.sources.length < 2) return;
    var pick = el("div", "cmp-pick"), selA = el("select"), selB = el("select");
    selA.id = "cmp-a"; selB.id = "cmp-b";
    selA.setAttribute("aria-label", "First source"); selB.setAttribute("aria-label", "Second source");
    data.sources.forEach(function (s) {
      var n = data.documents[s] ? " (" + data.documents[s] + " documents)" : "";
      selA.appendChild(new Option(s + n, s));
      selB.appendChild(new Option(s + n, s));
    });
    selA.value = data.sources[0]; selB.value = data.sources[1];
    var la = el("label", null, "Source A "), lb = el("label", null, "Source B ");
    la.appendChild(selA); lb.appendChild(selB);
    pick.appendChild(la); pick.appendChild(lb);
    var out = el("div");
    root.appendChild(pick);
    root.appendChild(out);

    function render() {
      var a = selA.value, b = selB.value;
      out.textContent = "";
      if (data.frames.length) {
        out.appendChild(el("h3", null, "Frames: share of " + data.frame_denominator));
        out.appendChild(el("p", "note", "From the run table " + data.frame_table +
          (data.has_ci ? "; in brackets its 95% interval" : "") + "; in parentheses the count" +
          " (matched of all, where the table gives both)."));
        var fig = el("div", "figure");
        fig.id = "cmp-fig";
        out.appendChild(fig);
        out.appendChild(compareTable(data.frames, data.frame_shares, a, b, data.has_ci, "Frame"));
        drawCompareFigure(fig, a, b);
      }
      if (data.topics.length) {
        out.appendChild(el("h3", null, "Topics: share of " + data.topic_denominator));
        out.appendChild(el("p", "note", "From the run table " + data.topic_table +
          (data.topic_has_ci ? "; in brackets its 95% interval" : "") + "; in parentheses the count; the " + TOPICS_SHOWN +
          " topics with the largest share in either source (the Topics section lists all)."));
        out.appendChild(compareTable(data.topics.map(function (t) { return [String(t[0]), t[1]]; }),
          data.topic_shares, a, b, !!data.topic_has_ci, "Topic", TOPICS_SHOWN));
      }
      if (Object.keys(data.terms || {}).length) {
        out.appendChild(el("h3", null, "Distinctive terms (compare_terms)"));
        var tc = el("div", "cmp-cols");
        tc.appendChild(termsFor(data, a)); tc.appendChild(termsFor(data, b));
        out.appendChild(tc);
      }
      out.appendChild(el("h3", null, "What they say: best-scoring matched sentences per frame"));
      var said = el("details", "table"), cols = el("div", "cmp-cols");
      said.appendChild(el("summary", null, "Open the sentences of " + a + " and " + b));
      cols.appendChild(quotesFor(data, a, data.frames));
      cols.appendChild(quotesFor(data, b, data.frames));
      said.appendChild(cols);
      out.appendChild(said);
    }
    function drawCompareFigure(div, a, b) {
      if (!window.Plotly) return;
      var traces = [a, b].map(function (s, k) {
        var sh = data.frame_shares[s] || {};
        var tr = { type: "bar", name: ph(s), x: data.frames.map(function (f) { return ph(f[1]); }),
          y: data.frames.map(function (f) { return (sh[f[0]] || [0])[0]; }),
          marker: { color: k ? "#c2410c" : "#1f5fa8" },
          hovertemplate: "%{x}: %{y:.1%}<extra>" + (k ? "B" : "A") + "</extra>" };
        if (data.has_ci) {
          tr.error_y = { type: "data", symmetric: false, thickness: 1.2, width: 3,
            array: data.frames.map(function (f) { var v = sh[f[0]]; return v && v[2] !== null ? v[2] - v[0] : 0; }),
            arrayminus: data.frames.map(function (f) { var v = sh[f[0]]; return v && v[1] !== null ? v[0] - v[1] : 0; }) };
        }
        return tr;
      });
      window.Plotly.newPlot(div, traces, {
        barmode: "group", height: 420, margin: { t: 30, r: 20, b: 120 }, template: "plotly_white",
        yaxis: { title: { text: "Share" }, tickformat: ".1%", nticks: 6, rangemode: "tozero" },
        xaxis: { automargin: true, tickangle: -25 }, legend: { orientation: "h", y: 1.1 }
      }, CONFIG);
    }
    selA.addEventListener("change", render);
    selB.addEventListener("change", render);
    render();
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.dt"), setupTable);
  /* The body's data-figures says how drawing ended: drawn, unsupported or failed (tests wait for it). */
  if (!canUnpack()) {
    notDrawn("This browser cannot unpack the page's figures (it lacks DecompressionStream): open the page in " +
      "Chrome or Edge 80+, Firefox 113+ or Safari 16.4+.");
    document.body.setAttribute("data-figures", "unsupported");
    return;
  }
  /* Quotes whose document context is packed: written (as text) when first opened. */
  function setupContexts(contexts) {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-ctx]"), function (d) {
      var c = contexts[+d.getAttribute("data-ctx")];
      if (!c) return;
      d.addEventListener("toggle", function () {
        if (!d.open || d.hasAttribute("data-filled")) return;
        var p = el("p");
        p.appendChild(document.createTextNode(c[0]));
        p.appendChild(el("mark", null, c[1]));
        p.appendChild(document.createTextNode(c[2]));
        d.replaceChild(p, d.querySelector("p"));
        d.setAttribute("data-filled", "");
      });
    });
  }
  Promise.all([unpack("plotly-js"), unpack("figure-data"), unpack("compare-data"), unpack("context-data")]).then(function (got) {
    if (got[3]) setupContexts(JSON.parse(got[3]));
    /* plotly.js runs as an inline script: the page's CSP allows it by the hash of exactly this text. */
    var s = document.createElement("script");
    s.textContent = got[0];
    document.head.appendChild(s);
    if (!window.Plotly) throw new Error("plotly.js did not start");
    var drawn = drawFigures(got[1] ? JSON.parse(got[1]) : {});
    setupCompare(got[2] ? JSON.parse(got[2]) : null);
    return drawn;
  }).then(function () {
    document.body.setAttribute("data-figures", "drawn");
  }, function (err) {
    notDrawn("Unpacking or drawing them failed (" + err + ").");
    document.body.setAttribute("data-figures", "failed");
    throw err;
  });
})();
