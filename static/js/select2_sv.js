// Select2 3.5 (bundled with Flask-Admin) only speaks English and Flask-Admin loads no locale
// for it, so the look-ups of the registers would say "No matches found".
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
}(jQuery));
