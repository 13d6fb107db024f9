(function () {
  var box = document.getElementById("report"), bar = document.getElementById("progress");
  var token = document.querySelector("#build-form [name=csrfmiddlewaretoken]").value;
  var timer = setInterval(poll, 700);
  function show(s) {
    bar.value = s.progress;
    if (s.status === "done") {
      clearInterval(timer);
      var link = document.getElementById("download");
      link.href = s.download; document.getElementById("ready").hidden = false; link.focus();
    } else if (s.status === "failed") {
      clearInterval(timer);
      var failed = document.getElementById("failed");
      failed.textContent = s.error; failed.hidden = false;
    }
  }
  function poll() { fetch(box.dataset.status).then(function (r) { return r.json(); }).then(show); }
  fetch(box.dataset.build, {method: "POST", headers: {"X-CSRFToken": token, "Accept": "application/json"}})
    .then(function (r) { return r.json(); }).then(show);
})();
