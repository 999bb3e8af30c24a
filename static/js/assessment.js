/* Self-assessments, progressively enhanced. Without this file the form and
   the result page work as they are; with it:
   - answers are kept in this browser (localStorage) while the form is filled,
     so a reload or a closed tab loses nothing; "Clear answers" asks first,
     removes them without a trip to the server, and offers Undo;
   - a count of the statements answered is shown;
   - the result page offers a Print button and forgets the kept answers
     (the result page carries them itself, and they should not linger). */
(function () {
  "use strict";

  var PREFIX = "hub-assessment:";

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // private mode, disabled storage: the form still works
    }
  }

  function radios(form) {
    return Array.prototype.slice.call(form.querySelectorAll('input[type="radio"]'));
  }

  function collect(form) {
    var answers = {};
    radios(form).forEach(function (r) { if (r.checked) { answers[r.name] = r.value; } });
    return answers;
  }

  function updateProgress(form) {
    var out = form.querySelector("[data-progress]");
    if (!out) { return; }
    var answered = Object.keys(collect(form)).length;
    out.textContent = (out.getAttribute("data-template") || "").replace("{n}", String(answered));
    out.hidden = false;
  }

  function enhanceForm(form) {
    var store = storage();
    var key = PREFIX + form.getAttribute("data-assessment");

    var jsNote = document.querySelector("[data-js-note]");
    var noJsNote = document.querySelector("[data-nojs-note]");
    if (store && jsNote && noJsNote) { jsNote.hidden = false; noJsNote.hidden = true; }

    if (store && form.getAttribute("data-prefilled") !== "yes") {
      var kept = null;
      try { kept = JSON.parse(store.getItem(key) || "null"); } catch (e) { kept = null; }
      if (kept && typeof kept === "object") {
        radios(form).forEach(function (r) {
          if (Object.prototype.hasOwnProperty.call(kept, r.name) && kept[r.name] === r.value) {
            r.checked = true;
          }
        });
      }
    }

    form.addEventListener("change", function () {
      if (store) { store.setItem(key, JSON.stringify(collect(form))); }
      updateProgress(form);
    });

    var clear = form.querySelector("[data-clear]");
    var confirmBox = form.querySelector("[data-clear-confirm]");
    var doneBox = form.querySelector("[data-clear-done]");
    var cleared = null;
    if (clear && confirmBox && doneBox) {
      // "Clear answers" asks first, then offers Undo: nothing is lost by one wrong press.
      clear.addEventListener("click", function (event) {
        event.preventDefault();
        var count = Object.keys(collect(form)).length;
        if (!count) { return; }
        var question = confirmBox.querySelector("p");
        question.textContent = (question.getAttribute("data-template") || "").replace("{n}", String(count));
        doneBox.hidden = true;
        confirmBox.hidden = false;
        confirmBox.querySelector("[data-clear-yes]").focus();
      });
      confirmBox.querySelector("[data-clear-no]").addEventListener("click", function () {
        confirmBox.hidden = true;
        clear.focus();
      });
      confirmBox.querySelector("[data-clear-yes]").addEventListener("click", function () {
        cleared = collect(form);
        radios(form).forEach(function (r) { r.checked = false; });
        if (store) { store.removeItem(key); }
        updateProgress(form);
        confirmBox.hidden = true;
        doneBox.hidden = false;
        doneBox.querySelector("[data-clear-undo]").focus();
      });
      doneBox.querySelector("[data-clear-undo]").addEventListener("click", function () {
        if (cleared) {
          radios(form).forEach(function (r) {
            if (Object.prototype.hasOwnProperty.call(cleared, r.name) && cleared[r.name] === r.value) { r.checked = true; }
          });
          if (store) { store.setItem(key, JSON.stringify(cleared)); }
        }
        cleared = null;
        updateProgress(form);
        doneBox.hidden = true;
        var first = form.querySelector('input[type="radio"]:checked') || form.querySelector('input[type="radio"]');
        if (first) { first.focus(); }
      });
    }
    updateProgress(form);
  }

  function enhanceResult(result) {
    var store = storage();
    if (store) { store.removeItem(PREFIX + result.getAttribute("data-result-for")); }
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (item) {
      item.hidden = false;
      item.querySelector("button").addEventListener("click", function () { window.print(); });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-assessment]"), enhanceForm);
    Array.prototype.forEach.call(document.querySelectorAll("[data-result-for]"), enhanceResult);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
