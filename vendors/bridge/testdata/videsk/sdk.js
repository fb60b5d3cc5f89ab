// A stand-in for the Videsk Phone SDK (seed 000), which is not published:
// it emits exactly the documented events for one kiosk call.
class VideskPhone {
  constructor(token) { this.h = {}; this.token = token; }
  on(n, fn) { (this.h[n] = this.h[n] || []).push(fn); }
  fire(n, d) { setTimeout(() => (this.h[n] || []).forEach((f) => f(d)), 0); }
  call(segment) {
    if (this.token === "bad") { this.fire("token-error"); return; }
    this.fire("queued", { position: 3, time: 4 });
    this.fire("queue-updated", { position: 2, time: 2 });
    this.fire("queue-updated", { position: 1, time: 0.5 });
    this.fire("out-queue");
    this.fire("answered");
    this.fire("connected-call");
  }
  leave() { this.fire("customer-leave"); this.fire("transport-disconnect"); }
  hangup() { this.fire("customer-hangup"); this.fire("ended"); this.fire("transport-disconnect"); }
  destroy() { window.videskDestroyed = (window.videskDestroyed || 0) + 1; }
}
