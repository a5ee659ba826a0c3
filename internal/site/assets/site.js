// newsdesk: small enhancements only; every page reads fine without them.
(function () {
  "use strict";
  // Name the shortcut the reader's own keyboard uses for error reports.
  var p = (navigator.userAgentData && navigator.userAgentData.platform) || navigator.platform || "";
  if (/mac|iphone|ipad|ipod/i.test(p)) {
    var keys = document.querySelector("#error-keys kbd");
    if (keys) {
      keys.textContent = "Cmd";
    }
  }
})();

// Comments: "Reply" moves the form under the comment (without the script
// the link opens a reply page), and a remembered name, e-mail and website
// fill the form.
(function () {
  "use strict";
  var form = document.getElementById("commentform");
  var respond = document.getElementById("respond");
  var home = document.getElementById("respond-home");
  if (!form || !respond) {
    return;
  }
  var parent = document.getElementById("comment-parent");
  var cancel = document.getElementById("cancel-reply");
  if (home && cancel && parent && !form.elements.reply_page) {
    document.addEventListener("click", function (e) {
      var link = e.target.closest ? e.target.closest("a.reply-link") : null;
      if (!link) {
        return;
      }
      var target = document.getElementById("comment-" + link.getAttribute("data-comment"));
      if (!target) {
        return;
      }
      e.preventDefault();
      target.parentNode.insertBefore(respond, target.nextSibling);
      parent.value = link.getAttribute("data-comment");
      cancel.hidden = false;
      form.elements.comment.focus();
    });
    cancel.addEventListener("click", function (e) {
      e.preventDefault();
      home.parentNode.insertBefore(respond, home);
      parent.value = "";
      cancel.hidden = true;
      form.elements.comment.focus();
    });
  }
  var m = document.cookie.match(/(?:^|;\s*)nd_commenter=([A-Za-z0-9_-]+)/);
  if (m) {
    try {
      var bin = atob(m[1].replace(/-/g, "+").replace(/_/g, "/"));
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) {
        bytes[i] = bin.charCodeAt(i);
      }
      var who = JSON.parse(new TextDecoder().decode(bytes));
      [["author", who.name], ["email", who.email], ["url", who.url]].forEach(function (f) {
        var el = form.elements[f[0]];
        if (el && !el.value && typeof f[1] === "string") {
          el.value = f[1];
        }
      });
      if (form.elements.remember) {
        form.elements.remember.checked = true;
      }
    } catch (err) {
      // A damaged cookie only means an empty form.
    }
  }
})();

// Embeds: a YouTube or Vimeo card loads the player in its place when the
// reader clicks it, and not before (no request goes to them until then).
// Without the script, or for other sites, the card is a link.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var card = e.target.closest ? e.target.closest("figure.embed a.embed-card") : null;
    if (!card || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button !== 0) {
      return;
    }
    var fig = card.parentNode, src = "";
    try {
      var u = new URL(card.href);
      if (fig.classList.contains("embed-youtube") && u.hostname === "www.youtube.com" && /^[A-Za-z0-9_-]{6,20}$/.test(u.searchParams.get("v") || "")) {
        src = "https://www.youtube-nocookie.com/embed/" + u.searchParams.get("v") + "?autoplay=1";
      } else if (fig.classList.contains("embed-vimeo") && u.hostname === "vimeo.com" && /^\/[0-9]{1,12}$/.test(u.pathname)) {
        src = "https://player.vimeo.com/video" + u.pathname + "?dnt=1&autoplay=1";
      }
    } catch (err) {
      return;
    }
    if (!src) {
      return;
    }
    e.preventDefault();
    var frame = document.createElement("div");
    frame.className = "embed-frame";
    var ifr = document.createElement("iframe");
    ifr.src = src;
    ifr.title = card.textContent.replace(/\s+/g, " ").trim();
    ifr.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    ifr.allowFullscreen = true;
    ifr.referrerPolicy = "strict-origin-when-cross-origin";
    frame.appendChild(ifr);
    fig.replaceChild(frame, card);
    ifr.focus();
  });
})();

// Most read on article pages: the block is a small page of its own
// (cached apart, so that a ranking move does not drop every cached
// article). The placeholder links to the lists without the script; with
// it, the placeholder keeps room for the lists and they take its place.
(function () {
  "use strict";
  var box = document.querySelector("aside.most-read[data-block]");
  if (!box || !window.fetch || !document.createElement("template").content) {
    return;
  }
  box.classList.add("most-read-loading");
  fetch(box.getAttribute("data-block"), { credentials: "same-origin" }).then(function (res) {
    return res.ok ? res.text() : "";
  }).then(function (html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    var got = t.content.querySelector("aside.most-read");
    if (!got) {
      box.classList.remove("most-read-loading");
      return;
    }
    while (box.firstChild) {
      box.removeChild(box.firstChild);
    }
    while (got.firstChild) {
      box.appendChild(got.firstChild);
    }
    box.classList.add("most-read-loaded");
  }).catch(function () {
    box.classList.remove("most-read-loading");
  });
})();

// A view counted by beacon (a site behind a shared cache, which answers
// pages without asking newsdesk): the page posts once to the signed
// address it carries, with the address the reader came from. A page the
// browser only prerenders counts when it is shown.
(function () {
  "use strict";
  var story = document.querySelector("article[data-view]");
  if (!story || !navigator.sendBeacon) {
    return;
  }
  var send = function () {
    navigator.sendBeacon(story.getAttribute("data-view"), document.referrer || "");
  };
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
