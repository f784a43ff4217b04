// Progressive enhancement on top of htmx: after a fragment is swapped in, tell screen-reader
// users what happened and move the keyboard focus somewhere sensible. Pages work without this.
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) { return; }
    region.textContent = "";
    // Setting the text after a moment makes screen readers read a repeated message again.
    window.setTimeout(function () { region.textContent = text; }, 60);
  }

  function focusMarked() {
    var element = document.querySelector("[data-focus-after-swap]");
    if (!element) { return; }
    element.removeAttribute("data-focus-after-swap");
    if (!element.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(element.tagName)) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Texts to announce belong to later updates; a freshly loaded page is read as a whole.
    document.querySelectorAll("[data-announce]").forEach(function (element) {
      element.removeAttribute("data-announce");
    });
    // A form sent without JavaScript that came back with errors: start at the error summary.
    if (document.querySelector(".error-summary[data-focus-after-swap]")) { focusMarked(); }
    document.querySelectorAll("[data-focus-after-swap]").forEach(function (element) {
      element.removeAttribute("data-focus-after-swap");
    });
  });

  document.addEventListener("htmx:afterSettle", function () {
    var element = document.querySelector("[data-announce]");
    if (element) {
      announce(element.getAttribute("data-announce"));
      element.removeAttribute("data-announce");
    }
    focusMarked();
  });

  // A comment form that showed no errors is emptied once its comment is stored; the answer
  // adds the comment to the list and leaves the form to this (templates/ideas/_comments.html).
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt, xhr = event.detail.xhr;
    if (xhr && xhr.status >= 200 && xhr.status < 300 && form.hasAttribute &&
        form.hasAttribute("data-reset-after-send")) {
      form.reset();
    }
  });

  document.addEventListener("htmx:responseError", function () {
    announce(document.documentElement.getAttribute("data-error-message"));
  });
  document.addEventListener("htmx:sendError", function () {
    announce(document.documentElement.getAttribute("data-error-message"));
  });
})();
