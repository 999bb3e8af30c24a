/* The search page, enhanced: facets and sort apply as soon as they change, and
   titles and vocabulary labels are suggested as you type. Without this script
   the page works the same through its buttons and links. */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.URLSearchParams || !window.DOMParser) { return; }
  var status = document.getElementById("search-status");
  var lang = form.getAttribute("data-lang") || document.documentElement.lang || "en";
  var controller = null;

  function formQuery() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") { params.append(key, value); }
    });
    return params.toString();
  }

  /* -- the "Filters (n)" disclosure ---------------------------------------- */
  var wide = window.matchMedia ? window.matchMedia("(min-width: 50rem)") : null;

  function placeFilters() {
    var filters = document.getElementById("filters");
    var isWide = !!(wide && wide.matches);
    form.classList.toggle("js-wide", isWide);
    if (filters && isWide) { filters.open = true; }
  }

  function openDisclosures(root) {
    var open = {};
    root.querySelectorAll("details[id]").forEach(function (d) { open[d.id] = d.open; });
    return open;
  }

  if (wide) {
    placeFilters();
    if (wide.addEventListener) { wide.addEventListener("change", placeFilters); }
  }

  /* "Show the results": close the panel and go to the results, on a phone. */
  form.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".show-results");
    if (!link) { return; }
    event.preventDefault();
    var filters = document.getElementById("filters");
    if (filters && !(wide && wide.matches)) { filters.open = false; }
    var heading = document.getElementById("results-heading");
    if (heading) { heading.focus(); heading.scrollIntoView({block: "start"}); }
  });

  /* -- instant facets and sort ------------------------------------------ */
  function refresh(focusId) {
    var main = document.getElementById("search-main");
    var wasOpen = openDisclosures(main);
    var url = form.getAttribute("action") + (formQuery() ? "?" + formQuery() : "");
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    main.setAttribute("aria-busy", "true");
    fetch(url, {headers: {"X-Requested-With": "fetch"}, credentials: "same-origin",
                signal: controller ? controller.signal : undefined})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("search-main");
        if (!fresh) { throw new Error("no results in response"); }
        /* Keep the place: the panels that were open stay open, focus returns to the box just ticked. */
        fresh.querySelectorAll("details[id]").forEach(function (d) {
          if (Object.prototype.hasOwnProperty.call(wasOpen, d.id)) { d.open = wasOpen[d.id]; }
        });
        main.replaceWith(fresh);
        placeFilters();
        window.history.replaceState(null, "", url);
        var heading = fresh.querySelector("#results-heading");
        if (status && heading) { status.textContent = heading.textContent.trim(); }
        var target = focusId && document.getElementById(focusId);
        if (target) { target.focus(); }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        form.submit();  /* fall back to an ordinary page load */
      });
  }

  form.classList.add("js-instant");
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "checkbox" || target.id === "search-sort") {
      refresh(target.id);
    }
  });

  /* -- suggestions as you type (ARIA 1.2 combobox with a listbox popup) ---- */
  var input = document.getElementById("search-q");
  var suggestUrl = form.getAttribute("data-suggest-url");
  if (!input || !suggestUrl) { return; }
  var list = document.createElement("ul");
  list.id = "search-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", lang === "fr" ? "Suggestions" : "Suggestions");
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  var options = [];
  var active = -1;
  var timer = null;
  var lastQuery = "";

  var words = lang === "fr"
    ? {resource: "Ressource", filter: "Filtre", count: function (n) { return n + " suggestion" + (n > 1 ? "s" : ""); }}
    : {resource: "Resource", filter: "Filter", count: function (n) { return n + " suggestion" + (n > 1 ? "s" : ""); }};

  function close() {
    list.hidden = true;
    list.textContent = "";
    options = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    options.forEach(function (option, i) { option.el.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].el.id);
      options[index].el.scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(data) {
    close();
    var items = [];
    (data.titles || []).forEach(function (t) { items.push({text: t.title, kind: words.resource, url: t.url, lang: t.language}); });
    (data.labels || []).forEach(function (l) { items.push({text: l.label + " (" + l.count + ")", kind: words.filter, url: l.url}); });
    if (!items.length) { return; }
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "search-suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var text = document.createElement("span");
      text.textContent = item.text;
      if (item.lang) { text.lang = item.lang; }
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " · " + item.kind;
      li.appendChild(text);
      li.appendChild(kind);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });
      li.addEventListener("click", function () { window.location.assign(item.url); });
      list.appendChild(li);
      options.push({el: li, url: item.url});
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    if (status) { status.textContent = words.count(items.length); }
  }

  function fetchSuggestions() {
    var q = input.value;
    if (q.trim().length < 2 || q === lastQuery) { if (q.trim().length < 2) { close(); } return; }
    lastQuery = q;
    fetch(suggestUrl + "?" + new URLSearchParams({q: q, lang: lang}).toString(), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && input.value === q) { render(data); } })
      .catch(function () { close(); });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden || !options.length) { return; }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % options.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(options[active].url);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 100); });
})();
