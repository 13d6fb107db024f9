// The entry form as people type: each box checked as it is left (number format, whole
// numbers, rate range, sign) and the parts against the total, the problem shown beside the
// box; Enter goes to the next box, and saves the draft from the last. The server checks
// again and alone decides.
(function () {
  var form = document.getElementById("entry-form");
  if (!form) return;
  var vi = document.documentElement.lang !== "en";
  // The user's language reads a lone separator before three digits: "15.500" is fifteen
  // thousand five hundred in Vietnamese, fifteen and a half in English (as on the server).
  function parse(text) {
    text = text.replace(/\s/g, "");
    if (!text) return null;
    if (text.slice(-1) === "%") text = text.slice(0, -1);
    var group = vi ? "." : ",", decimal = vi ? "," : ".";
    var dots = text.split(".").length - 1, commas = text.split(",").length - 1;
    if (dots && commas) {
      decimal = text.lastIndexOf(",") > text.lastIndexOf(".") ? "," : ".";
      group = decimal === "," ? "." : ",";
    } else if (dots + commas > 1) {
      group = dots ? "." : ",";
      decimal = "";
    } else if (dots + commas === 1 && !/^[+-]?\d{1,3}[.,]\d{3}$/.test(text)) {
      decimal = dots ? "." : ",";
      group = "";
    }
    if (group) {
      var body = text.replace(/^[+-]/, "").split(decimal || "\u0000")[0];
      if (body.indexOf(group) >= 0 && !new RegExp("^\\d{1,3}(\\" + group + "\\d{3})+$").test(body)) return NaN;
      text = text.split(group).join("");
    }
    if (decimal) text = text.replace(decimal, ".");
    if (!/^[+-]?\d+(\.\d+)?$/.test(text)) return NaN;
    return Number(text);
  }
  function problemOf(input) {
    var v = parse(input.value), type = input.dataset.type;
    if (v === null) return "";
    if (isNaN(v)) return form.dataset.notNumber;
    if (type === "integer" && v !== Math.round(v)) return form.dataset.whole;
    if (type === "percent" && (v < 0 || v > 100)) return form.dataset.rate;
    if ((type === "integer" || type === "money") && v < 0) return form.dataset.negative;
    return "";
  }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[data-element]"))
    .filter(function (i) { return !i.readOnly; });
  function show(input) {
    var out = document.getElementById("problem-" + input.id.replace(/^value-/, ""));
    var problem = problemOf(input);
    if (!out) return;
    out.textContent = problem;
    if (problem) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", out.id);
    } else {
      input.removeAttribute("aria-invalid");
    }
  }
  boxes.forEach(function (input, index) {
    input.addEventListener("change", function () { show(input); });
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var next = boxes[index + 1];
      if (next) { event.preventDefault(); next.focus(); next.select(); }
    });
  });
  document.querySelectorAll(".parts-check").forEach(function (note) {
    var id = note.dataset.element;
    var inputs = form.querySelectorAll('input[data-element="' + id + '"]');
    if (inputs.length < 2) return;
    function check() {
      var total = null, sum = 0, any = false;
      inputs.forEach(function (input) {
        var v = parse(input.value);
        if (input.dataset.part === "total") total = v; else if (v !== null) { sum += v; any = true; }
      });
      if (!any || total === null || isNaN(total) || isNaN(sum)) { note.textContent = ""; return; }
      var locale = vi ? "vi-VN" : "en";
      note.textContent = Math.abs(sum - total) < 1e-9 ? note.dataset.ok :
        note.dataset.bad.replace("%s", sum.toLocaleString(locale)).replace("%t", total.toLocaleString(locale));
      note.className = "parts-check " + (Math.abs(sum - total) < 1e-9 ? "note" : "problems");
    }
    inputs.forEach(function (input) { input.addEventListener("input", check); });
    check();
  });
})();
