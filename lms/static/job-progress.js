// Poll a background job's progress and update the page; reload once it ends.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.getAttribute("data-running") !== "yes") { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var done = box.querySelector("[data-job-done]");
  var total = box.querySelector("[data-job-total]");

  function show(job) {
    if (bar && job.total) { bar.max = job.total; bar.value = job.done; }
    if (done) { done.textContent = String(job.done); }
    if (total) { total.textContent = String(job.total); }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { setTimeout(poll, 5000); return; }
        show(job);
        if (job.finished) { window.location.reload(); } else { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
}());
