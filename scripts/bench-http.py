#!/usr/bin/env python3
"""Time to first byte of POST /v1/audio/speech for a long input, against the voice's own first-chunk time.

Starts the daemon (embedded broker, WAV sink, HTTP on a free loopback port), warms it up, then for each
run posts the long text and reads the response until its first byte; the request's `finished` event
(read from GET /v1/events) gives the voice's first chunk: its Text-stage and inference time. The
difference is what the HTTP front-end adds before the first bytes leave. Medians over the runs.

    scripts/bench-http.py [--binary src/EdgeVoice/bin/Release/net10.0/edgevoice] [--voices DIR --voice NAME]
                          [--text docs/bench-text.txt] [--chars 5000] [--runs 7] [--format pcm]
"""
import argparse, http.client, json, os, socket, statistics, subprocess, sys, tempfile, threading, time

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser()
    p.add_argument("--binary", default=os.path.join(root, "src/EdgeVoice/bin/Release/net10.0/edgevoice"))
    p.add_argument("--voices", default=None)
    p.add_argument("--voice", default=None)
    p.add_argument("--text", default=os.path.join(root, "docs/bench-text.txt"))
    p.add_argument("--chars", type=int, default=5000)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--format", default="pcm")
    p.add_argument("--nice", type=int, default=0, help="run the daemon and this client at this nice value (negative: ahead of other work, as on a device that runs little else; needs root)")
    a = p.parse_args()

    sample = open(a.text, encoding="utf-8").read().split()
    text = ""
    while len(text) < a.chars:
        text += " ".join(sample) + " "
    text = text[: a.chars].rsplit(" ", 1)[0]

    port, broker = free_port(), free_port()
    work = tempfile.mkdtemp(prefix="edgevoice-bench-http-")
    args = [a.binary, "serve", f"--Mqtt:EmbeddedPort={broker}", "--device", "bench", "--sink", f"wav:{work}",
            f"--Http:Address=127.0.0.1:{port}", "--Limits:RequestsPerSecond=0"]
    if a.voices:
        args += ["--voices", a.voices]
    if a.nice:
        os.nice(a.nice)  # the daemon inherits it
    daemon = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "daemon.log"), "w"))
    try:
        for _ in range(300):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            sys.exit("the daemon did not become ready; see " + os.path.join(work, "daemon.log"))

        finished = {}
        lock = threading.Condition()
        def listen():
            c = http.client.HTTPConnection("127.0.0.1", port)
            c.request("GET", "/v1/events")
            r = c.getresponse()
            while True:
                line = r.readline()
                if not line:
                    return
                if line.startswith(b"data: "):
                    e = json.loads(line[6:])
                    if e.get("event") == "finished":
                        with lock:
                            finished[e["id"]] = e
                            lock.notify_all()
        threading.Thread(target=listen, daemon=True).start()
        time.sleep(0.5)

        # The floor any HTTP answer has here: a GET /healthz round trip on a kept-alive connection.
        c = http.client.HTTPConnection("127.0.0.1", port)
        trips = []
        for _ in range(30):
            start = time.perf_counter()
            c.request("GET", "/healthz")
            c.getresponse().read()
            trips.append((time.perf_counter() - start) * 1000)
        c.close()
        floor = statistics.median(trips[5:])

        body = json.dumps({"model": "tts-1", "input": text, "voice": a.voice or "alloy", "response_format": a.format}).encode()
        rows = []
        for run in range(a.runs + 1):
            c = http.client.HTTPConnection("127.0.0.1", port)
            c.connect()
            start = time.perf_counter()
            c.request("POST", "/v1/audio/speech", body, {"Content-Type": "application/json"})
            r = c.getresponse()
            r.read(1)
            ttfb = (time.perf_counter() - start) * 1000
            rid = r.getheader("X-Request-Id")
            voice = r.getheader("X-EdgeVoice-Voice")
            r.read()  # to the end
            c.close()
            with lock:
                lock.wait_for(lambda: rid in finished, timeout=600)
            e = finished[rid]
            first = e["chunk_timings"][0]
            chunk = first["text_ms"] + first["inference_ms"]
            if run > 0:  # the first is the warm-up
                rows.append((ttfb, chunk, e["timeline"]["first_pcm"], e["chunks"], e["timeline"]["first_frame_accepted"]))
        ttfb = statistics.median(r[0] for r in rows)
        chunk = statistics.median(r[1] for r in rows)
        pcm = statistics.median(r[2] for r in rows)
        accepted = statistics.median(r[4] for r in rows)
        over = statistics.median(r[0] - r[1] for r in rows)
        print(f"voice {voice}, {len(text)} characters ({rows[0][3]} chunks), {a.format}, {a.runs} runs, medians")
        print(f"- time to first byte (client, request sent to first body byte): {ttfb:.1f} ms")
        print(f"- the voice's first chunk (Text stage + inference): {chunk:.1f} ms; first PCM in the pipeline at {pcm:.1f} ms, "
              f"handed to the response at {accepted:.1f} ms (from the request's arrival in the handler)")
        print(f"- first byte over the first chunk: {over:+.1f} ms (target: at most +5 ms)")
        print(f"- a GET /healthz round trip on this machine now: {floor:.1f} ms; first byte over the first chunk and that round trip: {over - floor:+.1f} ms")
        print(f"- load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    finally:
        daemon.terminate()
        daemon.wait(30)

if __name__ == "__main__":
    main()
