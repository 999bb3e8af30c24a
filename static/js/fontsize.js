/* Text size without a reload. The links work without JavaScript (the server
   sets the same cookie and redirects back); here we change the class on
   <html> at once and write the cookie the server reads on every page. */
(function () {
  "use strict";
  var COOKIE = "hub_text_size";
  var root = document.documentElement;

  function currentStep(fallback) {
    var match = document.cookie.match(/(?:^|;\s*)hub_text_size=(\d+)/);
    var step = match ? parseInt(match[1], 10) : fallback;
    return isNaN(step) ? fallback : step;
  }

  function apply(control, step, steps) {
    for (var i = 0; i < steps.length; i++) { root.classList.remove("text-" + i); }
    root.classList.add("text-" + step);
    var secure = location.protocol === "https:" ? "; secure" : "";
    document.cookie = COOKIE + "=" + step + "; path=/; max-age=31536000; samesite=lax" + secure;
    var status = control.querySelector(".text-size-current");
    if (status) {
      var value = steps[step] / 100;
      try {
        status.textContent = new Intl.NumberFormat(root.lang || "en", { style: "percent" }).format(value);
      } catch (e) {
        status.textContent = Math.round(value * 100) + "%";
      }
    }
  }

  function init() {
    var control = document.querySelector(".text-size[data-steps]");
    if (!control) { return; }
    var steps = control.getAttribute("data-steps").split(",").map(Number);
    var def = parseInt(control.getAttribute("data-default"), 10) || 0;
    control.addEventListener("click", function (event) {
      var link = event.target.closest("[data-text-size]");
      if (!link) { return; }
      event.preventDefault();
      var step = currentStep(def);
      if (step < 0 || step >= steps.length) { step = def; }
      var action = link.getAttribute("data-text-size");
      if (action === "larger") { step = Math.min(steps.length - 1, step + 1); }
      else if (action === "smaller") { step = Math.max(0, step - 1); }
      else { step = def; }
      apply(control, step, steps);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
