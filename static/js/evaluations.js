// Evaluation drafts: keep the input safe when the network drops, then save it when it comes back.
// htmx posts the section on each change (hx-trigger on the form); this file only adds the local copy.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var form = document.getElementById("evaluation-form");
    if (!form || !window.localStorage) return;
    var key = form.dataset.draftKey;
    var notice = document.getElementById("offline-notice");

    function lockVersion() {
      var input = document.getElementById("id_lock_version");
      return input ? input.value : "";
    }

    function snapshot() {
      var values = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "hidden" || el.type === "submit" || el.name === "csrfmiddlewaretoken") return;
        if (el.type === "checkbox" || el.type === "radio") {
          values[el.name] = values[el.name] || [];
          if (el.checked) values[el.name].push(el.value);
        } else {
          values[el.name] = [el.value];
        }
      });
      return values;
    }

    function store() {
      try {
        localStorage.setItem(key, JSON.stringify({ lock: lockVersion(), values: snapshot() }));
      } catch (e) { /* storage full or disabled: the server copy stays the reference */ }
    }

    function restore(saved) {
      Object.keys(saved.values).forEach(function (name) {
        var wanted = saved.values[name];
        Array.prototype.forEach.call(form.elements, function (el) {
          if (el.name !== name) return;
          if (el.type === "checkbox" || el.type === "radio") el.checked = wanted.indexOf(el.value) !== -1;
          else el.value = wanted[0];
        });
      });
    }

    function sendNow() {
      if (window.htmx) window.htmx.trigger(form, "change");
    }

    // A copy left by an earlier visit on the same server version: put it back and save it.
    var pending = localStorage.getItem(key);
    if (pending) {
      try {
        var saved = JSON.parse(pending);
        if (saved.lock === lockVersion()) {
          restore(saved);
          sendNow();
        } else {
          localStorage.removeItem(key);
        }
      } catch (e) {
        localStorage.removeItem(key);
      }
    }

    form.addEventListener("input", store);
    form.addEventListener("change", store);
    form.addEventListener("submit", store);

    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt !== form) return;
      if (event.detail.successful) {
        localStorage.removeItem(key);
        if (notice) notice.hidden = true;
      }
    });
    document.body.addEventListener("htmx:sendError", function (event) {
      if (event.detail.elt !== form) return;
      store();
      if (notice) notice.hidden = false;
    });
    window.addEventListener("online", function () {
      if (localStorage.getItem(key)) sendNow();
    });
  });
})();
