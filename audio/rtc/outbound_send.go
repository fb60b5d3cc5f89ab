package rtc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
)

// sendFrame sends one 20 ms slot: the next telephone-event packet while a
// digit is being sent, else the encoded frame.
func (o *Outbound) sendFrame(st *sendState, frame []int16) error {
	o.mute.Apply(frame)
	o.meter.Update(frame)
	if len(st.event) == 0 && st.gap == 0 {
		o.nextDigit(st)
	}
	if len(st.event) > 0 {
		e := st.event[0]
		st.event = st.event[1:]
		n, _ := e.Marshal(st.payload)
		marker := e.Duration == uint16(st.clock/50) && !e.End
		if len(st.event) == 0 {
			st.gap = int(o.cfg.DTMFGap / (20 * time.Millisecond))
		}
		return o.write(st, o.telPT, st.eventTS, marker, st.payload[:n])
	}
	if st.gap > 0 {
		st.gap--
	}
	n, err := st.enc.Encode(frame, st.payload)
	if err != nil {
		return fmt.Errorf("rtc: outbound encode: %w", err)
	}
	marker := st.first
	st.first = false
	return o.write(st, st.pt, st.ts, marker, st.payload[:n])
}

// nextDigit starts the next queued digit, if any.
func (o *Outbound) nextDigit(st *sendState) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for len(o.digits) > 0 {
		d := o.digits[0]
		o.digits = o.digits[1:]
		if d == ',' {
			st.gap = 25
			return
		}
		code, err := dtmf.Code(d)
		if err != nil || !o.haveTel {
			continue
		}
		dur := uint16(int64(st.clock) * int64(o.cfg.DTMFDuration) / int64(time.Second))
		st.event = dtmf.Packets(code, 10, dur, uint16(st.clock/50))
		st.eventTS = st.ts
		return
	}
}

func (o *Outbound) write(st *sendState, pt uint8, ts uint32, marker bool, payload []byte) error {
	seq := st.seq
	st.seq++
	if o.cfg.Drop != nil && o.cfg.Drop(seq) {
		o.mu.Lock()
		o.dropped++
		o.mu.Unlock()
		return nil
	}
	o.mu.Lock()
	w := o.writer
	o.sent++
	o.mu.Unlock()
	if w == nil {
		return nil
	}
	st.hdr = rtpHeader(st.hdr, pt, seq, ts, o.ssrc, marker)
	if _, err := w.WriteRTP(&st.hdr, payload); err != nil {
		return fmt.Errorf("rtc: write rtp: %w", err)
	}
	return nil
}

func (o *Outbound) readFrame(ctx context.Context, st *sendState, frame []int16) error {
	if st.eof || o.cfg.Source == nil {
		clear(frame)
		return ctx.Err()
	}
	err := o.cfg.Source.ReadFrame(ctx, frame)
	if errors.Is(err, io.EOF) {
		st.eof = true
		clear(frame)
		return nil
	}
	if err != nil {
		return fmt.Errorf("rtc: outbound source: %w", err)
	}
	o.skipDropped(st)
	return nil
}

// skipDropped moves the RTP clock past capture the device dropped (a
// reader that fell behind, a full ring): the timestamps stay the sampling
// times, so the far end's jitter estimate sees the gap as the time it was
// and not as network delay.
func (o *Outbound) skipDropped(st *sendState) {
	dev, ok := o.cfg.Source.(interface{ Stats() device.Stats })
	if !ok {
		return
	}
	d := dev.Stats().CaptureDrops
	if st.counted && d > st.drops {
		st.ts += uint32((d - st.drops) * uint64(st.clock) / device.SampleRate)
	}
	st.drops, st.counted = d, true
}
