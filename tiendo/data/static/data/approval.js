// Approval: "select all" ticks every report of the page (asking before acting is the
// site-wide script's, web/tiendo.js).
(function () {
  var all = document.getElementById("select-all");
  if (all) all.addEventListener("change", function () {
    document.querySelectorAll('input[name=id][form=bulk]').forEach(function (box) { box.checked = all.checked; });
  });
})();
