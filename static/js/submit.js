// Progressive enhancement for the submission form: warn about a file that is
// too large before it is sent (the server refuses it anyway, and keeps the rest).
(function () {
  "use strict";
  var input = document.querySelector("input[type=file][data-max-bytes]");
  var warning = document.getElementById("files-size-warning");
  if (!input || !warning) { return; }
  var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
  input.addEventListener("change", function () {
    var big = [];
    for (var i = 0; i < input.files.length; i++) {
      if (input.files[i].size > limit) { big.push(input.files[i].name); }
    }
    if (big.length) {
      warning.textContent = (input.getAttribute("data-too-big") || "Too large:") + " " + big.join(", ");
      warning.hidden = false;
      input.setAttribute("aria-invalid", "true");
    } else {
      warning.hidden = true;
      warning.textContent = "";
      input.removeAttribute("aria-invalid");
    }
  });
}());
