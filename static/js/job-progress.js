// The job page follows its job: poll the small JSON view, move the bar, and reload the
// page once the job has ended so the result (or the failure message) shows.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || !box.dataset.statusUrl) return;
  var bar = document.getElementById("job-progress");
  var count = document.getElementById("job-count");
  var state = document.getElementById("job-state");

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.finished) { window.location.reload(); return; }
        bar.value = status.percent;
        bar.textContent = status.percent + "%";
        state.textContent = status.state_label;
        count.textContent = status.total ? status.done + " / " + status.total : "";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
