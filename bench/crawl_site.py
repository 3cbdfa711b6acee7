"""Serves N instances' /system-info for bench/crawl: /i<N>/system-info.

Each answer waits DELAY_MS first, like a server across a network would.
Usage: python3 bench/crawl_site.py PORT DELAY_MS
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        time.sleep(DELAY)
        number = self.path.split("/")[1][1:] or "0"
        body = json.dumps({
            "indico_version": "3.%d" % (int(number) % 4),
            "python_version": "3.12.1",
            "users": int(number),
            "rooms": [1, 2, 3],
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


DELAY = int(sys.argv[2]) / 1000.0
Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
