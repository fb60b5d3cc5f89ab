// phone-sdk shim (seed 004): agent.on(NAME, fn) for every event, methods
// called by name; connect(userCode, password, url) at start.
(function () {
  const names = ["onConnect", "onCheckIn", "onCheckOut", "onCallInRing", "onCallOutRing",
    "onThreePartCallInRing", "onThreePartCallOutRing", "onCallout", "onInCall", "onCallIn",
    "onCallOut", "onIdle", "onDisconnect", "onDialOver", "onThreePart", "onPause", "onRestore",
    "onHold", "onRetrieve", "onGetOrgAgtgrps", "onGetAgtGroups", "onAllAgtInfo", "onGetAgentRights"];
  const cfg = JSON.parse(document.documentElement.dataset.config || "{}");
  const agent = new PhoneAgent(cfg.vendor_type);
  names.forEach(function (n) { agent.on(n, function (d) { agentty.emit(n, d); }); });
  window.agenttyVendor = {
    call: function (method, args) {
      if (typeof agent[method] !== "function") throw new Error("phone-sdk has no " + method);
      return agent[method].apply(agent, args);
    },
  };
  agentty.hello({ vendor: "phonesdk" });
  agent.connect(cfg.user, cfg.password, cfg.url);
})();
