#!/usr/bin/env python3
"""The peer: the same 10M events over one year written to InfluxDB 1.6 over
HTTP line protocol (batches of 5,000, keep-alive), then the hourly average
over the year with GROUP BY time(1h). Prints the same figure names as
collector-bench events, prefixed influx_.

usage: influx_events.py COUNT [ingest|query|all]"""
import http.client, sys, time, urllib.parse

count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
phase = sys.argv[2] if len(sys.argv) > 2 else "all"
streams, batch = 4, 5000
year_start = 1_672_531_200
conn = http.client.HTTPConnection("127.0.0.1", 8086)


def request(method, path, body=None):
    conn.request(method, path, body=body)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"influx {path}: {response.status} {data[:200]!r}")
    return data


def ingest():
    request("POST", "/query?" + urllib.parse.urlencode({"q": "CREATE DATABASE bench"}))
    per_stream = count // streams
    began = time.monotonic()
    for stream in range(streams):
        lines = []
        for k in range(per_stream):
            n = stream * 1_000_003 + k
            t = year_start + (n * 2_654_435_761) % 31_536_000
            lines.append(f"checkout value={n % 1000} {t}")
            if len(lines) == batch:
                request("POST", "/write?db=bench&precision=s", "\n".join(lines).encode())
                lines = []
        if lines:
            request("POST", "/write?db=bench&precision=s", "\n".join(lines).encode())
    elapsed = time.monotonic() - began
    print(f"influx_events_ingest_per_second {per_stream * streams / elapsed:.0f}")


def query():
    q = "SELECT mean(value) FROM checkout WHERE time >= 1672531200s AND time < 1704067200s GROUP BY time(1h)"
    timings = []
    for _ in range(7):
        began = time.monotonic()
        request("GET", "/query?" + urllib.parse.urlencode({"db": "bench", "q": q}))
        timings.append((time.monotonic() - began) * 1000)
    timings.sort()
    print(f"influx_hourly_avg_year_query_ms {timings[len(timings) // 2]:.1f}")


if phase in ("ingest", "all"):
    ingest()
if phase in ("query", "all"):
    query()
