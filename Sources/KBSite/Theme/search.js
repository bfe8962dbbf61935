// kb search: a small, dependency-free search over search-index.js.
// The index is a script, not JSON, because fetch() is refused on file:// pages.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  if (!input || !list) return;

  var index = null;
  var loading = false;
  var results = [];
  var selected = -1;

  function load(then) {
    if (index) { then(); return; }
    if (window.KB_SEARCH_INDEX) { index = prepare(window.KB_SEARCH_INDEX); then(); return; }
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = root + "search-index.js";
    script.onload = function () { index = prepare(window.KB_SEARCH_INDEX || []); then(); };
    script.onerror = function () { showMessage("The search index could not be loaded."); };
    document.head.appendChild(script);
  }

  // Entries: [kind, url, title, summary, [[heading, anchor]...], tags, words]
  function prepare(raw) {
    return raw.map(function (e) {
      return {
        kind: e[0], url: e[1], title: e[2], summary: e[3], headings: e[4],
        titleLower: e[2].toLowerCase(), tags: e[5].toLowerCase(),
        headingsLower: e[4].map(function (h) { return h[0].toLowerCase(); }),
        words: " " + e[6] + " ", summaryLower: e[3].toLowerCase()
      };
    });
  }

  function terms(query) {
    return query.toLowerCase().split(/[^\p{L}\p{N}_.-]+/u).filter(function (t) { return t.length > 0; });
  }

  function score(entry, ts) {
    var total = 0;
    var bestHeading = -1, bestHeadingHits = 0;
    var headingHits = entry.headingsLower.map(function () { return 0; });
    for (var i = 0; i < ts.length; i++) {
      var t = ts[i], s = 0;
      if (entry.titleLower === t) s += 20;
      if (entry.titleLower.indexOf(t) >= 0) s += 10;
      if (entry.tags.indexOf(t) >= 0) s += 4;
      if (entry.summaryLower.indexOf(t) >= 0) s += 3;
      for (var h = 0; h < entry.headingsLower.length; h++) {
        if (entry.headingsLower[h].indexOf(t) >= 0) { headingHits[h]++; s += 5; }
      }
      if (entry.words.indexOf(" " + t) >= 0) s += 1;
      if (s === 0) return null;  // every term must match somewhere
      total += s;
    }
    for (var k = 0; k < headingHits.length; k++) {
      if (headingHits[k] > bestHeadingHits) { bestHeadingHits = headingHits[k]; bestHeading = k; }
    }
    return { score: total, heading: bestHeading };
  }

  function search(query) {
    var ts = terms(query);
    if (ts.length === 0) { hide(); return; }
    var found = [];
    for (var i = 0; i < index.length; i++) {
      var m = score(index[i], ts);
      if (m) found.push({ entry: index[i], score: m.score, heading: m.heading });
    }
    found.sort(function (a, b) { return b.score - a.score || (a.entry.title < b.entry.title ? -1 : 1); });
    results = found.slice(0, 12);
    render();
  }

  function href(result) {
    var url = root + result.entry.url;
    if (result.heading >= 0) url += "#" + result.entry.headings[result.heading][1];
    return url;
  }

  function render() {
    list.textContent = "";
    selected = -1;
    if (results.length === 0) { showMessage("No results."); return; }
    results.forEach(function (result, i) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      item.id = "search-result-" + i;
      var link = document.createElement("a");
      link.href = href(result);
      var title = document.createElement("span");
      title.className = "search-title";
      title.textContent = result.entry.title;
      link.appendChild(title);
      if (result.heading >= 0) {
        var heading = document.createElement("span");
        heading.className = "search-heading";
        heading.textContent = " › " + result.entry.headings[result.heading][0];
        link.appendChild(heading);
      }
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = result.entry.kind;
      link.appendChild(kind);
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = false;
  }

  function showMessage(text) {
    list.textContent = "";
    var item = document.createElement("li");
    item.className = "search-message";
    item.textContent = text;
    list.appendChild(item);
    list.hidden = false;
  }

  function hide() { list.hidden = true; list.textContent = ""; results = []; selected = -1; }

  function select(i) {
    var items = list.querySelectorAll("li[role=option]");
    if (items.length === 0) return;
    selected = (i + items.length) % items.length;
    items.forEach(function (item, k) { item.setAttribute("aria-selected", k === selected ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[selected].id);
    items[selected].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("input", function () {
    var query = input.value;
    load(function () { if (input.value === query) search(query); });
  });
  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); select(selected + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); select(selected - 1); }
    else if (event.key === "Enter") {
      var target = results[selected >= 0 ? selected : 0];
      if (target) { event.preventDefault(); window.location.href = href(target); }
    } else if (event.key === "Escape") { hide(); input.blur(); }
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (event.key === "/" && tag !== "INPUT" && tag !== "TEXTAREA" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".search")) hide();
  });
})();
