// Progress for uploads: the bar fills while the file is sent, then while the server checks
// or stores it (polling the status URL). Without JavaScript the forms still work.
(function () {
  var form = document.getElementById("upload-form");
  if (form && window.FormData && window.XMLHttpRequest) {
    form.addEventListener("submit", function (event) {
      var bar = document.getElementById("upload-progress");
      var xhr = new XMLHttpRequest();
      event.preventDefault();
      bar.hidden = false;
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { bar.value = 100 * e.loaded / e.total; } };
      xhr.onload = function () {
        if (xhr.responseURL && xhr.status < 400) { window.location = xhr.responseURL; return; }
        document.open(); document.write(xhr.responseText); document.close();
      };
      xhr.open("POST", form.action);
      xhr.send(new FormData(form));
    });
  }
  var work = document.getElementById("work");
  if (work) {
    var bar = document.getElementById("work-progress");
    var poll = function () {
      fetch(work.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); })
        .then(function (s) {
          bar.value = s.progress; bar.textContent = s.progress + "%";
          if (s.done) { window.location.reload(); } else { setTimeout(poll, 1000); }
        }).catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 500);
  }
})();
