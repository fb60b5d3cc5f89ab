// A stand-in for npm phone-sdk 0.2.6 (seed 004, no longer published): its
// Agent API's methods answer with the documented events.
class PhoneAgent {
  constructor() { this.h = {}; }
  on(n, fn) { (this.h[n] = this.h[n] || []).push(fn); }
  fire(n, d) { setTimeout(() => (this.h[n] || []).forEach((f) => f(d)), 0); }
  connect() { this.fire("onConnect", { result: true }); this.fire("onGetAgentRights", ["listen", "joinTalk", "disconnectCall"]); }
  checkIn(groups) { this.fire("onCheckIn", { result: true, message: "" }); }
  checkOut() { this.fire("onCheckOut", { result: true }); }
  restore(agentId) { this.fire("onRestore", { result: true, message: "" }); }
  pause(agentId) { this.fire("onPause", { result: true, message: "" }); }
  ring() { this.fire("onCallInRing", { phoneNumber: "13800000000", area: "010", agentId: "8001" }); }
  pickUp() { this.fire("onInCall"); this.fire("onCallIn"); }
  hold() { this.fire("onHold", { result: true, message: "" }); }
  retrieve() { this.fire("onRetrieve"); }
  dialTrans(target) { this.fire("onIdle"); }
  hangup() { this.fire("onIdle"); }
  listen(agentId) { window.listened = agentId; }
  joinTalk(agentId) {}
  disconnectCall(agentId) {}
  logoutAgent(agentId) {}
  dialout(n) { this.fire("onCallOutRing", { phoneNumber: n }); }
  transGroupDTMF(g) {}
  // Test hook (not phone-sdk's): the far end plays the microphone back, the
  // way a vendor's call plays its remote stream: getUserMedia, through the
  // page's own WebAudio graph into a new stream, set as an audio element's
  // srcObject.
  async loopAudio() {
    const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
    const ctx = new AudioContext({ sampleRate: 48000 });
    const dest = ctx.createMediaStreamDestination();
    ctx.createMediaStreamSource(mic).connect(dest);
    const el = new Audio();
    el.srcObject = dest.stream;
    el.play().catch(() => {});
    window.far = { ctx: ctx, mic: mic, el: el };
  }
}
