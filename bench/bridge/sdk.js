// bench/bridge's stand-in for npm phone-sdk (seed 004): the phone-sdk shim
// listens to it as to the real Agent API. benchEmit fires onCallInRing n
// times, one every gap ms, each with the page's clock (ms since the epoch,
// to 0.1 ms or better) as phoneNumber, so agentty measures each event
// from its emission in the page to session.Event out of Events(). benchHeap
// collects garbage and reports the page's JS heap the same way
// ("heap:BYTES").
class PhoneAgent {
  constructor() { this.h = {}; }
  on(n, fn) { (this.h[n] = this.h[n] || []).push(fn); }
  fire(n, d) { (this.h[n] || []).forEach((f) => f(d)); }
  connect() { setTimeout(() => this.fire("onConnect", { result: true }), 0); }
  benchEmit(n, gap) {
    return new Promise((resolve) => {
      let i = 0;
      const tick = () => {
        if (i++ >= n) return resolve();
        this.fire("onCallInRing", { phoneNumber: String(performance.timeOrigin + performance.now()), area: "", agentId: "" });
        this.fire("onIdle"); // the call ends unanswered: a console's calls come and go
        if (gap > 0) setTimeout(tick, gap); else if (i % 200 === 0) setTimeout(tick, 0); else tick();
      };
      tick();
    });
  }
  benchHeap() {
    if (window.gc) window.gc();
    const m = performance.memory || {};
    this.fire("onCallInRing", { phoneNumber: "heap:" + (m.usedJSHeapSize || 0), area: "", agentId: "" });
  }
}
