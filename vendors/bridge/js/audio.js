// agentty bridge audio (loaded after shim.js, before the vendor's SDK).
// No WebRTC between agentty and the page: 10 ms PCM frames (48 kHz mono
// int16) travel over the shim's loopback WebSocket as binary messages:
//   16 bytes the per-run secret | seq u16 BE | timestamp u32 BE | 480 int16 LE
// Frames from agentty (its microphone) play through the agentty-mic
// AudioWorklet into a MediaStream, and navigator.mediaDevices.getUserMedia
// answers any audio request with that stream. What the call plays (a
// MediaStream set as an audio/video element's srcObject, or an audio track
// an RTCPeerConnection receives) is tapped by the agentty-tap worklet and
// sent back to agentty, which plays it on its own speaker; the element is
// muted so the page itself plays nothing twice.
(function () {
  // In a vendor's frame (a softphone iframe, usually of another origin) this
  // script is injected by the browser at document start (Chromium.Open,
  // frame.go), inside a closure that defines agenttyWorklet (worklet.js's
  // source); the top page loads it as audio.js. A frame never sees the
  // secret or the WebSocket: it asks the top page for a MessageChannel port
  // that carries bare PCM both ways (480 int16), and the top page frames it.
  const inFrame = typeof agenttyWorklet === "string";
  if (inFrame && window === window.top) return; // the top page loads its own
  const A = inFrame ? null : window.agentty;
  const key = inFrame ? null : new Uint8Array(document.documentElement.dataset.secret.match(/../g).map(function (h) { return parseInt(h, 16); }));
  const HDR = 22, N = 480;
  let ctx = null, ready = null, mic = null, micDest = null, tap = null;
  let seq = 0, ts = 0, live = 0;
  const micTracks = new Set(), captured = new Set();
  const stats = { micFrames: 0, sentFrames: 0, captured: 0, gum: 0, frames: 0 };
  const setSrc = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, "srcObject");
  const Int16 = Int16Array, MC = MessageChannel; // taken before a vendor script could replace them
  let link = null; // in a frame: the port to the top page
  const links = new Map(); // at the top: a frame's window -> its port (a reloaded frame's replaces it)

  if (inFrame) {
    // The first listener of the frame's window (document start): the top
    // page's answer is taken and stopped before the vendor's listeners.
    window.addEventListener("message", function (e) {
      if (e.source !== window.top || !e.data || e.data.agenttyAudioPort !== true || !e.ports.length) return;
      e.stopImmediatePropagation();
      if (link) return;
      link = e.ports[0];
      link.onmessage = function (m) { if (mic && m.data instanceof Int16) { stats.micFrames++; mic.port.postMessage(m.data, [m.data.buffer]); } };
    }, true);
    window.top.postMessage({ agenttyAudio: true }, "*");
  } else {
    // A frame's hooks ask for a port; the frame must be one of this page's
    // descendants. The port carries only PCM: what getUserMedia already
    // gives the frame, and what the frame's call plays.
    window.addEventListener("message", function (e) {
      if (!e.data || e.data.agenttyAudio !== true || !e.source || e.source === window) return;
      let w = e.source;
      try { while (w !== w.parent && w.parent !== window) w = w.parent; if (w.parent !== window) return; } catch (x) { return; }
      const ch = new MC();
      ch.port1.onmessage = function (m) { if (m.data instanceof Int16 && m.data.length === N) send(m.data); };
      const old = links.get(e.source);
      if (old) old.close();
      links.set(e.source, ch.port1);
      stats.frames++;
      e.source.postMessage({ agenttyAudioPort: true }, e.origin === "null" ? "*" : e.origin, [ch.port2]);
    });
  }

  function start() {
    if (!ready) ready = (async function () {
      ctx = new AudioContext({ sampleRate: 48000, latencyHint: "interactive" });
      await ctx.audioWorklet.addModule(inFrame ? URL.createObjectURL(new Blob([agenttyWorklet], { type: "text/javascript" })) : "worklet.js");
      mic = new AudioWorkletNode(ctx, "agentty-mic", { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
      micDest = ctx.createMediaStreamDestination();
      micDest.channelCount = 1;
      mic.connect(micDest);
      micDest.stream.getAudioTracks().forEach(function (t) { micTracks.add(t.id); });
      tap = new AudioWorkletNode(ctx, "agentty-tap", { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], channelCount: 1, channelCountMode: "explicit" });
      const silent = ctx.createGain();
      silent.gain.value = 0;
      tap.connect(silent).connect(ctx.destination); // keeps the tap pulled
      tap.port.onmessage = function (e) { send(e.data); };
      if (ctx.state !== "running") await ctx.resume().catch(function () {});
    })();
    return ready;
  }
  // A person's own browser (--bridge-browser=none) starts audio on a gesture.
  document.addEventListener("click", function () { if (ctx) ctx.resume(); });

  function send(pcm) {
    if (inFrame) {
      if (link) { stats.sentFrames++; link.postMessage(pcm, [pcm.buffer]); }
      return;
    }
    const b = new ArrayBuffer(HDR + N * 2);
    new Uint8Array(b).set(key, 0);
    const dv = new DataView(b);
    dv.setUint16(16, seq);
    dv.setUint32(18, ts);
    seq = (seq + 1) & 0xffff;
    ts = (ts + N) >>> 0;
    new Int16Array(b, HDR).set(pcm);
    stats.sentFrames++;
    A.sendBinary(b);
  }

  if (A) A.onAudio = function (buf) {
    if (buf.byteLength !== HDR + N * 2) return;
    links.forEach(function (p) { p.postMessage(new Int16Array(buf.slice(HDR))); });
    if (!mic) return;
    const pcm = new Int16Array(buf.slice(HDR));
    stats.micFrames++;
    mic.port.postMessage(pcm, [pcm.buffer]);
  };

  // capture taps a stream's audio tracks that are not agentty's own
  // microphone and were not tapped yet.
  function capture(stream) {
    const tracks = stream.getAudioTracks().filter(function (t) { return !micTracks.has(t.id) && !captured.has(t.id); });
    if (!tracks.length) return;
    tracks.forEach(function (t) { captured.add(t.id); });
    start().then(function () {
      tracks.forEach(function (t) {
        const s = new MediaStream([t]);
        // Chromium gives WebAudio silence for a remote WebRTC track that no
        // media element plays: a muted element plays it.
        const el = document.createElement("audio");
        el.muted = true;
        setSrc.set.call(el, s);
        el.play().catch(function () {});
        ctx.createMediaStreamSource(s).connect(tap);
        live++;
        stats.captured++;
        t.addEventListener("ended", function () { if (--live === 0) tap.port.postMessage(false); });
      });
      tap.port.postMessage(true);
    });
  }

  const md = navigator.mediaDevices;
  if (md) {
    const orig = md.getUserMedia ? md.getUserMedia.bind(md) : null;
    md.getUserMedia = async function (c) {
      if (!c || !c.audio) {
        if (!orig) throw new DOMException("no media devices", "NotFoundError");
        return orig(c);
      }
      await start();
      stats.gum++;
      const s = new MediaStream();
      micDest.stream.getAudioTracks().forEach(function (t) {
        const k = t.clone();
        micTracks.add(k.id);
        s.addTrack(k);
      });
      if (c.video && orig) {
        try { (await orig({ video: c.video })).getVideoTracks().forEach(function (t) { s.addTrack(t); }); } catch (e) { /* audio only */ }
      }
      return s;
    };
  }

  Object.defineProperty(HTMLMediaElement.prototype, "srcObject", {
    configurable: true, enumerable: setSrc.enumerable, get: setSrc.get,
    set: function (v) {
      if (v && typeof v.getAudioTracks === "function") {
        const remote = v.getAudioTracks().some(function (t) { return !micTracks.has(t.id); });
        capture(v);
        v.addEventListener("addtrack", function () { capture(v); });
        if (remote) this.muted = true;
      }
      setSrc.set.call(this, v);
    },
  });

  if (window.RTCPeerConnection) {
    const P = window.RTCPeerConnection;
    const W = function (a, b) {
      const pc = new P(a, b);
      pc.addEventListener("track", function (e) { if (e.track.kind === "audio") capture(new MediaStream([e.track])); });
      return pc;
    };
    W.prototype = P.prototype;
    Object.setPrototypeOf(W, P);
    window.RTCPeerConnection = W;
  }

  // captureRemote lets a vendor shim tap a stream the SDK plays another way.
  if (A) {
    A.captureRemote = capture;
    A.audioStats = function () { return Object.assign({ state: ctx ? ctx.state : "none" }, stats); };
  }
})();
