#!/usr/bin/env python3
# Copyright 2026 The Sluice Authors.
#
# A small service for the end-to-end test of `sluice run` (and the
# walkthrough in docs/run.md): it serves Prometheus metrics on loopback and
# "runs" the version written in DIR/version-ID (a deploy hook switches it by
# writing that file). It simulates its own traffic, 100 requests a second:
#
#   app_requests_total, app_errors_total             counters
#   app_request_duration_seconds                     a latency histogram
#   app_version_info{version="..."} 1                the running version
#
# Versions listed in DIR/bad-versions (one a line) fail three times as
# often (6 % instead of 2 %) and are slower. Only the standard library.
#
# Usage: service.py --id ID --dir DIR   (prints nothing; writes its port to
# DIR/port-ID once it listens)

import argparse
import http.server
import os
import threading
import time

BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0]


class State:
    def __init__(self, ident, directory):
        self.ident = ident
        self.dir = directory
        self.lock = threading.Lock()
        self.version = "unknown"
        self.requests = 0
        self.errors = 0.0
        self.latency_sum = 0.0
        self.buckets = [0] * (len(BUCKETS) + 1)

    def read_version(self):
        try:
            with open(os.path.join(self.dir, "version-" + self.ident)) as f:
                return f.read().strip() or "unknown"
        except OSError:
            return "unknown"

    def bad(self, version):
        try:
            with open(os.path.join(self.dir, "bad-versions")) as f:
                return version in {line.strip() for line in f}
        except OSError:
            return False

    def tick(self):
        version = self.read_version()
        bad = self.bad(version)
        with self.lock:
            self.version = version
            self.requests += 10
            self.errors += 10 * (0.06 if bad else 0.02)
            latency = 0.08 if bad else 0.02
            for _ in range(10):
                self.latency_sum += latency
                for i, le in enumerate(BUCKETS):
                    if latency <= le:
                        self.buckets[i] += 1
                self.buckets[-1] += 1

    def render(self):
        with self.lock:
            lines = [
                "# TYPE app_requests_total counter",
                "app_requests_total %d" % self.requests,
                "# TYPE app_errors_total counter",
                "app_errors_total %d" % int(self.errors),
                "# TYPE app_version_info gauge",
                'app_version_info{version="%s"} 1' % self.version,
                "# TYPE app_request_duration_seconds histogram",
            ]
            for i, le in enumerate(BUCKETS):
                lines.append('app_request_duration_seconds_bucket{le="%s"} %d'
                             % (le, self.buckets[i]))
            lines.append('app_request_duration_seconds_bucket{le="+Inf"} %d'
                         % self.buckets[-1])
            lines.append("app_request_duration_seconds_sum %f"
                         % self.latency_sum)
            lines.append("app_request_duration_seconds_count %d"
                         % self.buckets[-1])
        return ("\n".join(lines) + "\n").encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--id", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    state = State(args.id, args.dir)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/metrics":
                self.send_error(404)
                return
            body = state.render()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *unused):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)

    def traffic():
        while True:
            state.tick()
            time.sleep(0.1)

    threading.Thread(target=traffic, daemon=True).start()
    port_file = os.path.join(args.dir, "port-" + args.id)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
