/* The 好看 button. Only the local reader (`invoke reader`) injects this script and the per-run
   token it needs; on a published site neither exists, so there is no button.

   One compact control per item: 好看 opens a 想法 field (Enter on the button, Ctrl+Enter in
   the field saves, Escape closes it); a marked item offers to edit the note or to unmark. After
   the rebuild the page reloads and comes back to the same item, wherever it now ranks. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="haokan-reader"]');
  if (!meta) return;
  var token = meta.content;
  var ui = document.body.dataset;
  var RETURN_TO = "haokan-return-to";

  function call(method, action, body) {
    var options = { method: method, headers: { "X-Haokan-Token": token } };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch("/__haokan/" + action, options).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok || !data.ok) throw new Error(data.error || response.statusText);
        return data;
      });
    });
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }

  function button(className, text, hint) {
    var made = element("button", className, text);
    made.type = "button";
    if (hint) made.title = hint;
    return made;
  }

  function control(target) {
    var marked = target.dataset.haokanMarked === "1";
    var box = element("div", "haokan-like");
    var status = element("span", "like-status");
    status.setAttribute("role", "status");
    var editor = element("form", "haokan-note");
    editor.hidden = true;
    var note = element("textarea");
    note.name = "note";
    note.rows = 3;
    note.maxLength = 4000;
    note.placeholder = ui.uiNote || "想法 (optional)";
    note.setAttribute("aria-label", note.placeholder);
    var save = element("button", "like", marked ? ui.uiSaveNote || "Save" : ui.uiLike || "好看");
    save.type = "submit";
    var cancel = button("cancel", ui.uiCancel || "Cancel");
    editor.append(note, save, cancel);
    var buttons = [save, cancel];

    function send(action, body) {
      buttons.forEach(function (b) { b.disabled = true; });
      status.classList.remove("error");
      status.textContent = ui.uiSaving || "Saving…";
      call("POST", action, body).then(function () {
        // Come back to this item after the reload, not to the old scroll offset.
        sessionStorage.setItem(RETURN_TO, target.id);
        history.scrollRestoration = "manual";
        window.location.reload();
      }).catch(function (error) {
        status.textContent = error.message;
        status.classList.add("error");
        buttons.forEach(function (b) { b.disabled = false; });
      });
    }

    function open(text) {
      note.value = text;
      editor.hidden = false;
      box.classList.add("editing");  // the buttons that opened it step aside meanwhile
      note.focus();
    }

    function close() {
      editor.hidden = true;
      box.classList.remove("editing");
      status.textContent = "";
      var opener = box.querySelector(".open");
      if (opener) {
        opener.setAttribute("aria-expanded", "false");
        opener.focus();
      }
    }

    if (marked) {
      box.append(element("span", "marked-label", ui.uiMarked || "Marked 好看"));
      var edit = button("open", ui.uiEditNote || "Edit note");
      var unmark = button("unmark", ui.uiUnmark || "Unmark");
      buttons.push(edit, unmark);
      edit.addEventListener("click", function () {
        status.textContent = "";
        call("GET", "note?url=" + encodeURIComponent(target.dataset.haokanUrl)).then(function (data) {
          open(data.note);
        }).catch(function (error) {
          status.textContent = error.message;
          status.classList.add("error");
        });
      });
      unmark.addEventListener("click", function () {
        send("unmark", { url: target.dataset.haokanUrl, title: "" });
      });
      box.append(edit, unmark);
    } else {
      var like = button("like open", ui.uiLike || "好看", ui.uiLikeHint);
      like.setAttribute("aria-expanded", "false");
      buttons.push(like);
      like.addEventListener("click", function () {
        like.setAttribute("aria-expanded", "true");
        open("");
      });
      box.append(like);
    }
    cancel.addEventListener("click", close);
    note.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) editor.requestSubmit();
    });
    editor.addEventListener("submit", function (event) {
      event.preventDefault();
      // The title is the item's heading (the article page's h1), as the reader sees it.
      var heading = target.querySelector("h1, .item-title");
      send("mark", {
        url: target.dataset.haokanUrl,
        title: heading ? heading.textContent.trim() : "",
        note: note.value,
      });
    });
    box.append(editor, status);
    target.appendChild(box);
    return box;
  }

  document.querySelectorAll("[data-haokan-url]").forEach(control);

  var back = sessionStorage.getItem(RETURN_TO);
  if (back) {
    sessionStorage.removeItem(RETURN_TO);
    var item = document.getElementById(back);
    var box = item && item.querySelector(".haokan-like");
    if (box) {
      box.scrollIntoView({ block: "center" });
      var first = box.querySelector("button");
      if (first) first.focus({ preventScroll: true });
    }
  }
})();
