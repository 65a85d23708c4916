// Swedish for what Flask-Admin's bundled parts say in English and its catalogue cannot reach:
// Select2 3.5 (the look-ups of the registers) ships without a Swedish locale, and the base
// template's menu button has a fixed English label for screen readers.
(function ($) {
  "use strict";
  $.extend($.fn.select2.defaults, {
    formatMatches: function (count) {
      return count === 1 ? "En träff. Tryck Enter för att välja den."
        : count + " träffar. Använd pil upp och pil ned för att välja.";
    },
    formatNoMatches: function () { return "Inga träffar"; },
    formatAjaxError: function () { return "Sökningen misslyckades. Försök igen."; },
    formatInputTooShort: function (input, min) { return "Skriv minst " + (min - input.length) + " tecken till"; },
    formatInputTooLong: function (input, max) { return "Ta bort " + (input.length - max) + " tecken"; },
    formatSelectionTooBig: function (limit) { return "Du kan välja högst " + limit + (limit === 1 ? " post" : " poster"); },
    formatLoadMore: function () { return "Hämtar fler träffar …"; },
    formatSearching: function () { return "Söker …"; }
  });
  $(".navbar-toggler").attr("aria-label", "Visa eller dölj menyn");
  // Select2 3.5's clear button is an empty link: give it a name (WCAG 4.1.2).
  function nameClearButtons() {
    $(".select2-search-choice-close").attr({"aria-label": "Rensa valet", "title": "Rensa valet"});
  }
  nameClearButtons();
  // Escape closes an open menu of the navigation bar and returns to its button (Flask-Admin loads two
  // copies of Bootstrap's drop-down, whose own Escape toggles it twice and leaves it open).
  document.addEventListener("keydown", function (event) {
    var open = event.key === "Escape" && document.querySelector(".navbar .dropdown-menu.show");
    if (!open) { return; }
    event.stopPropagation();
    event.preventDefault();
    var toggle = open.parentElement.querySelector("[data-toggle=dropdown]");
    $(toggle).dropdown("hide");
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  }, true);
  // An error shown beside a field is tied to it for screen readers (WCAG 1.3.1, 3.3.1): the order
  // steps mark theirs with data-error-for="<field name>".
  $("[data-error-for]").each(function (index) {
    this.id = this.id || "fel-" + index;
    $("[name='" + $(this).data("errorFor") + "']").not("[type=hidden]")
      .attr({"aria-invalid": "true", "aria-describedby": this.id});
  });
  // A list cell cut short by the dense layout shows its whole text on hover.
  $("table.model-list td").each(function () {
    if (this.scrollWidth > this.clientWidth && !this.title) { this.title = this.textContent.trim(); }
  });
  // Select2 draws its choices after this script and again on every change: watched only where there
  // is Select2 (Flask-Admin's forms and list filters), not on the order pages' redrawn tables.
  if (document.querySelector("[data-role^=select2], #filter_form")) {
    new MutationObserver(function (changes) {
      if (changes.some(function (change) { return change.addedNodes.length; })) { nameClearButtons(); }
    }).observe(document.body, {childList: true, subtree: true});
  }
}(jQuery));
