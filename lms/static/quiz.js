/* Quiz page enhancement: autosave the answers and count down the time limit.
 *
 * Without this script the page still works: "Simpan jawaban" saves the draft and
 * "Kirim dan nilai" submits it. With it, every change posts the WHOLE answer set
 * with a rising sequence number, so a late (reordered) autosave can be ignored by
 * the server without losing anything. When the time runs out the form is submitted.
 *
 * Leaving the page (another link, closing the tab, switching apps) flushes any
 * answer not yet saved with a `keepalive` fetch, which the browser finishes after
 * the page is gone; the form's csrf_token field travels in the same FormData.
 * While something is unsaved, the browser also asks before leaving. A busy server
 * (503/429) is asked again after its Retry-After delay.
 *
 * Offline (issue #16): every edit is also kept on the phone in IndexedDB (one database
 * per user, "lms-u<id>", wiped at logout), with the next sequence number, so answers
 * survive a reload or an app restart and autosave resumes above every number already
 * used. "Kirim" pressed offline (or the time running out offline) queues the submit with
 * an idempotency key; on reconnect it is sent once, with a CSRF token fetched just before,
 * and the server answers a repeat of that key with the same result. A busy server (503 +
 * Retry-After, see lms/admission.py) or a dropped connection sends it again after the wait.
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
  var sendingSubmit = false;
  var retryDelay = 2000;
  // Edits are counted so "unsaved" means: some edit has not been confirmed saved by the server.
  var edits = 0;
  var savedEdits = 0;
  var flushedEdits = 0;
  var off = window.lmsOffline;
  var device = off && off.uid && window.indexedDB ? "lms-u" + off.uid : null;
  var record = null; // what the phone keeps for this attempt: {fields, nextSeq, saved, submit, submitSeq}
  // A submit queued in one tab is announced to the attempt's other tabs on this phone, so they stop
  // saving their own (older) answers over it, and show the result once it is graded.
  var queuedKey = device ? device + "-kirim-" + saveUrl : null;
  var lockedByOtherTab = false;

  function announceSubmit(key) {
    if (!queuedKey) {
      return;
    }
    try {
      if (key) { window.localStorage.setItem(queuedKey, key); } else { window.localStorage.removeItem(queuedKey); }
    } catch (ignored) { /* no storage (a private window): each tab goes on alone, the server still grades once */ }
  }

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

  // "1.200" where 1,2 may be meant: the server says how it read the number.
  function showReadings(readings) {
    var nodes = form.querySelectorAll("[data-reading-for]");
    for (var i = 0; i < nodes.length; i += 1) {
      var reading = readings[nodes[i].getAttribute("data-reading-for")];
      nodes[i].textContent = reading || "";
      nodes[i].hidden = !reading;
    }
  }

  // One IndexedDB store, "quiz", keyed by the attempt's save URL.
  function store(mode, work) {
    if (!device) {
      return Promise.reject(new Error("no device store"));
    }
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open(device, 1);
      open.onupgradeneeded = function () {
        open.result.createObjectStore("quiz");
      };
      open.onerror = reject;
      open.onsuccess = function () {
        var tx = open.result.transaction("quiz", mode);
        var request = work(tx.objectStore("quiz"));
        tx.oncomplete = function () {
          open.result.close();
          resolve(request.result);
        };
        tx.onerror = reject;
      };
    });
  }

  function fields() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && name !== "seq") {
        pairs.push([name, value]);
      }
    });
    return pairs;
  }

  // Keep the answers as they are now on the phone; `saved` says the server has them too.
  function remember(saved) {
    record = { fields: fields(), nextSeq: nextSeq, saved: !!saved, submit: record && record.submit,
               submitSeq: record && record.submitSeq };
    return store("readwrite", function (s) { return s.put(record, saveUrl); }).catch(function () {});
  }

  function restore(pairs) {
    var inputs = form.querySelectorAll("input[name^='q-']");
    for (var i = 0; i < inputs.length; i += 1) {
      var input = inputs[i];
      var values = pairs.filter(function (pair) { return pair[0] === input.name; }).map(function (pair) {
        return pair[1];
      });
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = values.indexOf(input.value) !== -1;
      } else {
        input.value = values.length ? values[0] : "";
      }
    }
  }

  function lock() {
    submitting = true;
    clearTimeout(timer);
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].disabled = true;
    }
  }

  function randomKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (byte) { return ("0" + byte.toString(16)).slice(-2); }).join("");
  }

  // "Kirim" with no connection: keep the submit on the phone, to be sent once on reconnect.
  function queueSubmit() {
    lock();
    record = record || {};
    record.submit = randomKey();
    record.submitSeq = nextSeq;
    nextSeq += 1;
    announceSubmit(record.submit);
    return remember(false).then(function () {
      say(form.getAttribute("data-msg-device"));
    });
  }

  function sendQueuedSubmit() {
    if (!record || !record.submit || !navigator.onLine || sendingSubmit) {
      return;
    }
    sendingSubmit = true; // "online" can fire twice; one request at a time (the key makes a repeat harmless)
    off.token().then(function (reply) {
      var data = new FormData();
      record.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
      data.set("csrf_token", reply.csrf_token);
      data.set("seq", String(record.submitSeq));
      data.set("confirm", "1");
      data.set("idempotency_key", record.submit);
      return fetch(submitUrl, { method: "POST", body: data, credentials: "same-origin" });
    }).then(function (response) {
      if (response.status >= 500 || response.status === 429) {
        var busy = new Error("busy");
        busy.delay = retryAfter(response);
        throw busy;
      }
      if (response.status === 409) { // newer answers from elsewhere: show them, keep these to send again
        record.submit = null;
        announceSubmit(null);
        return remember(false).then(function () { window.location.reload(); });
      }
      return store("readwrite", function (s) { return s.delete(saveUrl); }).then(function () {
        announceSubmit(null);
        window.location.reload();
      });
    }).catch(function (problem) {
      if (problem && problem.message === "login") {
        sendingSubmit = false;
        off.loginBanner();
        return;
      }
      sendingSubmit = false;
      // Busy (503 + Retry-After) or cut off: the same key again later, which the server grades once.
      setTimeout(sendQueuedSubmit, (problem && problem.delay) || retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  function unsaved() {
    return edits > savedEdits;
  }

  // The whole answer set under the next sequence number (the csrf_token field included).
  function nextPost() {
    var seq = nextSeq;
    nextSeq += 1;
    // The buttons post the hidden field: keep it ahead of every autosave sent.
    seqInput.value = String(nextSeq);
    var data = new FormData(form);
    data.set("seq", String(seq));
    remember(false);
    return data;
  }

  // Seconds (or an HTTP date) from a Retry-After header, as milliseconds; the backoff when absent.
  function retryAfter(response) {
    var value = response.headers.get("Retry-After") || "";
    if (/^\s*\d+\s*$/.test(value)) {
      return Math.max(parseInt(value, 10), 1) * 1000;
    }
    var when = Date.parse(value);
    return isNaN(when) ? retryDelay : Math.max(when - Date.now(), 1000);
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
    var sentEdits = edits;
    var data = nextPost();
    inFlight = true;
    say(form.getAttribute("data-msg-saving"));
    fetch(saveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (response.status === 503 || response.status === 429) {
          var busy = new Error("busy");
          busy.delay = retryAfter(response);
          throw busy;
        }
        return response.json();
      })
      .then(function (reply) {
        inFlight = false;
        retryDelay = 2000;
        if (reply.status === "saved") {
          savedEdits = Math.max(savedEdits, sentEdits);
          if (savedEdits === edits) {
            remember(true);
          }
        }
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
          showReadings(reply.readings || {});
        }
        say(reply.message);
        if (dirty) {
          schedule(300);
        }
      })
      .catch(function (problem) {
        inFlight = false;
        dirty = true; // the answers stay marked unsaved
        if (problem && problem.delay) {
          say(form.getAttribute("data-msg-busy"));
          schedule(problem.delay);
          return;
        }
        say(form.getAttribute(record ? "data-msg-device" : "data-msg-offline"));
        schedule(retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
      });
  }

  // Send what is unsaved now, in a request the browser keeps alive after the page is gone.
  function flush() {
    // Offline the answers are already on the phone; a request sent now could still arrive later.
    if (submitting || !unsaved() || flushedEdits === edits || (record && !navigator.onLine)) {
      return;
    }
    clearTimeout(timer);
    flushedEdits = edits;
    var sentEdits = edits;
    fetch(saveUrl, {
      method: "POST",
      body: nextPost(),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      keepalive: true
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (reply) {
        if (reply.status === "saved") {
          savedEdits = Math.max(savedEdits, sentEdits);
          say(reply.message);
        }
      })
      .catch(function () {
        dirty = true;
        flushedEdits = 0;
        schedule(retryDelay); // still here (the page was only hidden): try again
      });
  }

  form.addEventListener("change", function () {
    edits += 1;
    remember(false);
    schedule(400);
  });
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "text") {
      edits += 1;
      remember(false);
      schedule(1500);
    }
  });
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flush();
    }
  });
  form.addEventListener("submit", function (event) {
    if (submitting) {
      event.preventDefault(); // a double tap sends one request
      return;
    }
    var grading = event.submitter && event.submitter.id === "quiz-submit";
    if (grading && !navigator.onLine && device) {
      event.preventDefault();
      queueSubmit();
      return;
    }
    if (grading) {
      var key = document.createElement("input");
      key.type = "hidden";
      key.name = "idempotency_key";
      key.value = randomKey();
      form.appendChild(key);
    }
    submitting = true;
    clearTimeout(timer);
  });
  window.addEventListener("storage", function (event) {
    if (!queuedKey || event.key !== queuedKey) {
      return;
    }
    if (event.newValue && !submitting) {
      lockedByOtherTab = true;
      clearTimeout(timer);
      lock();
      say(form.getAttribute("data-msg-device"));
    } else if (!event.newValue && lockedByOtherTab) {
      window.location.reload(); // graded from the other tab: show the result
    }
  });
  window.addEventListener("online", function () {
    if (record && record.submit) {
      sendQueuedSubmit();
    } else if (dirty || unsaved()) {
      schedule(0);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (unsaved() || dirty || inFlight)) {
      flush(); // already on its way if the participant leaves anyway
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // What the phone kept for this attempt (a reload, or the app started again offline).
  store("readonly", function (s) { return s.get(saveUrl); }).then(function (kept) {
    if (!kept) {
      return;
    }
    record = kept;
    nextSeq = Math.max(nextSeq, kept.nextSeq || 0, (kept.submitSeq || 0) + 1);
    seqInput.value = String(nextSeq);
    if (kept.submit) {
      restore(kept.fields);
      lock();
      say(form.getAttribute("data-msg-device"));
      sendQueuedSubmit();
    } else if (!kept.saved) {
      restore(kept.fields);
      edits += 1;
      say(form.getAttribute("data-msg-device"));
      schedule(navigator.onLine ? 0 : retryDelay);
    }
  }).catch(function () {});

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
    if (left <= 3 && !submitting && !navigator.onLine && device) {
      queueSubmit(); // sent on reconnect; the course's grace period covers the trip
      return;
    }
    if (left <= 3 && !submitting) {
      submitting = true;
      clearTimeout(timer);
      seqInput.value = String(nextSeq);
      // No "questions left empty?" step when the time is up.
      var confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirm";
      confirmed.value = "1";
      form.appendChild(confirmed);
      form.setAttribute("action", submitUrl);
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();
})();
