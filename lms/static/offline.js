/* Offline: worker, "Versi baru tersedia", one person per phone, queued forms (docs/architecture.md). */
(function () {
  "use strict";
  var d = document, b = d.body, ls = window.localStorage, sw = navigator.serviceWorker;
  var uid = (d.cookie.match(/(?:^|; )lms_uid=(\d+)/) || [])[1] || "";
  var qKey = "lms-queue-" + uid;

  function msg(name) { return b.getAttribute("data-msg-" + name) || ""; }
  function banner(text, button, onClick) {
    var p = d.createElement("p");
    p.className = "flash flash-info";
    p.setAttribute("role", "status");
    p.textContent = text + " ";
    if (button) {
      var btn = d.createElement("button");
      btn.type = "button";
      btn.textContent = button;
      btn.onclick = onClick;
      p.appendChild(btn);
    }
    d.getElementById("isi").prepend(p);
    return p;
  }
  // The session ended while something waits on the phone: say so once, with a link back to this page after login.
  function loginBanner() {
    if (d.getElementById("lms-login-banner")) { return; }
    var p = banner(msg("login"));
    p.id = "lms-login-banner";
    var a = d.createElement("a");
    a.href = (b.getAttribute("data-login-url") || "/masuk") + "?next=" + encodeURIComponent(location.pathname);
    a.textContent = msg("signin");
    p.appendChild(a);
  }
  function wipe(who) {
    Object.keys(ls).forEach(function (k) { if (k.indexOf("lms-") === 0) { ls.removeItem(k); } });
    if (who && window.indexedDB) { indexedDB.deleteDatabase("lms-u" + who); indexedDB.deleteDatabase("lms-f" + who); }
    return window.caches ? caches.delete("lms-pages") : Promise.resolve();
  }
  function token() {
    return fetch("/offline/token", { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (r.status === 401) { throw new Error("login"); }
      return r.json();
    });
  }
  function queue() { return JSON.parse(ls.getItem(qKey) || "[]"); }
  function flush() {
    var items = queue();
    if (!items.length || !navigator.onLine) { return; }
    token().then(function (t) {
      return items.reduce(function (chain, item) {
        return chain.then(function () {
          var data = new FormData();
          item.f.forEach(function (pair) { data.append(pair[0], pair[1]); });
          data.set("csrf_token", t.csrf_token);
          return fetch(item.u, { method: "POST", body: data, credentials: "same-origin" }).then(function (r) {
            if (r.status < 500) { ls.setItem(qKey, JSON.stringify(queue().filter(function (x) { return x.k !== item.k; }))); }
          });
        });
      }, Promise.resolve());
    }).catch(function (e) { if (e.message === "login") { loginBanner(); } });
  }
  window.lmsOffline = { uid: uid, token: token, banner: banner, msg: msg, loginBanner: loginBanner };

  var last = ls.getItem("lms-uid");
  var ready = uid && last && last !== uid ? wipe(last) : Promise.resolve();
  ready.then(function () { if (uid) { ls.setItem("lms-uid", uid); } flush(); });
  window.addEventListener("online", flush);

  d.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.hasAttribute("data-logout")) {
      e.preventDefault();
      var online = navigator.onLine;
      wipe(uid).then(function () {
        if (online) { return f.submit(); }
        d.cookie = "lms_uid=; Max-Age=0; path=/";
        return caches.open("lms-meta").then(function (c) { return c.put("/__lms/logout", new Response("1")); })
          .then(function () { location.href = "/masuk"; });
      });
    } else if (f.hasAttribute("data-queue") && !navigator.onLine && uid) {
      var fields = [], file = false;
      new FormData(f).forEach(function (v, k) {
        if (v instanceof File) { file = file || v.size > 0; } else if (k !== "csrf_token") { fields.push([k, v]); }
      });
      if (file) { return; } // files are not queued yet: the browser says it is offline
      e.preventDefault();
      var items = queue();
      items.push({ k: Date.now() + "-" + Math.random(), u: f.action, f: fields });
      ls.setItem(qKey, JSON.stringify(items));
      f.querySelector("button").disabled = true;
      banner(msg("queued"));
    }
  });
  d.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-image]");
    if (btn) {
      var img = btn.nextElementSibling;
      img.src = img.getAttribute("data-src");
      img.hidden = false;
      btn.remove();
    }
  });

  if (!sw) { return; }
  sw.register("/sw.js", { scope: "/" }).then(function (reg) {
    function offer(worker) {
      banner(msg("update"), msg("reload"), function () { worker.postMessage("skip-waiting"); });
    }
    if (reg.waiting && sw.controller) { offer(reg.waiting); }
    reg.addEventListener("updatefound", function () {
      var w = reg.installing;
      w.addEventListener("statechange", function () { if (w.state === "installed" && sw.controller) { offer(w); } });
    });
  });
  var had = !!sw.controller;
  sw.addEventListener("controllerchange", function () { if (had) { location.reload(); } had = true; });
})();
