"""A stand-in for `python -m litellm`: serves /health/liveliness and /health/readiness on --port.

Behaviours (by argument):
  --ready-after S      readiness answers 503 for the first S seconds
  --readiness-fail     readiness always answers 503
  --crash-after S      exits with code 3 S seconds after its first successful readiness answer
  --exit-at-start N    writes a message to stderr and exits with code N before serving
  --ignore-sigterm     SIGTERM does nothing (the supervisor must kill it)
  --env-dump PATH      writes LITELLM_MASTER_KEY and LITELLM_LOCAL_MODEL_COST_MAP to PATH
  --print-key          prints the master key to stdout (the supervisor must mask it in the log)
  --starts-file PATH   appends one line per start
  --spam N             prints N lines of 100 characters at start
On SIGTERM it prints 'standin: SIGTERM received' and exits 0.
"""
import argparse, json, os, signal, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--config")
p.add_argument("--ready-after", type=float, default=0.0)
p.add_argument("--readiness-fail", action="store_true")
p.add_argument("--crash-after", type=float)
p.add_argument("--exit-at-start", type=int)
p.add_argument("--ignore-sigterm", action="store_true")
p.add_argument("--env-dump")
p.add_argument("--print-key", action="store_true")
p.add_argument("--starts-file")
p.add_argument("--spam", type=int, default=0)
a = p.parse_args()

def say(msg, stream=sys.stdout):
    print(msg, file=stream, flush=True)

started = time.monotonic()
if a.starts_file:
    with open(a.starts_file, "a") as f:
        f.write(f"{os.getpid()}\n")
if a.env_dump:
    with open(a.env_dump, "w") as f:
        json.dump({"LITELLM_MASTER_KEY": os.environ.get("LITELLM_MASTER_KEY"),
                   "LITELLM_LOCAL_MODEL_COST_MAP": os.environ.get("LITELLM_LOCAL_MODEL_COST_MAP")}, f)
if a.exit_at_start is not None:
    say(f"standin: failing at start with code {a.exit_at_start}", sys.stderr)
    sys.exit(a.exit_at_start)
if a.print_key:
    say(f"standin key={os.environ.get('LITELLM_MASTER_KEY')}")
for i in range(a.spam):
    say(f"standin spam {i:05d} " + "x" * 80)

def on_term(signum, frame):
    say("standin: SIGTERM received")
    os._exit(0)

signal.signal(signal.SIGTERM, signal.SIG_IGN if a.ignore_sigterm else on_term)

crash_armed = threading.Lock()
def arm_crash():
    if a.crash_after is None or not crash_armed.acquire(blocking=False):
        return
    def crash():
        say("standin: crashing with code 3", sys.stderr)
        os._exit(3)
    t = threading.Timer(a.crash_after, crash)
    t.daemon = True
    t.start()

class Handler(BaseHTTPRequestHandler):
    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health/liveliness":
            self._send(200, "I'm alive!")
        elif self.path == "/health/readiness":
            if a.readiness_fail or time.monotonic() - started < a.ready_after:
                self._send(503, {"error": {"message": "Service Unhealthy", "code": "503"}})
            else:
                self._send(200, {"status": "healthy", "db": "Not connected", "cache": None,
                                 "litellm_version": "0.0.0-standin"})
                arm_crash()
        else:
            self._send(404, {"error": {"message": "not found", "code": "404"}})

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
say(f"standin: listening on 127.0.0.1:{a.port} (pid {os.getpid()})")
server.serve_forever(poll_interval=0.1)
