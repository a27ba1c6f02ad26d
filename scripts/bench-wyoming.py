#!/usr/bin/env python3
"""Wyoming server latency and capacity sharing, against a daemon started here (see docs/BENCHMARKS.md).

1. Streamed request: time from sending the chunk that completes the first sentence to the first
   audio-chunk event, against the voice's own time to first audio for that sentence (the
   `finished` event of the same sentence said on the local lane over MQTT), runs interleaved.
2. A local `alarm` announcement (MQTT, local lane): time to first audio (queue + first audio, from
   its `finished` event) with no Wyoming client, and while 2 Wyoming clients stream long texts.

usage: bench-wyoming.py BINARY VOICES_DIR VOICE [RUNS [--Section:Key=value ...]]
"""
import json, os, socket, statistics, subprocess, sys, tempfile, threading, time

binary, voices, voice = sys.argv[1:4]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 10
extra = sys.argv[5:]  # more daemon settings
device = "bench"


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


mqtt_port, wy_port = free_port(), free_port()
work = tempfile.mkdtemp(prefix="bench-wyoming-")
cmd = [binary] if not binary.endswith(".dll") else ["dotnet", binary]
daemon = subprocess.Popen(cmd + ["serve", "--device", device, "--sink", f"wav:{work}", "--voices", voices,
                                 f"--Voices:Default={voice}", f"--Mqtt:EmbeddedPort={mqtt_port}",
                                 f"--Wyoming:Address=tcp://127.0.0.1:{wy_port}", "--Wyoming:Zeroconf=false",
                                 "--Limits:RequestsPerSecond=0", *extra], stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "daemon.log"), "w"))


class Wyoming:
    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", wy_port)); self.f = self.s.makefile("rb")

    def send(self, kind, data=None):
        body = json.dumps(data).encode() if data is not None else b""
        header = {"type": kind}
        if body: header["data_length"] = len(body)
        self.s.sendall(json.dumps(header).encode() + b"\n" + body)

    def read(self):
        header = json.loads(self.f.readline())
        data = json.loads(self.f.read(header["data_length"])) if header.get("data_length") else header.get("data", {})
        if header.get("payload_length"): self.f.read(header["payload_length"])
        return header["type"], data

    def until(self, kind):
        while True:
            t, _ = self.read()
            if t == kind: return

    def close(self): self.s.close()


class Events:
    """The daemon's MQTT events (mosquitto_sub), by request id."""
    def __init__(self):
        self.p = subprocess.Popen(["mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", str(mqtt_port), "-t", f"edgevoice/{device}/events"], stdout=subprocess.PIPE, text=True)
        self.done = {}; self.cv = threading.Condition()
        threading.Thread(target=self.pump, daemon=True).start()

    def pump(self):
        for line in self.p.stdout:
            e = json.loads(line)
            if e.get("event") in ("finished", "failed", "rejected", "cancelled"):
                with self.cv: self.done[e.get("id")] = e; self.cv.notify_all()

    def say(self, rid, text, **extra):
        subprocess.run(["mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", str(mqtt_port), "-t", f"edgevoice/{device}/say",
                        "-m", json.dumps({"id": rid, "text": text, "voice": voice, **extra})], check=True)
        with self.cv:
            self.cv.wait_for(lambda: rid in self.done, timeout=120)
            e = self.done[rid]
        assert e["event"] == "finished", e
        return e


try:
    for port in (wy_port, mqtt_port):
        for _ in range(600):
            try: socket.create_connection(("127.0.0.1", port)).close(); break
            except OSError: time.sleep(0.2)
    events = Events(); time.sleep(1)
    first, rest = "The kitchen timer has finished", ", and the oven is now off. The next step"

    # 1. The voice's own time to first audio for the sentence (local lane), and the streamed request, interleaved.
    own, streamed = [], []
    for i in range(runs + 1):
        e = events.say(f"own-{i}", first + ", and the oven is now off.")
        c = Wyoming(); c.send("synthesize-start", {"voice": {"name": voice}}); c.send("synthesize-chunk", {"text": first})
        time.sleep(0.05)
        t0 = time.perf_counter(); c.send("synthesize-chunk", {"text": rest}); c.until("audio-chunk"); t1 = time.perf_counter()
        c.send("synthesize-stop"); c.until("synthesize-stopped"); c.close()
        if i > 0:  # the first run warms both paths up
            own.append(e["time_to_first_audio_ms"]); streamed.append((t1 - t0) * 1000)
    o, s = statistics.median(own), statistics.median(streamed)
    print(f"voice {voice}, {runs} runs, medians")
    print(f"first sentence complete -> first audio-chunk: {s:.1f} ms; the voice's own time to first audio (local lane, same sentence): {o:.1f} ms; difference {s - o:+.1f} ms (target <= +5)")

    # 2. A local alarm, alone and with 2 Wyoming clients streaming long texts.
    def alarm(tag):
        out = []
        for i in range(runs):
            e = events.say(f"alarm-{tag}-{i}", "Fire alarm. Please leave the building now.", priority="alarm")
            out.append(e["queue_ms"] + e["time_to_first_audio_ms"])
            time.sleep(0.3)
        return out

    alone = alarm("alone")
    stop = threading.Event()
    long_text = " ".join(["This long answer from the assistant is streamed sentence by sentence to Home Assistant."] * 40)

    def stream():
        try:
            while not stop.is_set():
                c = Wyoming(); c.send("synthesize-start", {"voice": {"name": voice}})
                for word in long_text.split(" "): c.send("synthesize-chunk", {"text": word + " "})
                c.send("synthesize-stop"); c.until("synthesize-stopped"); c.close()
        except (OSError, ValueError):
            pass  # the daemon stopped at the end of the run

    workers = [threading.Thread(target=stream, daemon=True) for _ in range(2)]
    for w in workers: w.start()
    time.sleep(3)
    loaded = alarm("loaded")
    stop.set()
    a, l = statistics.median(alone), statistics.median(loaded)
    print(f"local alarm, time to first audio: {a:.1f} ms alone, {l:.1f} ms with 2 Wyoming streams ({l - a:+.1f} ms); max {max(alone):.1f} / {max(loaded):.1f} ms")
finally:
    daemon.terminate(); daemon.wait(30); print("daemon log:", os.path.join(work, "daemon.log"))
