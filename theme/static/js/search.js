/* Offline search over search/index.json, built with the site. Substring matching, so Chinese
   works without a word segmenter: every term of the query must appear in the record. */
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (!input) return;
  document.querySelector(".search-nojs").hidden = true;
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var records = null;

  function load() {
    if (records) return Promise.resolve(records);
    return fetch(input.dataset.index)
      .then(function (response) { return response.json(); })
      .then(function (data) {
        records = data.map(function (r) {
          r.text = (r.t + " " + r.e + " " + r.n + " " + r.s).toLowerCase();
          return r;
        });
        return records;
      });
  }

  function href(url) {
    return /^https?:/.test(url) ? url : "../" + url;
  }

  function show(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!terms.length) { status.textContent = ""; return; }
    load().then(function (all) {
      var found = all.filter(function (r) {
        return terms.every(function (term) { return r.text.indexOf(term) !== -1; });
      });
      found.sort(function (a, b) {  // title matches first
        var at = terms.every(function (t) { return a.t.toLowerCase().indexOf(t) !== -1; });
        var bt = terms.every(function (t) { return b.t.toLowerCase().indexOf(t) !== -1; });
        return bt - at;
      });
      status.textContent = found.length
        ? (found.length === 1 ? input.dataset.countOne : input.dataset.countOther)
          .replace("{n}", found.length)
        : input.dataset.none;
      found.slice(0, 100).forEach(function (r) {
        var item = document.createElement("li");
        item.className = "entry";
        var link = document.createElement("a");
        link.className = "entry-title";
        link.href = href(r.u);
        link.textContent = r.t;
        var meta = document.createElement("p");
        meta.className = "entry-meta";
        meta.textContent = r.s;
        var excerpt = document.createElement("p");
        excerpt.className = "entry-excerpt";
        excerpt.textContent = r.n || r.e;
        item.append(link, meta, excerpt);
        list.appendChild(item);
      });
    });
  }

  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); show(input.value); }
  input.addEventListener("input", function () { show(input.value); });
})();
