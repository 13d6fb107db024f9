// Approval asks before it acts; "select all" ticks every report of the page.
(function () {
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  var all = document.getElementById("select-all");
  if (all) all.addEventListener("change", function () {
    document.querySelectorAll('input[name=id][form=bulk]').forEach(function (box) { box.checked = all.checked; });
  });
})();
