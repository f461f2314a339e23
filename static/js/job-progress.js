// Polls a background job's JSON status (jobs.views.job_status) and updates its progress bar until it finishes; a
// page marked data-job-reload is reloaded then, to show what the job found (an import's preview).
(function () {
  "use strict";
  document.querySelectorAll("[data-job-status-url]").forEach(function (box) {
    var url = box.getAttribute("data-job-status-url");
    function show(job) {
      box.querySelectorAll("[data-job-field]").forEach(function (field) {
        field.textContent = job[field.getAttribute("data-job-field")];
      });
      box.querySelector("[data-job-progress]").value = job.percent;
      var message = box.querySelector("[data-job-message]");
      message.classList.toggle("job-failed", job.failed);
      message.setAttribute("role", job.failed ? "alert" : "status");
      var result = box.querySelector("[data-job-result]");
      if (result && job.result_url) {
        result.href = job.result_url;
        result.hidden = false;
      }
      return job.finished;
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          if (!show(job)) { window.setTimeout(poll, 1000); } else if (box.hasAttribute("data-job-reload")) { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    poll();
  });
})();
