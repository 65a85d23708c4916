/* Search-as-you-type for one input: suggestions from a JSON endpoint ({"results": [{id, label, url?}]}),
   arrow keys to move, Enter to choose, Escape to close. The chosen id goes to the hidden input. */
(function () {
  "use strict";

  function setup(box) {
    var input = box.querySelector("input[type=text]");
    var hidden = box.querySelector("input[type=hidden]");
    var list = box.querySelector(".autocomplete-list");
    var items = [];
    var active = -1;
    var timer = null;
    var sequence = 0;
    // How many suggestions came, said to screen readers without moving the focus (WCAG 4.1.3).
    var status = document.createElement("span");
    status.className = "sr-only";
    status.setAttribute("role", "status");
    box.appendChild(status);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight() {
      Array.prototype.forEach.call(list.children, function (item, index) {
        item.classList.toggle("active", index === active);
        item.setAttribute("aria-selected", index === active ? "true" : "false");
      });
      if (active >= 0 && list.children[active]) {
        input.setAttribute("aria-activedescendant", list.children[active].id);
        list.children[active].scrollIntoView({block: "nearest"});
      }
    }

    function choose(index) {
      var result = items[index];
      if (!result) { return; }
      if (box.dataset.navigate === "true" && result.url) {
        window.location.assign(result.url);
        return;
      }
      if (hidden) { hidden.value = result.id; }
      input.value = result.label;
      close();
      box.dispatchEvent(new CustomEvent("autocomplete:select", {detail: result, bubbles: true}));
    }

    function render(results) {
      items = results;
      active = results.length ? 0 : -1;
      list.replaceChildren();
      results.forEach(function (result, index) {
        var item = document.createElement("li");
        item.className = "list-group-item list-group-item-action py-1";
        item.id = list.id + "-" + index;
        item.setAttribute("role", "option");
        item.textContent = result.label;  // text, never HTML
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(index); });
        list.appendChild(item);
      });
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "list-group-item text-muted py-1";
        none.textContent = "Inga träffar";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = !results.length ? "Inga träffar"
        : results.length === 1 ? "Ett förslag. Tryck Enter för att välja det."
        : results.length + " förslag. Använd pil upp och pil ned för att välja.";
      highlight();
    }

    function search() {
      var mine = ++sequence;
      var term = input.value.trim();
      fetch(box.dataset.source + encodeURIComponent(term), {headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) {
          // Only the answer to what is in the box now: Enter must never pick a stale suggestion.
          if (mine === sequence && term === input.value.trim() && document.activeElement === input) {
            render(data.results);
          }
        });
    }

    input.addEventListener("input", function () {
      if (hidden) { hidden.value = ""; }  // typed text no longer matches the chosen row
      close();
      items = [];
      active = -1;
      clearTimeout(timer);
      timer = setTimeout(search, 80);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { search(); return; }
        active = Math.min(active + 1, items.length - 1);
        highlight();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        active = Math.max(active - 1, 0);
        highlight();
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) { event.preventDefault(); choose(active); }
        else if (input.value.trim()) { event.preventDefault(); }  // suggestions still coming: do not submit
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("focus", function () { if (!input.value) { search(); } });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll(".autocomplete").forEach(setup);
})();
