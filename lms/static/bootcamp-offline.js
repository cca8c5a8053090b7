// Offline check-in on a staff phone (lms/bootcamp): check-ins wait in localStorage, each with its own
// UUID, and are sent as one batch when the phone is online again. The server records each UUID once,
// so sending a batch twice (a lost answer, a double tap) never counts anybody twice.
(function () {
  "use strict";
  var root = document.getElementById("offline-checkin");
  if (!root) { return; }
  var people = JSON.parse(document.getElementById("offline-roster").textContent);
  var key = "bootcamp-offline-" + root.dataset.session;
  var list = document.getElementById("offline-people");
  var filter = document.getElementById("offline-filter");
  var status = document.getElementById("offline-status");
  var pendingText = document.getElementById("offline-pending");
  var sending = false;

  function load(name) { try { return JSON.parse(localStorage.getItem(name) || "[]"); } catch (e) { return []; } }
  function save(name, items) { localStorage.setItem(name, JSON.stringify(items)); }
  function pending() { return load(key); }
  function done() { return load(key + "-done"); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function checkedIds() {
    var ids = {};
    pending().concat(done()).forEach(function (item) { ids[item.user_id] = true; });
    return ids;
  }

  function render() {
    var query = (filter.value || "").toLowerCase();
    var ids = checkedIds();
    list.textContent = "";
    people.filter(function (p) {
      return !query || p.name.toLowerCase().indexOf(query) >= 0 || p.phone.indexOf(query) >= 0;
    }).slice(0, 50).forEach(function (p) {
      var li = document.createElement("li");
      li.textContent = p.name + " · …" + p.phone + (p.business ? " · " + p.business : "") + " ";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button primary";
      button.dataset.userId = p.id;
      button.textContent = ids[p.id] ? "✓" : root.dataset.msgButton;
      button.disabled = !!ids[p.id];
      button.setAttribute("aria-label", root.dataset.msgButton + ": " + p.name);
      button.addEventListener("click", function () { record(p.id); });
      li.appendChild(button);
      list.appendChild(li);
    });
    var n = pending().length;
    pendingText.textContent = n ? root.dataset.msgPending + " " + n : root.dataset.msgSynced;
    status.textContent = navigator.onLine ? root.dataset.msgOnline : root.dataset.msgOffline;
  }

  function record(userId) {
    var items = pending();
    items.push({ uuid: uuid(), user_id: userId, at: new Date().toISOString() });
    save(key, items);
    render();
    sync();
  }

  // A page kept by the service worker may carry the token of an earlier session (signed out and in
  // again since): on a refusal, take a fresh one for the next try.
  function freshToken() {
    return fetch("/offline/token", { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (reply) { if (reply && reply.csrf_token) { root.dataset.csrf = reply.csrf_token; } });
  }

  function sync() {
    var items = pending();
    if (sending || !items.length || !navigator.onLine) { render(); return; }
    sending = true;
    fetch(root.dataset.syncUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify({ items: items })
    }).then(function (response) {
      if (response.status === 400 || response.status === 403) {
        return freshToken().then(function () { throw new Error("HTTP " + response.status); });
      }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (body) {
      var answered = {};
      body.results.forEach(function (r) { answered[r.uuid] = r.result; });
      var sent = items.filter(function (item) { return answered[item.uuid]; });
      save(key + "-done", done().concat(sent.filter(function (i) { return answered[i.uuid] !== "refused"; })));
      // Only what was answered leaves the queue; anything added meanwhile stays.
      save(key, pending().filter(function (item) { return !answered[item.uuid]; }));
    }).catch(function () { /* still offline or the server is away: keep everything, try again later */ })
      .then(function () { sending = false; render(); });
  }

  filter.addEventListener("input", render);
  document.getElementById("offline-sync").addEventListener("click", sync);
  window.addEventListener("online", sync);
  window.addEventListener("offline", render);
  setInterval(sync, 15000);
  render();
  sync();
}());
