// What every page does in the browser. No inline script anywhere: the pages' Content
// Security Policy allows scripts from our own files only.
document.querySelectorAll("select.autosubmit").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
// A form that acts for good (approving, removing) asks first.
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});
