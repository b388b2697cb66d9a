// Draws every [data-map] element with Leaflet. Markers come from JSON in the page, so they show even when
// the tile server cannot be reached (offline, blocked): the map then shows a notice instead of tiles.
(function () {
  "use strict";

  function settings() {
    var node = document.getElementById("map-settings");
    return node ? JSON.parse(node.textContent) : { tileUrl: "", attribution: "" };
  }

  function draw(element) {
    if (element.dataset.drawn || typeof L === "undefined") { return; }
    element.dataset.drawn = "1";
    var markers = JSON.parse(element.querySelector("script[data-markers]").textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    var config = settings();
    if (config.tileUrl) {
      var tiles = L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: config.attribution });
      var failures = 0;
      tiles.on("tileerror", function () {
        failures += 1;
        if (failures === 1) { element.classList.add("tiles-unavailable"); }
      });
      tiles.addTo(map);
    }
    var bounds = [];
    markers.forEach(function (m) {
      var marker = L.circleMarker([m.lat, m.lon], { radius: 8, color: "#8a2d1c", weight: 2, fillOpacity: 0.8 });
      var link = document.createElement("a");
      link.href = m.url;
      link.textContent = m.name;
      marker.bindPopup(link).bindTooltip(m.name);
      marker.addTo(map);
      bounds.push([m.lat, m.lon]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 13); }
    else if (bounds.length > 1) { map.fitBounds(bounds, { padding: [24, 24] }); }
    else { map.setView([0, 0], 2); }
  }

  function drawAll() { document.querySelectorAll("[data-map]").forEach(draw); }
  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSwap", drawAll);
})();
