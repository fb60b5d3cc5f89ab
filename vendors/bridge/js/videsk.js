// Videsk shim (seed 000): one VideskPhone instance only; phone.on(NAME, fn)
// for every documented event; destroy() after `ended`.
(function () {
  const names = ["token-error", "no-agents", "queued", "queue-updated", "customer-leave",
    "dismissed", "out-queue", "answered", "connected-call", "agent-disconnect",
    "customer-hangup", "ended", "transferred-segment", "transferred-agent",
    "connection-error", "network-issues", "http-block", "transport-disconnect",
    "beamport:create"];
  const cfg = JSON.parse(document.documentElement.dataset.config || "{}");
  let phone = null;
  function make() {
    phone = new VideskPhone(cfg.token, cfg);
    names.forEach(function (n) {
      phone.on(n, function (d) {
        agentty.emit(n, d);
        if (n === "ended") { try { phone.destroy(); } catch (e) {} }
      });
    });
  }
  make();
  window.agenttyVendor = {
    call: function (method, args) {
      if (method === "reconnect") { try { phone.destroy(); } catch (e) {} make(); return; }
      if (typeof phone[method] !== "function") throw new Error("videsk has no " + method);
      return phone[method].apply(phone, args);
    },
  };
  agentty.hello({ vendor: "videsk" });
})();
