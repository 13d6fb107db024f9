(function () {
  // A typing aid only: the server checks the allocation and says what is wrong.
  var form = document.getElementById("allocation"), out = document.getElementById("running-total");
  // Reads 1.500,5 and 1,500.5; one separator before exactly three digits (15.500) is read
  // as the page's language writes it, as on the server (Vietnamese: fifteen thousand five
  // hundred; English: fifteen point five).
  var vi = document.documentElement.lang !== "en";
  function read(text) {
    text = text.trim().replace(/\s/g, "");
    if (!text) return 0;
    var dots = text.split(".").length - 1, commas = text.split(",").length - 1;
    if (dots && commas) {
      var decimal = text.lastIndexOf(",") > text.lastIndexOf(".") ? "," : ".";
      text = text.split(decimal === "," ? "." : ",").join("").replace(",", ".");
    } else if (dots + commas > 1) {
      text = text.replace(/[.,]/g, "");
    } else if (dots + commas === 1) {
      var grouping = vi ? "." : ",";
      if (/^-?\d{1,3}[.,]\d{3}$/.test(text) && text.indexOf(grouping) >= 0) text = text.replace(grouping, "");
      else text = text.replace(",", ".");
    }
    return Number(text);
  }
  function total() {
    if (!out) return;
    var sum = 0, ok = true;
    form.querySelectorAll("input.part").forEach(function (i) { var v = read(i.value); if (isNaN(v)) ok = false; else sum += v; });
    out.textContent = ok ? sum.toLocaleString(document.documentElement.lang === "en" ? "en" : "vi") : "?";
  }
  form.addEventListener("input", total);
  var button = document.getElementById("use-proposal");
  if (button) button.addEventListener("click", function () {
    form.querySelectorAll("[data-proposed]").forEach(function (cell) {
      if (cell.dataset.proposed) document.getElementById(cell.dataset.for).value = cell.dataset.proposed;
    });
    total();
  });
  total();
})();
