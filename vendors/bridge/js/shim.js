// agentty bridge shim: relays vendor events to agentty over a loopback
// WebSocket and runs the commands agentty sends back. Every message carries
// the per-run secret; agentty checks it and the page's origin.
(function () {
  const secret = document.documentElement.dataset.secret;
  const ws = new WebSocket("ws://" + location.host + "/" + secret + "/ws");
  ws.binaryType = "arraybuffer";
  const queue = [];
  let open = false;
  function send(o) {
    o.secret = secret;
    const s = JSON.stringify(o);
    if (open) ws.send(s); else queue.push(s);
  }
  ws.onopen = function () { open = true; while (queue.length) ws.send(queue.shift()); };
  ws.onmessage = async function (m) {
    if (typeof m.data !== "string") { // a microphone frame (audio.js)
      if (window.agentty.onAudio) window.agentty.onAudio(m.data);
      return;
    }
    let c;
    try { c = JSON.parse(m.data); } catch (e) { return; }
    try {
      const fn = window.agenttyVendor && window.agenttyVendor.call;
      if (!fn) throw new Error("no vendor shim");
      await fn(c.method, c.args || []);
      send({ reply: c.id });
    } catch (e) {
      send({ reply: c.id, error: describe(e) });
    }
  };
  // describe turns a rejection into one line: an Error's message, an SDK
  // event object's name, code and reason, or its JSON.
  function describe(e) {
    if (e && e.message) return String(e.message);
    if (e && typeof e === "object") {
      const parts = [e.name, e.code, e.reason].filter(function (x) { return x !== undefined && x !== null && typeof x !== "object"; });
      if (parts.length) return parts.join(" ");
      try { return JSON.stringify(e); } catch (x) { return String(e); }
    }
    return String(e);
  }
  window.agentty = {
    // emit relays one vendor event, its payload untouched.
    emit: function (event, data) { send({ event: event, data: data === undefined ? null : data }); },
    hello: function (info) { send({ hello: info || {} }); },
    // sendBinary sends one audio frame (audio.js puts the secret in it);
    // frames before the socket opens are dropped, not queued.
    sendBinary: function (b) { if (open) ws.send(b); },
  };
})();
