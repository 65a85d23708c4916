// The start page's figures per environment are counted in a request of their own (a national
// catalog takes a few hundred milliseconds), so the page itself is shown at once.
(function () {
  "use strict";
  var section = document.getElementById("environment-figures");
  var status = document.getElementById("figures-status");
  if (!section || !window.fetch) { return; }
  status.textContent = "Hämtar siffror per miljö …";
  fetch(section.dataset.url, {credentials: "same-origin"})
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    })
    .then(function (html) {
      var figures = new DOMParser().parseFromString(html, "text/html").getElementById("environment-figures");
      if (!figures) { throw new Error("no figures"); }
      section.replaceChildren.apply(section, Array.from(figures.childNodes));
    })
    .catch(function () {
      status.innerHTML = "";
      status.append("Siffrorna kunde inte hämtas. ");
      var link = document.createElement("a");
      link.href = section.dataset.url;
      link.textContent = "Försök igen";
      status.append(link);
    });
}());
