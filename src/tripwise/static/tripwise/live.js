// Live updates on the plan page: listens on /ws/plans/<id>/ (tripwise.trips.live) and, when someone else
// changes the trip, says who did what and reloads the plan in place. The socket only listens; edits are the
// page's ordinary forms, which carry the revision they were made on so the server can tell the editor when
// their change landed on top of someone else's.
(function () {
  "use strict";

  var script = document.currentScript;
  var planId = script && script.dataset.plan;
  var revision = Number((script && script.dataset.revision) || 0);
  if (!planId || !("WebSocket" in window)) { return; }

  var CLOSE_NOT_FOUND = 4404;  // no such trip, or no longer ours to see: retrying cannot help
  var delay = 1000;
  var refreshing = null;
  var again = false;

  function article() { return document.querySelector("[data-testid=plan]"); }

  function banner(text) {
    var node = document.querySelector("[data-testid=live-banner]");
    var plan = article();
    if (!node) {
      if (!plan) { return; }
      node = document.createElement("p");
      node.className = "notice live-banner";
      node.setAttribute("role", "status");  // read out by screen readers without taking the focus
      node.setAttribute("data-testid", "live-banner");
      // Sticky, so that a reader further down the plan sees it too (above Leaflet's panes and controls).
      node.style.position = "sticky";
      node.style.top = "0";
      node.style.zIndex = "1100";
      // Outside the article, so that swapping the plan in does not take the banner away.
      plan.parentNode.insertBefore(node, plan);
    }
    node.textContent = text;
  }

  // Fetch the page again and put its plan in place of ours, where the reader was. One fetch at a time; a
  // change heard meanwhile fetches once more afterwards, so the last one always shows.
  function refresh() {
    if (refreshing) { again = true; return; }
    var x = window.scrollX, y = window.scrollY;
    refreshing = fetch(window.location.pathname + window.location.search, {
      credentials: "same-origin",
      headers: { "Accept": "text/html" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("the plan page answered " + response.status); }
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-testid=plan]");
      var current = article();
      if (!fresh || !current) { return; }
      var adopted = document.importNode(fresh, true);
      current.replaceWith(adopted);
      window.scrollTo(x, y);
      // plan.js and map.js draw the maps of swapped-in content on this event, as they do for htmx swaps.
      adopted.dispatchEvent(new CustomEvent("htmx:afterSwap", { bubbles: true, detail: { target: adopted } }));
    }).catch(function (error) {
      banner("The trip changed, but it could not be reloaded here: reload the page to see it.");
      if (window.console) { window.console.warn(error); }
    }).then(function () {
      refreshing = null;
      if (again) { again = false; refresh(); }
    });
  }

  function heard(message) {
    if (message.type === "hello") {
      // Listening: tests (and curious readers of the DOM) can wait for this instead of guessing.
      document.documentElement.dataset.live = "listening";
      // Changes made while we were not listening (before the socket opened, or while it was down).
      if (message.revision > revision) {
        revision = message.revision;
        banner("The trip changed while this page was open (revision " + revision + ").");
        refresh();
      }
    } else if (message.type === "event") {
      revision = Math.max(revision, message.revision);
      banner("Updated by " + message.actor + ": " + message.summary + " (revision " + message.revision + ")");
      refresh();
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/plans/" + planId + "/");
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (event) {
      try { heard(JSON.parse(event.data)); } catch (error) { if (window.console) { window.console.warn(error); } }
    };
    socket.onclose = function (event) {
      document.documentElement.dataset.live = "closed";
      if (event.code === CLOSE_NOT_FOUND) {
        banner("This trip is no longer shared with you.");
        return;
      }
      // The server restarted or the network dropped: try again, less and less often (at most every 30 s),
      // with some jitter so that a restarted server is not met by every page at the same instant.
      window.setTimeout(connect, delay + Math.random() * delay / 2);
      delay = Math.min(delay * 2, 30000);
    };
  }

  connect();
})();
