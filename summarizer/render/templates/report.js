// The report's only script: show a cited span in its article. No network, no eval, no innerHTML:
// article text reaches the page escaped by the template and is only ever moved, never parsed.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var cites = data.cites; // [articleIndex, start, end, status, sentenceStart, sentenceEnd, text]
  var tabs = Array.prototype.slice.call(document.querySelectorAll("[role=tab]"));
  var panels = Array.prototype.slice.call(document.querySelectorAll(".article[data-a]"));
  var bar = document.getElementById("citebar");
  var where = bar.querySelector(".where");
  var current = { el: null, refs: [], pos: 0 };
  var back = document.getElementById("back");
  var from = null; // where the reader clicked, when showing the citation scrolled far from it

  function chars(s) { return Array.from(s); }
  function panel(a) { return panels[a]; }
  function body(a) { return panel(a) ? panel(a).querySelector(".body") : null; }
  function pieces(b) { return b.querySelectorAll("span[data-s]"); }

  // Make `offset` (in code points, as the briefing counts) the start of a piece. Each piece carries
  // its span as data-s / data-e, so nothing is recounted.
  function cut(b, offset) {
    var ps = pieces(b);
    for (var i = 0; i < ps.length; i++) {
      var p = ps[i], s = +p.getAttribute("data-s"), e = +p.getAttribute("data-e");
      if (offset <= s) return;
      if (offset >= e) continue;
      var cs = chars(p.textContent);
      var q = p.cloneNode(false);
      q.setAttribute("data-s", String(offset));
      q.textContent = cs.slice(offset - s).join("");
      p.setAttribute("data-e", String(offset));
      p.textContent = cs.slice(0, offset - s).join("");
      p.parentNode.insertBefore(q, p.nextSibling);
      return;
    }
  }

  function select(a, focusTab) {
    tabs.forEach(function (t, i) {
      var on = i === a;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
    });
    if (focusTab && tabs[a]) tabs[a].focus();
  }

  function clear() {
    document.querySelectorAll(".article .hl, .article .sent").forEach(function (p) {
      p.classList.remove("hl", "sent");
    });
  }

  function show(c, scroll) {
    var a = c[0], s = c[1], e = c[2];
    if (!panel(a)) return false;
    select(a, false);
    clear();
    var b = body(a);
    if (!b) return true;
    [s, e, c[4], c[5]].forEach(function (o) { cut(b, o); });
    var first = null;
    pieces(b).forEach(function (p) {
      var ps = +p.getAttribute("data-s"), pe = +p.getAttribute("data-e");
      if (ps >= c[4] && pe <= c[5]) p.classList.add("sent");
      if (ps >= s && pe <= e && pe > ps) { p.classList.add("hl"); if (!first) first = p; }
    });
    var target = first || b.querySelector(".sent");
    if (target && scroll !== false) target.scrollIntoView({ block: "center" });
    return true;
  }

  function describe(c, n, of) {
    var art = data.articles[c[0]] || { id: "?", title: "?" };
    var parts = [];
    if (of > 1) parts.push("citation " + (n + 1) + " of " + of);
    parts.push(art.title, "characters " + c[1] + "–" + c[2], "alignment: " + (c[3] || "deep link"));
    where.textContent = parts.join(" · ");
    bar.querySelector(".prev").disabled = of < 2;
    bar.querySelector(".next").disabled = of < 2;
    bar.hidden = false;
  }

  function setHash(c) {
    var art = data.articles[c[0]];
    if (!art) return;
    var h = "#cite=" + encodeURIComponent(art.id) + ":" + c[1] + "-" + c[2];
    if (location.hash !== h) history.replaceState(null, "", h);
  }

  function go() {
    var c = cites[current.refs[current.pos]];
    if (!c) return;
    document.querySelectorAll(".active[data-c]").forEach(function (x) { x.classList.remove("active"); });
    if (current.el) current.el.classList.add("active");
    show(c);
    describe(c, current.pos, current.refs.length);
    setHash(c);
  }

  function activate(el) {
    var refs = el.getAttribute("data-c").split(" ").filter(Boolean).map(Number);
    if (!refs.length) return;
    if (current.el === el) current.pos = (current.pos + 1) % refs.length;
    else current = { el: el, refs: refs, pos: 0 };
    var y = window.scrollY;
    go();
    // A jump of more than a screen (the stacked layout of a phone) gets a way back to the figure.
    if (Math.abs(window.scrollY - y) > window.innerHeight) { from = { el: el, y: y }; back.hidden = false; }
  }

  back.addEventListener("click", function () {
    if (!from) return;
    window.scrollTo(0, from.y);
    if (from.el.focus) from.el.focus({ preventScroll: true });
    from = null;
    back.hidden = true;
  });

  function step(d) {
    if (current.refs.length < 2) return;
    current.pos = (current.pos + d + current.refs.length) % current.refs.length;
    go();
  }

  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-c]") : null;
    if (!el) return;
    ev.preventDefault();
    activate(el);
  });
  document.addEventListener("keydown", function (ev) {
    var el = ev.target;
    if (el.matches && el.matches("g[data-c]") && (ev.key === "Enter" || ev.key === " ")) {
      ev.preventDefault();
      activate(el);
    } else if (el.getAttribute && el.getAttribute("role") === "tab" &&
               (ev.key === "ArrowRight" || ev.key === "ArrowLeft")) {
      ev.preventDefault();
      var i = tabs.indexOf(el) + (ev.key === "ArrowRight" ? 1 : -1);
      select((i + tabs.length) % tabs.length, true);
    }
  });
  tabs.forEach(function (t, i) { t.addEventListener("click", function () { select(i, false); }); });
  bar.querySelector(".prev").addEventListener("click", function () { step(-1); });
  bar.querySelector(".next").addEventListener("click", function () { step(1); });

  function tip(ev) {
    var el = ev.target.closest ? ev.target.closest("g.mark[data-c]") : null;
    if (!el) return;
    var c = cites[+el.getAttribute("data-c").split(" ")[0]];
    var cap = el.closest("figure").querySelector(".tip");
    if (!c || !cap) return;
    var art = data.articles[c[0]] || { id: "?" };
    var more = el.getAttribute("data-c").split(" ").length - 1;
    cap.textContent = el.getAttribute("data-label") + " — “" + c[6] + "” (" + art.id + " " + c[1] + "–" + c[2] +
      (more ? "; and " + more + " more citation" + (more > 1 ? "s" : "") : "") + ")";
  }
  document.addEventListener("mouseover", tip);
  document.addEventListener("focusin", tip);

  // #cite=<article>:<start>-<end>
  function fromHash() {
    var m = /^#cite=(.+):(\d+)-(\d+)$/.exec(location.hash);
    if (!m) return;
    var id;
    try { id = decodeURIComponent(m[1]); } catch (err) { return; }
    var a = -1;
    data.articles.forEach(function (x, i) { if (x.id === id) a = i; });
    var s = +m[2], e = +m[3];
    if (a < 0 || e < s) return;
    var known = null;
    cites.forEach(function (c) { if (!known && c[0] === a && c[1] === s && c[2] === e) known = c; });
    var c = known || [a, s, e, "", s, e, ""];
    current = { el: null, refs: [], pos: 0 };
    show(c);
    describe(c, 0, 1);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
