// agentty bridge audio worklets (AudioWorkletGlobalScope), loaded by
// audio.js. Frames are 10 ms of 48 kHz mono: 480 samples.
//
// agentty-mic plays the frames agentty sends (its microphone) into the
// page: the MediaStream getUserMedia answers with. It keeps at most ten
// frames (200 ms), dropping the oldest, and plays silence when it has none.
class AgenttyMic extends AudioWorkletProcessor {
  constructor() {
    super();
    this.q = [];
    this.off = 0;
    this.port.onmessage = (e) => {
      this.q.push(e.data);
      if (this.q.length > 10) { this.q.shift(); this.off = 0; }
    };
  }
  process(inputs, outputs) {
    const out = outputs[0][0];
    let i = 0;
    while (i < out.length && this.q.length) {
      const f = this.q[0];
      const n = Math.min(out.length - i, f.length - this.off);
      for (let k = 0; k < n; k++) out[i + k] = f[this.off + k] / 32768;
      i += n;
      this.off += n;
      if (this.off >= f.length) { this.q.shift(); this.off = 0; }
    }
    for (; i < out.length; i++) out[i] = 0;
    return true;
  }
}

// agentty-tap cuts what the call plays (the remote streams connected to
// it) into 480-sample Int16 frames and posts each to the page, which sends
// it to agentty. It is silent until told true.
class AgenttyTap extends AudioWorkletProcessor {
  constructor() {
    super();
    this.on = false;
    this.buf = new Int16Array(480);
    this.n = 0;
    this.port.onmessage = (e) => { this.on = !!e.data; };
  }
  process(inputs) {
    if (!this.on) return true;
    const ch = inputs[0] && inputs[0][0];
    const len = ch ? ch.length : 128;
    for (let k = 0; k < len; k++) {
      let s = ch ? ch[k] : 0;
      s = s > 1 ? 1 : s < -1 ? -1 : s;
      this.buf[this.n++] = s < 0 ? s * 32768 : s * 32767;
      if (this.n === 480) {
        this.port.postMessage(this.buf, [this.buf.buffer]);
        this.buf = new Int16Array(480);
        this.n = 0;
      }
    }
    return true;
  }
}

registerProcessor("agentty-mic", AgenttyMic);
registerProcessor("agentty-tap", AgenttyTap);
