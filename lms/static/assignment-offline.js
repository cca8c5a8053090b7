/* Assignment drafts on the phone: the text and the link are kept (per user, per assignment) while
 * typing, and put back after a reload or offline; sending the form forgets the draft. Logging out,
 * or another person signing in, wipes every draft (offline.js). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft]");
  var uid = window.lmsOffline && window.lmsOffline.uid;
  if (!form || !uid || !window.localStorage) {
    return;
  }
  var key = "lms-draft-" + uid + "-" + location.pathname;
  var fields = form.querySelectorAll("textarea, input[type=url]");
  var kept = JSON.parse(localStorage.getItem(key) || "{}");
  for (var i = 0; i < fields.length; i += 1) {
    if (!fields[i].value && kept[fields[i].name]) {
      fields[i].value = kept[fields[i].name];
    }
  }
  form.addEventListener("input", function () {
    var draft = {};
    for (var j = 0; j < fields.length; j += 1) {
      draft[fields[j].name] = fields[j].value;
    }
    localStorage.setItem(key, JSON.stringify(draft));
  });
  form.addEventListener("submit", function () {
    localStorage.removeItem(key); // a queued send keeps its own copy of the fields
  });
})();
