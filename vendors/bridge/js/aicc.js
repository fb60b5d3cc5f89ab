// AICC shim (seed 003): register with the connection bar iframe
// "ccbarclient" through the eventpost message, then relay what it posts.
(function () {
  const names = ["AgentState_Busy", "AgentState_Work", "AgentState_Ready",
    "AgentState_SetNotReady_Success", "AgentState_CancelNotReady_Success",
    "AgentState_SetRest_Success", "AgentState_CancelRest_Success", "AgentState_Rest_Timeout",
    "AgentState_SetWork_Success", "AgentState_CancelWork_Success",
    "AgentEvent_Talking", "AgentEvent_Customer_Alerting", "AgentEvent_Call_Out_Fail",
    "AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneAlerting"];
  const cfg = JSON.parse(document.documentElement.dataset.config || "{}");
  const ctxPath = cfg.context_path || location.origin;
  window.addEventListener("message", function (e) {
    let o = e.data;
    if (typeof o === "string") { try { o = JSON.parse(o); } catch (x) { return; } }
    if (!o) return;
    const n = o.type || o.event || o.eventId;
    if (typeof n !== "string") return;
    agentty.emit(n, o.data !== undefined ? o.data : (o.content !== undefined ? o.content : o));
  });
  window.agenttyVendor = {
    call: function (method, args) { window.frames["ccbarclient"].postMessage(JSON.stringify({ name: method, param: args }), ctxPath); },
  };
  const f = document.querySelector("iframe[name=ccbarclient]");
  f.addEventListener("load", function () {
    window.frames["ccbarclient"].postMessage(JSON.stringify({ name: "eventpost", param: names }), ctxPath);
    agentty.hello({ vendor: "aicc" });
  });
  f.src = f.dataset.src; // after the load listener: no race with a fast iframe
})();
