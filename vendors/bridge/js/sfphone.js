// sfphone shim (seed 002): the softphone is the iframe named "sf"; its
// phone:* messages reach this page through window 'message' events; commands
// are the seed's postMessage({type, data}, '*') into window.frames.sf.
(function () {
  window.addEventListener("message", function (e) {
    const m = e.data;
    if (!m || typeof m.type !== "string") return;
    if (m.type.indexOf("phone:") === 0 || m.type === "vcf") agentty.emit(m.type, m.data);
  });
  window.agenttyVendor = {
    call: function (method, args) {
      const data = args[0];
      window.frames.sf.postMessage({ type: method, data: data }, "*");
      if (method === "contacts") agentty.emit("contacts", data); // volatile contacts for agentty's book too
    },
  };
  const f = document.querySelector("iframe[name=sf]");
  f.addEventListener("load", function () { agentty.hello({ vendor: "sfphone" }); });
  f.src = f.dataset.src; // after the load listener: no race with a fast iframe
})();
