/* index.html: the search box filters the lists and tables and dims the heatmap rows that do not match. */
(function () {
  "use strict";
  var search = document.getElementById("search"), count = document.getElementById("count");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase(), shown = 0;
    items.forEach(function (item) {
      var hit = !q || (item.getAttribute("data-filter") || "").toLowerCase().indexOf(q) >= 0;
      item.classList.toggle(item.namespaceURI === "http://www.w3.org/2000/svg" ? "dim" : "hidden", !hit);
      if (hit) { shown += 1; }
    });
    count.textContent = q ? shown + " shown" : "";
  });
})();
