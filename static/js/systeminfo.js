/* Administrera systeminformation: environments added and removed in place, and the HSA-ID
   checked while typing. */
(function () {
  "use strict";

  document.querySelectorAll("[data-environments]").forEach(function (box) {
    var select = box.querySelector("select");
    var list = box.querySelector("ul");

    function removeRow(event) { event.target.closest("li").remove(); }

    list.querySelectorAll("[data-remove]").forEach(function (button) { button.addEventListener("click", removeRow); });
    box.querySelector("[data-add]").addEventListener("click", function () {
      var id = select.value;
      if (!id || list.querySelector('input[value="' + id + '"]')) { return; }
      var row = document.createElement("li");
      row.className = "list-group-item d-flex justify-content-between align-items-center py-1";
      var name = document.createElement("span");
      name.textContent = select.selectedOptions[0].textContent;
      var value = document.createElement("input");
      value.type = "hidden";
      value.name = "environment_ids";
      value.value = id;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-sm btn-outline-danger";
      remove.textContent = "Ta bort";
      remove.addEventListener("click", removeRow);
      row.append(name, value, remove);
      list.appendChild(row);
      select.value = "";
    });
  });

  var hsaId = document.getElementById("hsa_id");
  var output = document.getElementById("hsa_id-check");
  if (!hsaId || !output) { return; }
  var timer = null;
  function check() {
    var value = hsaId.value.trim();
    output.replaceChildren();
    if (!value) { return; }
    var url = hsaId.dataset.check + "?value=" + encodeURIComponent(value) +
      (hsaId.dataset.instance ? "&instance=" + hsaId.dataset.instance : "");
    fetch(url, {headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        output.replaceChildren();
        if (data.taken) {
          output.append(data.message + " ");
          var link = document.createElement("a");
          link.href = data.url;
          link.textContent = data.label;
          output.append(link);
        } else if (data.problem) {
          output.append(data.problem);
        } else if (data.hints && data.hints.length) {
          var hint = document.createElement("span");
          hint.className = "text-dark";
          hint.textContent = data.hints.join(" ");
          output.append(hint);
        }
      });
  }
  hsaId.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  // Typed before this script ran (a fast typist, a slow connection): check what is there now.
  if (hsaId.value.trim() && !hsaId.readOnly && hsaId.value !== hsaId.defaultValue) { check(); }
})();
