/* The consumer matrix: addressees (rows) × contracts (columns). Only the rows in view are in the
   DOM, so a domain with thousands of addressees stays quick; only the orderer's changes are sent. */
(function () {
  "use strict";
  var form = document.getElementById("matrix-form");
  if (!form) { return; }
  var ROW_HEIGHT = 32;
  var area = document.getElementById("matrix-area");
  var scroller = document.getElementById("matrix-scroll");
  var head = document.querySelector("#matrix thead");
  var body = document.querySelector("#matrix tbody");
  var filterInput = document.getElementById("address_filter");
  var domainChoice = document.getElementById("domain_choice");
  var columns = [], rows = [], shown = [];
  var pending = new Map();  // "contractId|hsa-id" -> checked wanted, where it differs from the catalog
  var existing = new Map(); // same key -> already authorised (for cells seen in any domain)
  var saveTimer = null;

  function key(contractId, hsaId) { return contractId + "|" + hsaId.toLowerCase(); }

  function changes() {
    var list = [];
    pending.forEach(function (checked, cellKey) {
      var parts = cellKey.split("|");
      list.push([Number(parts[0]), parts[1], checked, existing.get(cellKey) === true]);
    });
    return list;
  }

  function describe() {
    var adds = 0, removals = 0;
    pending.forEach(function (checked) { if (checked) { adds++; } else { removals++; } });
    document.getElementById("matrix-pending").textContent =
      adds || removals ? "I beställningen: " + adds + " nya behörigheter, " + removals + " för borttagande." : "";
    document.getElementById("removal-note").hidden = removals === 0;
  }

  function save() {
    document.getElementById("matrix-changes").value = JSON.stringify(changes());
    clearTimeout(saveTimer);
    saveTimer = setTimeout(function () {
      var data = new FormData(form);
      data.set("go", "autosave");
      fetch(window.location.pathname, {method: "POST", body: data});
    }, 400);
  }

  function wanted(column, row, index) {
    var cellKey = key(column.id, row[0]);
    return pending.has(cellKey) ? pending.get(cellKey) : Boolean(row[3] & (1 << index));
  }

  function setCell(column, row, index, checked) {
    var cellKey = key(column.id, row[0]);
    var had = Boolean(row[3] & (1 << index));
    existing.set(cellKey, had);
    if (checked === had) { pending.delete(cellKey); } else { pending.set(cellKey, checked); }
  }

  function renderHead() {
    var tr = document.createElement("tr");
    var first = document.createElement("th");
    first.scope = "col";
    first.textContent = "Logisk adressat";
    tr.appendChild(first);
    columns.forEach(function (column, index) {
      var th = document.createElement("th");
      th.className = "text-center small";
      th.scope = "col";
      th.dataset.column = column.id;
      var label = document.createElement("div");
      label.textContent = column.label;
      var all = document.createElement("button");
      all.type = "button";
      all.className = "btn btn-link btn-sm p-0";
      all.textContent = "Välj alla";
      all.setAttribute("aria-label", "Välj alla visade adressater för " + column.label);
      all.addEventListener("click", function () {
        shown.forEach(function (row) { if (row[2] & (1 << index)) { setCell(column, row, index, true); } });
        renderRows(); describe(); save();
      });
      th.append(label, all);
      tr.appendChild(th);
    });
    head.replaceChildren(tr);
  }

  function spacer(height) {
    var tr = document.createElement("tr");
    tr.style.height = height + "px";
    var td = document.createElement("td");
    td.colSpan = columns.length + 1;
    td.className = "p-0 border-0";
    tr.appendChild(td);
    return tr;
  }

  function renderRows() {
    // Rows are drawn as they scroll into view; a keyboard user's focused cell is drawn again and
    // keeps the focus, so tabbing through the matrix never drops it.
    var focused = document.activeElement && body.contains(document.activeElement) ? document.activeElement.dataset.cell : null;
    var first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - 10);
    var last = Math.min(shown.length, first + Math.ceil(scroller.clientHeight / ROW_HEIGHT) + 30);
    var fragment = document.createDocumentFragment();
    fragment.appendChild(spacer(first * ROW_HEIGHT));
    for (var r = first; r < last; r++) {
      const row = shown[r];  // const: each cell's handler keeps its own row
      var tr = document.createElement("tr");
      tr.style.height = ROW_HEIGHT + "px";
      tr.dataset.hsa = row[0];
      var name = document.createElement("th");
      name.scope = "row";
      name.className = "text-nowrap small font-weight-normal";
      name.textContent = (row[1] ? row[1] + " " : "") + row[0];
      tr.appendChild(name);
      columns.forEach(function (column, index) {
        var td = document.createElement("td");
        td.className = "text-center p-1";
        var box = document.createElement("input");
        box.type = "checkbox";
        var enabled = Boolean(row[2] & (1 << index));
        box.dataset.cell = column.id + "|" + row[0];
        box.setAttribute("aria-label", column.label + " – " + (row[1] ? row[1] + " " : "") + row[0]
          + (enabled ? "" : " – ingen tjänsteproducent svarar, kan inte väljas"));
        box.disabled = !enabled;
        if (!enabled) { td.title = "Ingen tjänsteproducent svarar för " + column.label + " för denna adressat."; }
        box.checked = enabled && wanted(column, row, index);
        var had = Boolean(row[3] & (1 << index));
        if (had && !box.checked) { td.classList.add("table-danger", "for-removal"); }
        box.addEventListener("change", function () {
          setCell(column, row, index, box.checked);
          td.classList.toggle("table-danger", had && !box.checked);
          td.classList.toggle("for-removal", had && !box.checked);
          describe(); save();
        });
        td.appendChild(box);
        tr.appendChild(td);
      });
      fragment.appendChild(tr);
    }
    fragment.appendChild(spacer((shown.length - last) * ROW_HEIGHT));
    body.replaceChildren(fragment);
    if (focused) {
      var again = body.querySelector('[data-cell="' + CSS.escape(focused) + '"]');
      if (again) { again.focus({preventScroll: true}); }
    }
  }

  function applyFilter() {
    var term = filterInput.value.trim().toLowerCase();
    shown = term ? rows.filter(function (row) {
      return row[0].toLowerCase().indexOf(term) >= 0 || row[1].toLowerCase().indexOf(term) >= 0;
    }) : rows;
    document.getElementById("matrix-count").textContent = shown.length + " av " + rows.length + " adressater";
    scroller.scrollTop = 0;
    renderRows();
  }

  function load(domainId, highlight) {
    if (!domainId) { area.hidden = true; return; }
    fetch(form.dataset.matrix.replace(/\/0$/, "/" + domainId), {headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        columns = data.columns;
        rows = data.rows;
        data.pending.forEach(function (cell) {
          var cellKey = key(cell[0], cell[1]);
          if (!pending.has(cellKey)) { pending.set(cellKey, cell[2]); existing.set(cellKey, !cell[2]); }
        });
        area.hidden = false;
        renderHead();
        applyFilter();
        describe();
        if (highlight) {
          var th = head.querySelector('[data-column="' + highlight + '"]');
          if (th) { th.classList.add("table-info"); }
        }
      });
  }

  var filterTimer = null;
  filterInput.addEventListener("input", function () { clearTimeout(filterTimer); filterTimer = setTimeout(applyFilter, 80); });
  scroller.addEventListener("scroll", function () { window.requestAnimationFrame(renderRows); });
  domainChoice.addEventListener("change", function () { load(domainChoice.value); });
  document.getElementById("matrix-contract-picker").addEventListener("autocomplete:select", function (event) {
    domainChoice.value = String(event.detail.domain_id);
    load(event.detail.domain_id, event.detail.id);
    document.getElementById("contract_search").value = "";
  });
  form.addEventListener("submit", function () {
    document.getElementById("matrix-changes").value = JSON.stringify(changes());
  });
  if (domainChoice.value) { load(domainChoice.value); }  // chosen before this script ran
})();
