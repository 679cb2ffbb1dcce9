/* Haokan's progressive script: read/unread marks kept in localStorage, and j/k/o on lists.
   The site works fully without it; it only adds. No inline script anywhere (CSP). */
(function () {
  "use strict";
  var STORE = "haokan-read";
  var LIMIT = 5000;
  var ui = document.body.dataset;

  function readKeys() {
    try {
      return JSON.parse(localStorage.getItem(STORE) || "[]");
    } catch (error) {
      return [];
    }
  }

  function remember(keys) {
    var all = readKeys();
    keys.forEach(function (key) {
      if (all.indexOf(key) === -1) all.push(key);
    });
    try {
      localStorage.setItem(STORE, JSON.stringify(all.slice(-LIMIT)));
    } catch (error) {
      /* storage full or disabled: read marks are a nicety */
    }
  }

  // An article page marks itself read.
  var page = document.querySelector("article[data-read-key]");
  if (page) remember([page.dataset.readKey]);

  // The folder pane: how many of each subscription's articles are unread, and of each folder's.
  var pane = document.querySelector("[data-unread-index]");
  if (pane && window.fetch) {
    fetch(pane.dataset.unreadIndex).then(function (response) {
      return response.ok ? response.json() : {};
    }).then(function (index) {
      var read = readKeys();
      function badge(element, count) {
        if (!count) return;
        var span = document.createElement("span");
        span.className = "unread-count";
        var form = count === 1 ? ui.uiUnreadCountOne : ui.uiUnreadCountOther;
        span.textContent = (form || "{n} unread").replace("{n}", count);
        var counted = element.querySelector(":scope > .count");
        (counted || element).insertAdjacentElement(counted ? "afterend" : "beforeend", span);
      }
      var unread = new Map();
      pane.querySelectorAll("[data-unread-of]").forEach(function (row) {
        var keys = index[row.dataset.unreadOf] || [];
        var count = keys.filter(function (key) { return read.indexOf(key) === -1; }).length;
        unread.set(row, count);
        badge(row, count);
      });
      pane.querySelectorAll("details > summary").forEach(function (summary) {
        var total = 0;
        summary.parentNode.querySelectorAll("[data-unread-of]").forEach(function (row) {
          total += unread.get(row) || 0;
        });
        badge(summary, total);
      });
      var all = pane.querySelector(".pane-all");
      if (all) {
        var sum = 0;
        unread.forEach(function (count) { sum += count; });
        badge(all, sum);
      }
    }).catch(function () { /* file:// or offline: the entry counts still stand */ });
  }

  // Lists: a dot on what is unread, "mark all read", and keyboard navigation.
  var items = Array.prototype.slice.call(document.querySelectorAll("li[data-read-key]"));
  if (!items.length) return;
  var read = readKeys();
  items.forEach(function (item) {
    if (read.indexOf(item.dataset.readKey) === -1) {
      item.classList.add("unread");
      var dot = document.createElement("span");
      dot.className = "unread-dot";
      dot.setAttribute("role", "img");
      dot.setAttribute("aria-label", ui.uiUnread || "unread");
      var title = item.querySelector("a");
      if (title) title.parentNode.insertBefore(dot, title);
    }
    item.addEventListener("click", function (event) {
      if (event.target.closest("a")) remember([item.dataset.readKey]);
    });
  });

  var list = items[0].parentNode;
  var allRead = document.createElement("button");
  allRead.type = "button";
  allRead.className = "mark-all-read";
  allRead.textContent = ui.uiMarkAll || "Mark all read";
  allRead.addEventListener("click", function () {
    remember(items.map(function (item) { return item.dataset.readKey; }));
    items.forEach(function (item) {
      item.classList.remove("unread");
      var dot = item.querySelector(".unread-dot");
      if (dot) dot.remove();
    });
  });
  list.parentNode.insertBefore(allRead, list);

  var current = -1;
  function select(index) {
    if (index < 0 || index >= items.length) return;
    if (current >= 0) items[current].classList.remove("current");
    current = index;
    items[current].classList.add("current");
    var link = items[current].querySelector("a");
    if (link) link.focus();
    items[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "j") select(current + 1);
    else if (event.key === "k") select(Math.max(current - 1, 0));
    else if (event.key === "o" && current >= 0) {
      var link = items[current].querySelector("a");
      if (link) {
        remember([items[current].dataset.readKey]);
        window.location.href = link.href;
      }
    }
  });
})();
