// newsdesk desk: media enhancements. Every form works without this file:
// the upload form is a plain multipart form, and picture fields take a
// library number or address typed by hand.
//
// - Dropping a file on a [data-drop] zone puts it in the zone's file input.
// - A button.pick-image opens a dialog listing the media library (searchable,
//   with an upload of its own). Choosing a picture fills the form fields the
//   button names: data-<key>="<element id>", where key is one of id, url,
//   srcset, width, height, caption, credit, source_name, source_url, alt.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  // The dialog's words come from the page (#picker-strings), in the
  // desk's language.
  var text = {};
  function strings() {
    var src = document.getElementById("picker-strings");
    ["title", "search", "upload", "close", "uploading", "failed", "none"].forEach(function (k) {
      text[k] = (src && src.getAttribute("data-" + k)) || "";
    });
  }

  // Drag and drop onto the upload form's file input.
  document.querySelectorAll("[data-drop]").forEach(function (zone) {
    var input = zone.querySelector('input[type="file"]');
    if (!input) return;
    ["dragenter", "dragover"].forEach(function (ev) {
      zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      zone.addEventListener(ev, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });

  var keys = ["id", "url", "srcset", "width", "height", "caption", "credit", "source_name", "source_url", "alt"];

  function el(tag, attrs, kids) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") n.textContent = attrs[k]; else n.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (k) { n.appendChild(k); });
    return n;
  }

  // fill puts the chosen picture into the fields the button names.
  function fill(button, item) {
    keys.forEach(function (k) {
      var id = button.getAttribute("data-" + k.replace("_", "-"));
      var field = id && (document.getElementById(id) || (button.form && button.form.elements[id]));
      if (!field) return;
      field.value = item[k] == null ? "" : String(item[k]);
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    var preview = button.getAttribute("data-preview");
    var img = preview && document.getElementById(preview);
    if (img) {
      img.src = item.thumb; img.alt = item.alt || ""; img.hidden = false;
      img.width = 240; img.height = Math.round(240 * item.height / item.width);
    }
  }

  function openPicker(button) {
    strings();
    var status = el("p", { "class": "muted", role: "status" });
    var grid = el("ul", { "class": "picker-grid" });
    var q = el("input", { type: "search", "aria-label": text.search, placeholder: text.search });
    var file = el("input", { type: "file", accept: "image/jpeg,image/png,image/webp,image/gif", id: "picker-file" });
    var close = el("button", { type: "button", text: text.close });
    var dialog = el("dialog", { "class": "picker", "aria-labelledby": "picker-title" }, [
      el("div", { "class": "head" }, [el("h2", { id: "picker-title", text: text.title }), close]),
      el("div", { "class": "row" }, [q, el("label", { "for": "picker-file", text: text.upload }), file]),
      status, grid
    ]);
    document.body.appendChild(dialog);
    function done() { dialog.close(); dialog.remove(); button.focus(); }
    close.addEventListener("click", done);
    dialog.addEventListener("cancel", function (e) { e.preventDefault(); done(); });
    function choose(item) { fill(button, item); done(); }
    function load() {
      fetch("/desk/media?q=" + encodeURIComponent(q.value), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          grid.textContent = "";
          status.textContent = data.items.length ? "" : text.none;
          data.items.forEach(function (item) {
            var b = el("button", { type: "button", "data-media-id": item.id }, [
              el("img", { src: item.thumb, alt: item.alt || "", width: 160, height: 120, loading: "lazy" }),
              el("span", { "class": "clip", text: item.caption || item.original_name })
            ]);
            b.addEventListener("click", function () { choose(item); });
            grid.appendChild(el("li", {}, [b]));
          });
        })
        .catch(function () { status.textContent = text.failed; });
    }
    var timer;
    q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
    file.addEventListener("change", function () {
      if (!file.files.length) return;
      var fd = new FormData();
      fd.append("file", file.files[0]);
      status.textContent = text.uploading;
      fetch("/desk/media", { method: "POST", body: fd, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRF-Token": csrf } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.item) { choose(data.item); return; }
          status.textContent = (data.error && data.error.message) || text.failed;
        })
        .catch(function () { status.textContent = text.failed; });
    });
    dialog.showModal();
    q.focus();
    load();
  }

  document.querySelectorAll("button.pick-image").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { openPicker(b); });
  });
})();
