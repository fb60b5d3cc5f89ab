// Voximplant shim (seed 001): the real Web SDK's Client, listened to with
// client.on(VoxImplant.Events.NAME, fn) for every event the seed lists.
// Payloads are reduced to plain fields (no MediaStream, Call or tokens).
(function () {
  const cfg = JSON.parse(document.documentElement.dataset.config || "{}");
  const V = window.VoxImplant;
  const client = V.getInstance();
  const calls = {};
  const hungUp = {}; // call ids agentty hung up: their Disconnected is by the agent
  const names = ["ACDError", "ACDStatusUpdated", "AuthResult", "ConnectionClosed",
    "ConnectionEstablished", "ConnectionFailed", "IncomingCall", "MicAccessResult",
    "PlaybackError", "PlaybackFinished", "Reconnected", "Reconnecting",
    "RefreshTokenResult", "SDKReady"];
  const snake = (k) => k.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  function statusName(v) {
    for (const k in V.OperatorACDStatuses) if (V.OperatorACDStatuses[k] === v) return snake(k);
    return String(v);
  }
  function statusValue(name) {
    for (const k in V.OperatorACDStatuses) if (snake(k) === name) return V.OperatorACDStatuses[k];
    throw new Error("unknown ACD status " + name);
  }
  function plain(e) {
    const o = {};
    for (const k in e || {}) {
      const v = e[k];
      if (v === null || ["string", "number", "boolean"].indexOf(typeof v) >= 0) o[k] = v;
    }
    ["message", "reason", "code", "result", "displayName", "version"].forEach(function (k) {
      const v = e && e[k];
      if (o[k] === undefined && v !== undefined && v !== null) o[k] = typeof v === "object" ? JSON.stringify(v) : v;
    });
    return o;
  }
  function watch(call) {
    const id = call.id();
    calls[id] = call;
    const ce = V.CallEvents;
    call.on(ce.Connected, () => agentty.emit("Call.Connected", { id: id }));
    call.on(ce.Disconnected, () => {
      delete calls[id];
      const by = hungUp[id] ? "agent" : "";
      delete hungUp[id];
      agentty.emit("Call.Disconnected", { id: id, by: by });
    });
    call.on(ce.ActiveUpdated, (e) => agentty.emit("Call.ActiveUpdated", { id: id, active: !!e.new }));
    call.on(ce.Failed, (e) => { delete calls[id]; agentty.emit("Call.Failed", { id: id, code: e.code, reason: e.reason }); });
  }
  names.forEach(function (n) {
    if (!V.Events[n]) return;
    client.on(V.Events[n], function (e) {
      let d = plain(e);
      if (n === "ACDStatusUpdated") d.status = statusName(e.status);
      if (n === "IncomingCall") {
        watch(e.call);
        d = { call: { id: e.call.id(), number: e.call.number(), displayName: e.call.displayName() } };
      }
      agentty.emit(n, d);
    });
  });
  window.agenttyVendor = {
    call: function (method, args) {
      if (method === "setOperatorACDStatus") return client.setOperatorACDStatus(statusValue(args[0]));
      if (method === "call") { const c = client.call(args[0]); watch(c); return; }
      if (method.indexOf("call.") === 0) {
        const c = calls[args[0]];
        if (!c) throw new Error("no call " + args[0]);
        if (method === "call.hangup" || method === "call.reject") hungUp[args[0]] = true;
        return c[method.slice(5)].apply(c, args.slice(1));
      }
      throw new Error("voximplant has no " + method);
    },
  };
  agentty.hello({ vendor: "voximplant" });
  (async function () {
    const init = { node: cfg.node || "NODE_1", micRequired: false, showDebugInfo: false, progressTone: false };
    if (cfg.server_ip) init.serverIp = cfg.server_ip;
    try {
      await client.init(init);
      const ok = await client.connect();
      if (ok !== false && cfg.user) client.login(cfg.user + "@" + cfg.application + "." + cfg.account + ".voximplant.com", cfg.password);
    } catch (e) {
      agentty.emit("ConnectionFailed", { message: String((e && e.message) || e || "connect failed") });
    }
  })();
})();
