// newsdesk desk: small enhancements; every page works without them.
// In the editor: live preview rendered by the server, autosave of drafts,
// a warning before leaving unsaved work, and Ctrl+S to save.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";
  var statusEl = document.getElementById("save-status");
  var frame = document.getElementById("preview-frame");
  var revision = document.getElementById("revision");
  var autosaveOn = form.dataset.autosave === "1";
  var autosaveURL = form.dataset.autosaveUrl || "";
  var dirty = false, edits = 0, stopped = false, busy = false;
  var saveTimer = 0, previewTimer = 0, previewSeq = 0;

  function body(action) {
    var fd = new FormData(form);
    if (action) fd.set("action", action);
    return new URLSearchParams(fd);
  }
  function post(url, action, accept) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Accept": accept, "Content-Type": "application/x-www-form-urlencoded" },
      body: body(action)
    });
  }
  function say(text) { if (statusEl) statusEl.textContent = text; }

  // Live preview: the server renders the form as the public page.
  function preview() {
    if (!frame) return;
    var seq = ++previewSeq;
    post("/desk/preview", "preview", "text/html").then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html === null || seq !== previewSeq) return;
      var y = 0;
      try { y = frame.contentWindow.scrollY; } catch (e) { /* not loaded yet */ }
      frame.onload = function () { try { frame.contentWindow.scrollTo(0, y); } catch (e) { /* ignore */ } };
      frame.srcdoc = html;
    }).catch(function () { /* the next keystroke tries again */ });
  }

  // Autosave: a few seconds after typing stops, drafts are saved with the
  // revision they started from; someone else's save stops it.
  function autosave() {
    if (!autosaveOn || stopped || busy) return;
    var at = edits;
    var url = autosaveURL || form.getAttribute("action"); // form.action is the button named "action"
    busy = true;
    post(url, "autosave", "application/json").then(function (r) {
      return r.json().then(function (j) { return { status: r.status, j: j }; });
    }).then(function (res) {
      busy = false;
      if (res.status === 200 || res.status === 201) {
        revision.value = res.j.revision;
        if (!autosaveURL) { // the first save of a new story
          form.setAttribute("action", res.j.edit);
          autosaveURL = res.j.edit + "/autosave";
          form.querySelector('input[name="id"]').value = res.j.id;
          history.replaceState(null, "", res.j.edit);
        }
        if (at === edits) dirty = false;
        say(form.dataset.msgSaved.replace("%s", res.j.saved_at));
        document.dispatchEvent(new Event("desk:saved"));
      } else if (res.status === 409) {
        stopped = true;
        say(form.dataset.msgConflict);
      } else {
        say(res.j && res.j.error ? res.j.error.message : form.dataset.msgFailed);
      }
      if (dirty && !stopped) schedule();
    }).catch(function () { busy = false; say(form.dataset.msgFailed); });
  }

  function schedule() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(autosave, 3000);
  }
  function changed() {
    dirty = true;
    edits++;
    schedule();
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, 600);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (e) {
    var s = e.submitter;
    if (!s || s.value !== "preview") dirty = false; // leaving on purpose
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === "s" || e.key === "S")) {
      e.preventDefault();
      var save = document.getElementById("save-button");
      if (save) form.requestSubmit(save);
    }
  });
  if (frame && !frame.getAttribute("src")) preview();

  // Editing together: a heartbeat every 20 s while the tab is visible
  // says this user has the story open and brings back who else has, and
  // the last save (also right after this user's own autosave).
  var presenceEl = document.getElementById("presence");
  var presenceURL = presenceEl ? presenceEl.dataset.url : "";
  var beatTimer = 0;
  function line(id, text) {
    var el = document.getElementById(id);
    if (!el || el.textContent === text) return;
    el.textContent = text;
    el.hidden = !text;
  }
  function heartbeat() {
    if (!presenceURL) return;
    fetch(presenceURL, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Accept": "application/json" }
    }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (j) {
      if (!j) return;
      line("presence-others", j.others_text);
      line("presence-saved", j.saved_text);
    }).catch(function () { /* the next beat tries again */ });
  }
  function beats(on) {
    clearInterval(beatTimer);
    beatTimer = 0;
    if (on && presenceURL) beatTimer = setInterval(heartbeat, 20000);
  }
  if (presenceURL) {
    beats(document.visibilityState !== "hidden");
    document.addEventListener("visibilitychange", function () {
      var on = document.visibilityState !== "hidden";
      beats(on);
      if (on) heartbeat();
    });
    document.addEventListener("desk:saved", heartbeat);
  }
})();
