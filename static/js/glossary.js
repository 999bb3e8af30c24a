/* Glossary terms in a resource's body. The server marks a term's first use as
   a link to its glossary entry, followed by its definition, hidden. Here each
   link becomes a button that shows and hides the definition in place
   (aria-expanded, aria-controls), so it works with the keyboard and is
   announced by screen readers; Escape closes it and returns to the term.
   Without JavaScript the link still leads to the definition. */
(function () {
  "use strict";

  function toggle(button, open) {
    var definition = document.getElementById(button.getAttribute("aria-controls"));
    if (!definition) { return; }
    button.setAttribute("aria-expanded", open ? "true" : "false");
    definition.hidden = !open;
  }

  function upgrade(link) {
    var id = link.getAttribute("data-gloss");
    var definition = id && document.getElementById(id);
    if (!definition) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "gloss-term";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", id);
    while (link.firstChild) { button.appendChild(link.firstChild); }
    link.parentNode.replaceChild(button, link);
    button.addEventListener("click", function () {
      toggle(button, button.getAttribute("aria-expanded") !== "true");
    });
    definition.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { toggle(button, false); button.focus(); }
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        event.preventDefault();
        toggle(button, false);
      }
    });
  }

  function start() {
    var links = document.querySelectorAll("a.gloss-term[data-gloss]");
    for (var i = 0; i < links.length; i++) { upgrade(links[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
