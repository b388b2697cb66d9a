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
    var markers = JSON.parse(element.querySelector('script[type="application/json"]').textContent);
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
    // Stops first, places last: a place drawn on top of its nearby stop stays the one you can point at.
    markers.sort(function (a, b) { return (a.kind === "stop" ? 0 : 1) - (b.kind === "stop" ? 0 : 1); });
    markers.forEach(function (m) {
      var isStop = m.kind === "stop";
      var marker = L.circleMarker([m.lat, m.lon], {
        radius: isStop ? 6 : 8, color: isStop ? "#1f5f99" : "#8a2d1c", weight: 2, fillOpacity: 0.8
      });
      if (m.url) {
        var link = document.createElement("a");
        link.href = m.url;
        link.textContent = m.name;
        marker.bindPopup(link);
      }
      marker.bindTooltip(m.name);
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
