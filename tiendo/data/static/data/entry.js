// Running check that parts add up to the total (the server checks again on save).
(function () {
  function parse(text) {
    text = text.replace(/\s/g, "");
    if (!text) return null;
    if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(text) || /^-?\d+,\d+$/.test(text)) {
      text = text.replace(/\./g, "").replace(",", ".");
    }
    var n = Number(text);
    return isNaN(n) ? NaN : n;
  }
  document.querySelectorAll(".parts-check").forEach(function (note) {
    var id = note.dataset.element;
    var inputs = document.querySelectorAll('input[data-element="' + id + '"]');
    if (inputs.length < 2) return;
    function check() {
      var total = null, sum = 0, any = false;
      inputs.forEach(function (input) {
        var v = parse(input.value);
        if (input.dataset.part === "total") total = v; else if (v !== null) { sum += v; any = true; }
      });
      if (!any || total === null || isNaN(total) || isNaN(sum)) { note.textContent = ""; return; }
      note.textContent = Math.abs(sum - total) < 1e-9 ? note.dataset.ok :
        note.dataset.bad.replace("%s", sum.toLocaleString("vi-VN")).replace("%t", total.toLocaleString("vi-VN"));
      note.className = "parts-check " + (Math.abs(sum - total) < 1e-9 ? "note" : "problems");
    }
    inputs.forEach(function (input) { input.addEventListener("input", check); });
    check();
  });
})();
