/* Administrera tjänsteproducent: lists the orderer builds in a step (contracts, addressees,
   consumers), kept as hidden inputs that the step's form saves to the draft. */
(function () {
  "use strict";

  function hidden(name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  }

  function removeButton() {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-danger";
    button.title = "Ta bort";
    button.textContent = "×";
    button.setAttribute("data-remove-row", "");
    return button;
  }

  // Every change to a list is saved to the draft at once, so a reload loses nothing.
  var stepForm = document.querySelector("#step-form[data-autosave]");
  function autosave() {
    var data = new FormData(stepForm);
    data.set("go", "autosave");
    data.delete("action");
    fetch(window.location.pathname, {method: "POST", body: data, headers: {Accept: "application/json"}});
  }
  if (stepForm) {
    ["#chosen-contracts tbody", "#chosen-addresses", "#removal-addresses", "#chosen-consumers"].forEach(function (selector) {
      var list = document.querySelector(selector);
      if (list) { new MutationObserver(autosave).observe(list, {childList: true}); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (button) { button.closest("tr, li").remove(); }
  });

  // Contracts: chosen by search or from a domain's list, gathered in "Tjänstekontrakt för beställning".
  var chosenContracts = document.querySelector("#chosen-contracts tbody");
  function addContract(contract) {
    if (!chosenContracts || chosenContracts.querySelector('tr[data-id="' + contract.id + '"]')) { return; }
    var row = document.createElement("tr");
    row.dataset.id = contract.id;
    var name = document.createElement("td");
    name.textContent = contract.name + " (" + contract.domain + ")";
    var version = document.createElement("td");
    version.textContent = contract.major;
    var actions = document.createElement("td");
    actions.className = "text-right";
    actions.append(hidden("contract_ids", contract.id), removeButton());
    row.append(name, version, actions);
    chosenContracts.appendChild(row);
  }
  var contractPicker = document.getElementById("contract-picker");
  if (contractPicker) {
    contractPicker.addEventListener("autocomplete:select", function (event) {
      addContract(event.detail);
      var input = document.getElementById("contract_search");
      input.value = "";
      input.focus();
    });
  }
  var domainChoice = document.getElementById("domain_choice");
  // The consumer matrix has a domain list of its own and no contract table: not this one.
  if (domainChoice && document.getElementById("domain-contracts")) {
    domainChoice.addEventListener("change", function () {
      var table = document.getElementById("domain-contracts");
      var body = table.querySelector("tbody");
      body.replaceChildren();
      if (!domainChoice.value) { table.hidden = true; return; }
      var url = domainChoice.dataset.source.replace(/\/0$/, "/" + domainChoice.value);
      fetch(url, {headers: {Accept: "application/json"}}).then(function (r) { return r.json(); }).then(function (data) {
        data.results.forEach(function (contract) {
          var row = document.createElement("tr");
          var name = document.createElement("td");
          name.textContent = contract.name + " ";
          var status = document.createElement("span");
          // Ansluten, Installerat (not yet connected) and Ej installerat must not look alike.
          status.className = "badge contract-" + contract.status;
          status.textContent = contract.status_text;
          name.appendChild(status);
          var version = document.createElement("td");
          version.textContent = contract.major;
          var action = document.createElement("td");
          if (contract.status !== "not_installed") {
            var add = document.createElement("button");
            add.type = "button";
            add.className = "btn btn-sm btn-outline-primary";
            add.textContent = "Välj";
            add.addEventListener("click", function () { addContract(contract); });
            action.appendChild(add);
          }
          row.append(name, version, action);
          body.appendChild(row);
        });
        table.hidden = false;
      });
    });
  }

  // The manual's warning as soon as an addressee is picked: already connected for some contract.
  function warnIfConnected(list, item, hsaId) {
    if (!list.dataset.connectedCheck) { return; }
    fetch(list.dataset.connectedCheck + "?hsa=" + encodeURIComponent(hsaId), {headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.contracts.length || item.querySelector(".already-connected")) { return; }
        var note = document.createElement("div");
        note.className = "small text-danger already-connected";
        note.setAttribute("role", "status");
        note.textContent = "OBS! Logisk adressat är redan ansluten till producenten för " + data.contracts.join(", ") +
          ". Lägger du till den kommer den ej beställas för detta eller dessa kontrakt.";
        item.appendChild(note);
      });
  }

  // Addressees to add: found by search, warned at once when already connected.
  var addressPicker = document.getElementById("address-picker");
  if (addressPicker) {
    addressPicker.addEventListener("autocomplete:select", function (event) {
      var list = document.getElementById("chosen-addresses");
      var address = event.detail;
      var empty = list.querySelector("[data-empty]");
      if (empty) { empty.remove(); }
      if (!list.querySelector('li[data-hsa="' + CSS.escape(address.hsa_id) + '"]')) {
        var item = document.createElement("li");
        item.className = "list-group-item py-1";
        item.dataset.hsa = address.hsa_id;
        var line = document.createElement("div");
        line.className = "d-flex justify-content-between align-items-center";
        var text = document.createElement("span");
        text.textContent = (address.name ? address.name + " - " : "") + address.hsa_id;
        var actions = document.createElement("span");
        actions.append(hidden("add_hsa_id", address.hsa_id), hidden("add_name", address.name || ""),
                       hidden("add_new", "0"), removeButton());
        line.append(text, actions);
        item.appendChild(line);
        list.appendChild(item);
        warnIfConnected(list, item, address.hsa_id);
      }
      var input = document.getElementById("address_search");
      input.value = "";
      input.focus();
    });
  }

  // Add or remove mode; synced at start too, in case a radio was clicked before this script ran.
  function showMode() {
    var chosen = document.querySelector("[data-mode-switch]:checked");
    if (!chosen) { return; }
    document.getElementById("add-panel").hidden = chosen.value !== "add";
    document.getElementById("remove-panel").hidden = chosen.value !== "remove";
    // The connected addressees are only looked up in remove mode: fetch the page in that mode,
    // posting the form so nothing typed is lost.
    if (chosen.value === "remove" && document.querySelector("[data-lazy-removal]")) {
      var action = document.createElement("input");
      action.type = "hidden";
      action.name = "action";
      action.value = "switch_mode";
      chosen.form.appendChild(action);
      chosen.form.submit();
    }
  }
  document.querySelectorAll("[data-mode-switch]").forEach(function (radio) {
    radio.addEventListener("change", showMode);
  });
  showMode();

  // Removal: click an addressee to move it between the two lists.
  function toggleRemoval(item) {
    var removal = document.getElementById("removal-addresses");
    var connected = document.getElementById("connected-addresses");
    if (item.parentElement === removal) {
      item.querySelectorAll("input").forEach(function (input) { input.remove(); });
      item.classList.remove("list-group-item-danger");
      connected.appendChild(item);
    } else {
      item.append(hidden("remove_hsa_id", item.dataset.hsa), hidden("remove_name", item.dataset.name || ""));
      item.classList.add("list-group-item-danger");
      removal.appendChild(item);
    }
  }
  document.querySelectorAll("[data-move]").forEach(function (item) {
    item.addEventListener("click", function () { toggleRemoval(item); });
    item.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggleRemoval(item); }
    });
  });

  // Consumers.
  function showConsumers() {
    var chosen = document.querySelector("[data-consumer-switch]:checked");
    if (chosen) { document.getElementById("consumer-panel").hidden = chosen.value !== "together"; }
  }
  document.querySelectorAll("[data-consumer-switch]").forEach(function (radio) {
    radio.addEventListener("change", showConsumers);
  });
  showConsumers();
  var consumerPicker = document.getElementById("consumer-picker");
  if (consumerPicker) {
    consumerPicker.addEventListener("autocomplete:select", function (event) {
      var list = document.getElementById("chosen-consumers");
      var consumer = event.detail;
      if (!list.querySelector('li[data-id="' + consumer.id + '"]')) {
        var item = document.createElement("li");
        item.className = "list-group-item py-1 d-flex justify-content-between align-items-center";
        item.dataset.id = consumer.id;
        var text = document.createElement("span");
        text.textContent = consumer.label;
        var actions = document.createElement("span");
        actions.append(hidden("consumer_ids", consumer.id), removeButton());
        item.append(text, actions);
        list.appendChild(item);
      }
      document.getElementById("consumer_search").value = "";
    });
  }

  // Step 1: the producer search knows the chosen environment; a producer outside it gets the hint.
  var environment = document.getElementById("environment_id");
  var producerBox = document.querySelector("[data-environment-select]");
  if (environment && producerBox) {
    var base = producerBox.dataset.source;
    function point() { producerBox.dataset.source = base + encodeURIComponent(environment.value) + "&q="; }
    point();
    environment.addEventListener("change", point);
    producerBox.addEventListener("autocomplete:select", function (event) {
      document.getElementById("producer-hint").hidden = event.detail.connected !== false;
    });
  }

  // Beställ: one click sends once.
  document.querySelectorAll("form [data-once]").forEach(function (button) {
    button.form.addEventListener("submit", function () { button.disabled = true; });
  });
})();
