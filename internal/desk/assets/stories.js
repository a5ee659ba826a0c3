// newsdesk desk: the story list's enhancements; the list works without
// them. "Tick all" for the bulk form, and the quick edit saved in the
// background with the row updated in place.
(function () {
  "use strict";
  var all = document.getElementById("pick-all");
  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      document.querySelectorAll('.story-list input[name="id"]').forEach(function (c) { c.checked = all.checked; });
    });
  }
  if (!window.fetch || !window.URLSearchParams) return;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";
  document.querySelectorAll("form.quick-form").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var state = form.querySelector(".quick-state");
      var row = form.closest("tr");
      fetch(form.action, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf, "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(new FormData(form))
      }).then(function (r) {
        return r.json().then(function (j) { return { ok: r.ok, j: j }; });
      }).then(function (res) {
        if (!res.ok) {
          state.textContent = (res.j.error && res.j.error.message) || "Error";
          return;
        }
        var j = res.j;
        form.querySelector('input[name="revision"]').value = j.revision;
        row.querySelector(".story-headline").textContent = j.headline;
        var badge = row.querySelector(".story-status");
        badge.textContent = j.status_label;
        badge.className = "badge " + j.status + " story-status";
        row.querySelector(".story-sections").textContent = j.sections;
        state.textContent = form.dataset.saved || "✓";
        form.closest("details").open = false;
        row.querySelector(".story-headline").focus();
      }).catch(function () { state.textContent = "Error"; });
    });
  });
})();
