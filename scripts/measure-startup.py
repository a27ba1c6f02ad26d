#!/usr/bin/env python3
"""Start-up time to systemd READY and idle RSS of an edgevoice binary.

Usage: scripts/measure-startup.py BINARY [RUNS] [-- extra edgevoice arguments]
Binds a notify socket as systemd would, starts `BINARY serve` with NOTIFY_SOCKET set (embedded
broker on a spare port, WAV sink in a temporary folder), times READY=1 from exec, reads VmRSS five
seconds after READY, stops the daemon with SIGTERM, and prints the medians.
"""
import os, socket, statistics, subprocess, sys, tempfile, time

def one(binary, extra):
    folder = tempfile.mkdtemp(prefix="edgevoice-startup-")
    path = os.path.join(folder, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(60)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    start = time.monotonic()
    daemon = subprocess.Popen([binary, "serve", "--Mqtt:EmbeddedPort=18931", "--sink", "wav:" + folder, *extra],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            message = sock.recv(4096).decode()
            if "READY=1" in message:
                ready = time.monotonic() - start
                break
        time.sleep(5)
        with open(f"/proc/{daemon.pid}/status") as status:
            rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    finally:
        daemon.terminate()
        daemon.wait(30)
        sock.close()
    return ready, rss

def main():
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    args = args[:args.index("--")] if "--" in args else args
    binary, runs = args[0], int(args[1]) if len(args) > 1 else 5
    results = [one(binary, extra) for _ in range(runs)]
    print(f"{binary}: READY after {statistics.median(r[0] for r in results) * 1000:.0f} ms, "
          f"idle RSS {statistics.median(r[1] for r in results):.1f} MiB (median of {runs})")

main()
