// What every page does in the browser. No inline script anywhere: the pages' Content
// Security Policy allows scripts from our own files only.
document.querySelectorAll("select.autosubmit").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
