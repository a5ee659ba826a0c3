// newsdesk error reports: select words in the article and press Ctrl+Enter
// (Cmd+Enter on a Mac), or tap "Report error" on a touch screen. Without
// this script the "Report an error" link leads to a plain form.
(function () {
  "use strict";
  var story = document.querySelector("article[data-article]");
  var dlg = document.getElementById("report-dialog");
  if (!story || !dlg || !window.fetch || !dlg.showModal) {
    return;
  }
  var form = dlg.querySelector("form");
  var quote = document.getElementById("report-quote");
  var status = document.getElementById("report-status");
  var live = document.getElementById("report-live");
  var touch = document.getElementById("report-touch");
  var send = dlg.querySelector(".report-send");
  // Text the page adds around what was written: not part of a quote.
  var SKIP = ".legal-mark,.legal-note,.footnote-ref,.footnote-backref";
  var CONTEXT = 32;
  var current = null, pending = null, back = null, timer = 0;

  function chars(s) { return Array.from ? Array.from(s) : s.split(""); }
  function last(s, n) { return chars(s).slice(-n).join(""); }
  function first(s, n) { return chars(s).slice(0, n).join(""); }
  function flat(s) { return s.replace(/\s+/g, " "); }
  function say(key) {
    var m = dlg.getAttribute("data-" + key) || "";
    status.textContent = m;
    live.textContent = m;
  }

  // capture returns the selection as a quote with its context, within the
  // one part of the article (headline, standfirst, caption, body) where it
  // starts, or null.
  function capture() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) {
      return null;
    }
    var range = sel.getRangeAt(0);
    var start = range.startContainer;
    var el = start.nodeType === 1 ? start : start.parentElement;
    var root = el && el.closest("[data-part]");
    if (!root || !story.contains(root)) {
      return null;
    }
    var before = "", exact = "", after = "", state = 0;
    var walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, null);
    for (var n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n.parentElement.closest(SKIP)) {
        continue;
      }
      var t = n.data;
      if (state === 1 && !range.intersectsNode(n)) {
        state = 2;
      }
      if (state === 0 && !range.intersectsNode(n)) {
        before += t;
      } else if (state === 2) {
        after += t;
      } else {
        state = 1;
        var s = n === range.startContainer ? range.startOffset : 0;
        var e = n === range.endContainer ? range.endOffset : t.length;
        before += t.slice(0, s);
        exact += t.slice(s, e);
        after += t.slice(e);
      }
    }
    var lead = exact.match(/^\s*/)[0], trail = exact.match(/\s*$/)[0];
    exact = exact.slice(lead.length, exact.length - trail.length);
    if (!exact) {
      return null;
    }
    before += lead;
    after = trail + after;
    // The sentence around the quote, for the dialog to show.
    var sb = before.slice(before.lastIndexOf("\n") + 1);
    var cut = Math.max(sb.lastIndexOf(". "), sb.lastIndexOf("! "), sb.lastIndexOf("? "), sb.lastIndexOf("… "));
    sb = cut >= 0 ? sb.slice(cut + 2) : sb;
    var sa = after.split("\n")[0];
    cut = sa.search(/[.!?…](\s|$)/);
    sa = cut >= 0 ? sa.slice(0, cut + 1) : sa;
    return {
      part: root.getAttribute("data-part"), exact: flat(exact),
      prefix: last(flat(before), CONTEXT), suffix: first(flat(after), CONTEXT),
      before: last(flat(sb), 160), after: first(flat(sa), 160)
    };
  }

  function open(c) {
    current = c;
    var mark = document.createElement("mark");
    mark.textContent = c.exact;
    quote.textContent = "";
    quote.append(c.before, mark, c.after);
    var f = form.elements;
    f.exact.value = c.exact;
    f.prefix.value = c.prefix;
    f.suffix.value = c.suffix;
    f.part.value = c.part;
    f.suggestion.value = c.exact;
    status.textContent = "";
    send.disabled = false;
    hideTouch();
    back = document.activeElement;
    dlg.showModal();
    f.suggestion.focus();
    f.suggestion.select();
  }

  dlg.addEventListener("close", function () {
    current = null;
    if (back && back.focus) {
      back.focus();
    }
  });
  document.getElementById("report-cancel").addEventListener("click", function () { dlg.close(); });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!current) {
      return;
    }
    var f = form.elements;
    var body = {
      article_id: +story.getAttribute("data-article"), revision: +story.getAttribute("data-revision"),
      part: current.part, exact: current.exact, prefix: current.prefix, suffix: current.suffix,
      suggestion: f.suggestion.value, comment: f.comment.value, email: f.email.value, website: f.website.value
    };
    send.disabled = true;
    say("sending");
    fetch("/api/v1/error-reports", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (j) {
        send.disabled = false;
        if (res.status === 202) {
          say(j.status === "fixed_by_edit" ? "fixed" : "sent");
          form.reset();
          current = null;
          setTimeout(function () { dlg.close(); }, 2500);
          return;
        }
        var field = j.error && j.error.field;
        say(res.status === 429 ? "rate" : res.status === 413 ? "large" : res.status === 403 ? "blocked" :
          res.status === 422 && field === "exact" ? "not-found" : "failed");
      });
    }, function () {
      send.disabled = false;
      say("failed");
    });
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !(ev.ctrlKey || ev.metaKey) || dlg.open) {
      return;
    }
    var t = ev.target;
    if (t && (/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable)) {
      return;
    }
    var c = capture();
    if (c) {
      ev.preventDefault();
      open(c);
    } else {
      live.textContent = dlg.getAttribute("data-select");
    }
  });

  // Touch screens have no Ctrl key: a button appears beside a selection.
  var coarse = window.matchMedia && matchMedia("(pointer: coarse)").matches;
  if (navigator.maxTouchPoints > 0 || coarse) {
    document.body.appendChild(touch);
    document.addEventListener("selectionchange", function () {
      clearTimeout(timer);
      timer = setTimeout(place, 200);
    });
    // Keep the selection when the button is pressed.
    touch.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
    touch.addEventListener("click", function () {
      var c = capture() || pending;
      if (c) {
        open(c);
      }
    });
    var hint = document.getElementById("error-hint");
    if (coarse && hint && !(window.matchMedia("(any-pointer: fine)").matches)) {
      document.getElementById("error-hint-text").textContent = hint.getAttribute("data-touch");
    }
  }

  function place() {
    var c = dlg.open ? null : capture();
    if (!c) {
      // Keep the button while the tap on it collapses the selection.
      if (document.activeElement !== touch) {
        hideTouch();
      }
      return;
    }
    pending = c;
    var r = window.getSelection().getRangeAt(0).getBoundingClientRect();
    touch.hidden = false;
    var x = r.left + window.scrollX;
    var max = document.documentElement.clientWidth - touch.offsetWidth - 8;
    touch.style.left = Math.max(8, Math.min(x, max)) + "px";
    touch.style.top = (r.bottom + window.scrollY + 12) + "px";
  }

  function hideTouch() {
    touch.hidden = true;
  }
})();
