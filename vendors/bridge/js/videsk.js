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
  let inCall = false; // answered and not yet ended: leave means hang up
  function make() {
    phone = new VideskPhone(cfg.token, cfg);
    names.forEach(function (n) {
      phone.on(n, function (d) {
        if (n === "answered") inCall = true;
        if (n === "ended" || n === "customer-leave") inCall = false;
        agentty.emit(n, d);
        if (n === "ended") { try { phone.destroy(); } catch (e) {} }
      });
    });
  }
  make();
  window.agenttyVendor = {
    call: function (method, args) {
      if (method === "reconnect") { try { phone.destroy(); } catch (e) {} make(); agentty.hello({ vendor: "videsk" }); return; }
      if (method === "leave" && inCall) method = "hangup";
      if (typeof phone[method] !== "function") throw new Error("videsk has no " + method);
      return phone[method].apply(phone, args);
    },
  };
  agentty.hello({ vendor: "videsk" });
})();
