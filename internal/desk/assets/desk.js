// newsdesk desk: small enhancements; every page works without them.
(function () {
  "use strict";
})();
