// Draws the plan map ([data-plan-map]): each day in its colour, numbered visits, and the ways between them
// (walks dashed, rides from stop to stop). The data is JSON in the page (trips/plan.html), so the plan shows
// even when the tile server cannot be reached. map.js draws the other maps ([data-map]); this one is apart
// because its markers are numbered and grouped by day.
(function () {
  "use strict";

  function settings() {
    var node = document.getElementById("map-settings");
    return node ? JSON.parse(node.textContent) : { tileUrl: "", attribution: "" };
  }

  function addTiles(map, element) {
    var config = settings();
    if (!config.tileUrl) { return; }
    var tiles = L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: config.attribution });
    tiles.once("tileerror", function () { element.classList.add("tiles-unavailable"); });
    tiles.addTo(map);
  }

  // Names go in as text, never as HTML: they come from imported data (OpenStreetMap, GTFS).
  function label(parts) {
    var node = document.createElement("span");
    parts.forEach(function (part) {
      if (part.href) {
        var link = document.createElement("a");
        link.href = part.href;
        link.textContent = part.text;
        node.appendChild(link);
      } else {
        node.appendChild(document.createTextNode(part.text));
      }
    });
    return node;
  }

  function numberIcon(number, colour) {
    var badge = document.createElement("span");
    badge.className = "plan-marker-number";
    badge.style.background = colour;
    badge.textContent = String(number);
    return L.divIcon({ className: "plan-marker", html: badge, iconSize: [26, 26], iconAnchor: [13, 13] });
  }

  function dayLayer(day) {
    var layer = L.featureGroup();
    day.lines.forEach(function (line) {
      L.polyline(line.points, {
        color: day.colour,
        weight: line.dashed ? 3 : 5,
        opacity: line.dashed ? 0.8 : 0.9,
        dashArray: line.dashed ? "4 8" : null
      }).addTo(layer);
    });
    day.visits.forEach(function (visit) {
      var marker = L.marker([visit.lat, visit.lon], {
        icon: numberIcon(visit.n, day.colour),
        title: "Day " + day.index + ", stop " + visit.n + ": " + visit.name,
        keyboard: true
      });
      var prefix = "Day " + day.index + " · " + visit.n + ". ";
      marker.bindTooltip(label([{ text: prefix + visit.name + " " + visit.time }]));
      marker.bindPopup(label([{ text: prefix }, { text: visit.name, href: visit.url || "" }, { text: " " + visit.time }]));
      marker.addTo(layer);
    });
    return layer;
  }

  function fit(map, layers) {
    var bounds = L.latLngBounds([]);
    layers.forEach(function (layer) {
      if (layer.getLayers().length) { bounds.extend(layer.getBounds()); }
    });
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [28, 28], maxZoom: 15 }); }
  }

  function draw(element) {
    if (element.dataset.drawn || typeof L === "undefined") { return; }
    element.dataset.drawn = "1";
    var data = JSON.parse(element.querySelector('script[type="application/json"]').textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    addTiles(map, element);

    var layers = {};
    var all = [];
    data.days.forEach(function (day) {
      layers[day.date] = dayLayer(day).addTo(map);
      all.push(layers[day.date]);
    });
    if (data.base) {
      var base = L.circleMarker(data.base, { radius: 7, color: "#1f2328", weight: 3, fillColor: "#fff", fillOpacity: 1 });
      base.bindTooltip("Base: each day starts and ends here");
      all.push(L.featureGroup([base]).addTo(map));
    }
    if (all.length) { fit(map, all); } else { map.setView([0, 0], 2); }

    // The day filter: one day at a time makes a trip with crossing routes readable.
    var filter = document.querySelector("[data-plan-day-filter]");
    if (!filter) { return; }
    filter.hidden = false;
    filter.querySelector("select").addEventListener("change", function (event) {
      var chosen = event.target.value;
      var shown = [];
      Object.keys(layers).forEach(function (date) {
        var visible = !chosen || chosen === date;
        if (visible) { map.addLayer(layers[date]); shown.push(layers[date]); }
        else { map.removeLayer(layers[date]); }
      });
      fit(map, shown);
    });
  }

  function drawAll() { document.querySelectorAll("[data-plan-map]").forEach(draw); }
  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSwap", drawAll);
})();
