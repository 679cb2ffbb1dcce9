/* The 好看 button. Only the local reader (`invoke reader`) injects this script and the per-run
   token it needs; on a published site neither exists, so there is no button. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="haokan-reader"]');
  if (!meta) return;
  var token = meta.content;
  var ui = document.body.dataset;

  function send(action, body, status, button) {
    button.disabled = true;
    status.textContent = ui.uiSaving || "Saving…";
    fetch("/__haokan/" + action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Haokan-Token": token },
      body: JSON.stringify(body),
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok || !data.ok) throw new Error(data.error || response.statusText);
          window.location.reload();
        });
      })
      .catch(function (error) {
        status.textContent = error.message;
        status.classList.add("error");
        button.disabled = false;
      });
  }

  document.querySelectorAll("[data-haokan-url]").forEach(function (target) {
    var marked = target.dataset.haokanMarked === "1";
    var form = document.createElement("form");
    form.className = "haokan-like";
    var note = document.createElement("textarea");
    note.name = "note";
    note.rows = 1;
    note.maxLength = 4000;
    note.placeholder = ui.uiNote || "想法 (optional)";
    note.setAttribute("aria-label", note.placeholder);
    var button = document.createElement("button");
    button.type = "submit";
    button.className = marked ? "liked" : "like";
    button.textContent = marked ? ui.uiUnlike || "Unmark" : ui.uiLike || "好看";
    var status = document.createElement("span");
    status.className = "like-status";
    status.setAttribute("role", "status");
    if (!marked) form.appendChild(note);
    form.appendChild(button);
    form.appendChild(status);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // The title is the item's heading (the article page's h1), as the reader sees it.
      var heading = target.querySelector("h1, .item-title");
      var body = { url: target.dataset.haokanUrl, title: heading ? heading.textContent.trim() : "" };
      if (!marked) body.note = note.value;
      send(marked ? "unmark" : "mark", body, status, button);
    });
    target.appendChild(form);
  });
})();
