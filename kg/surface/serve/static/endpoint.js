// The query page of `kg serve`: YASGUI pointed at this endpoint only (no CDN, prefix.cc or LOV look-ups).
// Without YASGUI (the bundled script failed to load) the plain fallback form is shown instead.
(function () {
  var query = document.getElementById("fallback-query").value;
  var endpoint = window.location.origin + "/query";
  document.getElementById("endpoint").textContent = endpoint;
  if (typeof Yasgui === "undefined") {
    document.getElementById("fallback").hidden = false;
    return;
  }
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: "unionkg-endpoint",
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    yasqe: { value: query, autocompleters: ["prefixes", "variables"],
             prefixCcApi: window.location.origin + "/prefixes.json" }
  });
})();
