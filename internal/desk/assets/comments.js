// Comment queue: "Select all" ticks every comment on the page.
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (!all) {
    return;
  }
  all.addEventListener("change", function () {
    var boxes = document.querySelectorAll('input[type=checkbox][name="' + all.getAttribute("data-select-all") + '"]');
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].checked = all.checked;
    }
  });
})();
