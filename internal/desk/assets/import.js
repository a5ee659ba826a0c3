// newsdesk desk, Import page: while an import runs, ask the server how far
// it is every second and move the progress bar; reload when it ends to
// show the summary. Without this script the page refreshes itself.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || !window.fetch) return;
  var bar = box.querySelector("progress");
  var text = document.getElementById("import-count");
  var phase = document.getElementById("import-phase");
  function tick() {
    fetch("/desk/import/status", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (j.state !== "running") { location.replace("/desk/import"); return; }
        var p = j.progress || {};
        if (bar) { bar.max = p.total || 1; bar.value = p.done || 0; }
        if (text) text.textContent = (p.done || 0) + " / " + (p.total || 0);
        if (phase && p.phase) phase.textContent = box.dataset["phase" + p.phase.charAt(0).toUpperCase() + p.phase.slice(1)] || p.phase;
        setTimeout(tick, 1000);
      })
      .catch(function () { setTimeout(tick, 3000); });
  }
  setTimeout(tick, 1000);
})();
