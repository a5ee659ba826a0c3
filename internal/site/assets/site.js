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
