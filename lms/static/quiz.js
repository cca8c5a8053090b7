/* Quiz page enhancement: autosave the answers and count down the time limit.
 *
 * Without this script the page still works: "Simpan jawaban" saves the draft and
 * "Kirim dan nilai" submits it. With it, every change posts the WHOLE answer set
 * with a rising sequence number, so a late (reordered) autosave can be ignored by
 * the server without losing anything. When the time runs out the form is submitted.
 */
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var seqInput = form.querySelector('input[name="seq"]');
  var statusEl = document.getElementById("autosave-status");
  var saveUrl = form.getAttribute("action");
  var submitUrl = form.getAttribute("data-submit-url");
  var nextSeq = parseInt(seqInput.value, 10) || 1;
  var timer = null;
  var inFlight = false;
  var dirty = false;
  var submitting = false;
  var retryDelay = 2000;

  function say(text) {
    if (statusEl && text) {
      statusEl.textContent = text;
    }
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function showProblems(problems) {
    var nodes = form.querySelectorAll("[data-problem-for]");
    for (var i = 0; i < nodes.length; i += 1) {
      var id = nodes[i].getAttribute("data-problem-for");
      var problem = problems[id];
      nodes[i].textContent = problem || "";
      nodes[i].hidden = !problem;
      var field = nodes[i].parentNode;
      if (field) {
        field.classList.toggle("has-error", !!problem);
      }
    }
  }

  function save() {
    if (submitting) {
      return;
    }
    if (inFlight) {
      dirty = true; // sent again as soon as the current save answers
      return;
    }
    dirty = false;
    var seq = nextSeq;
    nextSeq += 1;
    // The buttons post the hidden field: keep it ahead of every autosave sent.
    seqInput.value = String(nextSeq);
    var data = new FormData(form);
    data.set("seq", String(seq));
    inFlight = true;
    say(form.getAttribute("data-msg-saving"));
    fetch(saveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (reply) {
        inFlight = false;
        retryDelay = 2000;
        if (reply.status === "submitted" || reply.status === "expired") {
          say(reply.message);
          submitting = true;
          window.location.reload();
          return;
        }
        if (reply.status === "stale" && reply.seq >= seq) {
          // Another tab saved later than this one; this tab's answers are the ones being edited now.
          nextSeq = reply.seq + 1;
          seqInput.value = String(nextSeq);
          dirty = true;
        }
        if (reply.problems) {
          showProblems(reply.problems);
        }
        say(reply.message);
        if (dirty) {
          schedule(300);
        }
      })
      .catch(function () {
        inFlight = false;
        dirty = true;
        say(form.getAttribute("data-msg-offline"));
        schedule(retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
      });
  }

  form.addEventListener("change", function () {
    schedule(400);
  });
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "text") {
      schedule(1500);
    }
  });
  form.addEventListener("submit", function (event) {
    if (submitting) {
      event.preventDefault(); // a double tap sends one request
      return;
    }
    submitting = true;
    clearTimeout(timer);
  });
  window.addEventListener("online", function () {
    if (dirty) {
      schedule(0);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (dirty || inFlight)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  var timerEl = document.getElementById("quiz-timer");
  if (!timerEl) {
    return;
  }
  var countdown = timerEl.querySelector(".quiz-countdown");
  var endsAt = Date.now() + (parseInt(timerEl.getAttribute("data-remaining"), 10) || 0) * 1000;
  var label = timerEl.getAttribute("data-msg-left") || "";

  function pad(number) {
    return number < 10 ? "0" + number : String(number);
  }

  function tick() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    if (countdown) {
      countdown.textContent = label.replace("{waktu}", Math.floor(left / 60) + ":" + pad(left % 60));
    }
    // Submit a little early so the request arrives before the server's deadline.
    if (left <= 3 && !submitting) {
      submitting = true;
      clearTimeout(timer);
      seqInput.value = String(nextSeq);
      form.setAttribute("action", submitUrl);
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();
})();
