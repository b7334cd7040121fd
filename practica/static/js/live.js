/* Live pages: one EventSource per page (GET /events/stream), regions that re-fetch themselves.
 *
 * A region is any element with an id and data-live="event.name other.name"; optional
 * data-live-match='{"post_id": 12}' (every key must equal the event's data) and data-live-url
 * (default: this page). On a matching event the page fetches that URL and swaps in the element
 * with the same id: the server renders the region exactly as on a full page load, so a region
 * never shows an item twice. Several events within 150 ms cause one fetch.
 *
 * data-presence-topic="qa.post:12" on an element makes this page count as viewing that topic;
 * [data-presence-count="qa.post:12"] elements show the number live.
 *
 * The stream reconnects with backoff (1 s doubling to 30 s) and resumes after the last event id
 * it saw, so nothing is missed; "realtime.reload" (resume window passed) re-fetches every
 * region. Without JavaScript the pages are the same, just not live. See docs/howto/live-page.md.
 */
(function () {
  "use strict";
  var body = document.body;
  var streamUrl = body && body.getAttribute("data-stream");
  if (!streamUrl || !window.EventSource) return;
  // `practica serve` runs the stream in its own process on another port of the same host
  // (pages stay on the cheaper WSGI path): open it there, with the session cookie.
  var streamPort = body.getAttribute("data-stream-port");
  var crossPort = Boolean(streamPort) && streamPort !== window.location.port;
  if (crossPort) streamUrl = window.location.protocol + "//" + window.location.hostname + ":" + streamPort + streamUrl;

  var source = null;
  var lastId = null;
  var backoff = 1000;
  var timers = {};
  var state = (window.practicaLive = { connected: false, events: 0, lastId: null });

  function regions() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-live][id]"));
  }

  function eventNames() {
    var names = { "realtime.presence": true, "realtime.ready": true, "realtime.reload": true };
    regions().forEach(function (el) {
      el.getAttribute("data-live").split(/\s+/).forEach(function (n) { if (n) names[n] = true; });
    });
    return Object.keys(names);
  }

  function matches(el, name, data) {
    if (el.getAttribute("data-live").split(/\s+/).indexOf(name) < 0) return false;
    var raw = el.getAttribute("data-live-match");
    if (!raw) return true;
    var want = JSON.parse(raw);
    return Object.keys(want).every(function (k) { return data[k] === want[k]; });
  }

  function busy(el) {
    var active = document.activeElement;
    return active && el.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.value;
  }

  function refresh(el) {
    var id = el.id;
    clearTimeout(timers[id]);
    timers[id] = setTimeout(function () {
      var current = document.getElementById(id);
      if (!current) return;
      if (busy(current)) { timers[id] = setTimeout(function () { refresh(current); }, 2000); return; }
      var url = current.getAttribute("data-live-url") || window.location.href;
      fetch(url, { credentials: "same-origin", headers: { "X-Live-Region": id } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById(id);
          var now = document.getElementById(id);
          if (!fresh || !now) return;
          now.replaceWith(fresh);
          if (window.htmx) window.htmx.process(fresh);
          fresh.dispatchEvent(new CustomEvent("live:updated", { bubbles: true }));
        })
        .catch(function () { /* the next event or reconnect tries again */ });
    }, 150);
  }

  function onEvent(e) {
    if (e.lastEventId) { lastId = e.lastEventId; state.lastId = lastId; }
    var data = {};
    try { data = JSON.parse(e.data || "{}"); } catch (err) { return; }
    state.events += 1;
    if (e.type === "realtime.ready") { backoff = 1000; state.connected = true; return; }
    if (e.type === "realtime.reload") { lastId = null; regions().forEach(refresh); reconnect(0); return; }
    if (e.type === "realtime.presence") {
      document.querySelectorAll("[data-presence-count]").forEach(function (el) {
        if (el.getAttribute("data-presence-count") !== data.topic) return;
        el.textContent = String(data.count);
        var label = el.parentNode && el.parentNode.querySelector(".presence-label");
        if (label) label.textContent = (data.count === 1 ? "person" : "people") + " viewing";
      });
    }
    regions().forEach(function (el) { if (matches(el, e.type, data)) refresh(el); });
  }

  function connect() {
    var params = [];
    var topic = document.querySelector("[data-presence-topic]");
    if (topic) params.push("presence=" + encodeURIComponent(topic.getAttribute("data-presence-topic")));
    if (lastId) params.push("last_event_id=" + encodeURIComponent(lastId));
    source = new EventSource(streamUrl + (params.length ? "?" + params.join("&") : ""), { withCredentials: crossPort });
    eventNames().forEach(function (name) { source.addEventListener(name, onEvent); });
    source.onerror = function () { state.connected = false; reconnect(backoff); backoff = Math.min(backoff * 2, 30000); };
  }

  function reconnect(delay) {
    if (source) { source.close(); source = null; }
    setTimeout(connect, delay);
  }

  connect();
})();
