#!/usr/bin/env python3
"""10M events over one year written as InfluxDB line protocol (batches of
5,000 lines, 4 writers, each with its own keep-alive connection), then an
hourly average over the year. Run against InfluxDB 1.6 and against
Collector's /write, so that both get the same bytes. Prints figures named
<prefix>events_ingest_per_second and <prefix>hourly_avg_year_query_ms.

usage: influx_events.py COUNT [ingest|query|all] [--url URL] [--token T]
                        [--db NAME] [--prefix P] [--recent]

--recent puts the events in the 365 days before now and queries them as
Grafana's InfluxDB data source does (`time > now() - 365d ... fill(null)`,
`epoch=ms`);
without it they fall in 2023 and the query names that year."""
import argparse, http.client, multiprocessing, sys, time, urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("count", type=int, nargs="?", default=10_000_000)
ap.add_argument("phase", nargs="?", default="all", choices=["ingest", "query", "all"])
ap.add_argument("--url", default="http://127.0.0.1:8086")
ap.add_argument("--token")
ap.add_argument("--db", default="bench")
ap.add_argument("--prefix", default="influx_")
ap.add_argument("--recent", action="store_true")
args = ap.parse_args()
writers, batch = 4, 5000
year = 31_536_000
year_start = (int(time.time()) // 3600 * 3600 - year) if args.recent else 1_672_531_200
url = urllib.parse.urlparse(args.url)
headers = {"Authorization": "Token " + args.token} if args.token else {}


def connect():
    return http.client.HTTPConnection(url.hostname, url.port)


def request(conn, method, path, body=None):
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{args.url}{path}: {response.status} {data[:200]!r}")
    return data


def write(job):
    """One writer's share: its bodies made first, so that the clock times
    the server and not Python's string building; returns (start, end)."""
    writer, barrier = job
    per_writer = args.count // writers
    bodies, lines = [], []
    for k in range(per_writer):
        n = writer * 1_000_003 + k
        t = year_start + (n * 2_654_435_761) % year
        lines.append(f"checkout value={n % 1000} {t}")
        if len(lines) == batch:
            bodies.append("\n".join(lines).encode())
            lines = []
    if lines:
        bodies.append("\n".join(lines).encode())
    conn = connect()
    barrier.wait()
    began = time.time()
    for body in bodies:
        request(conn, "POST", f"/write?db={args.db}&precision=s", body)
    return began, time.time()


def ingest():
    request(connect(), "POST", "/query?" + urllib.parse.urlencode({"q": f"CREATE DATABASE {args.db}"}))
    with multiprocessing.Manager() as manager:
        barrier = manager.Barrier(writers)
        with multiprocessing.Pool(writers) as pool:
            spans = pool.map(write, [(w, barrier) for w in range(writers)])
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    print(f"{args.prefix}events_ingest_per_second {args.count // writers * writers / elapsed:.0f}")


def query():
    if args.recent:
        q = 'SELECT mean("value") FROM "checkout" WHERE time > now() - 365d GROUP BY time(1h) fill(null)'
    else:
        q = "SELECT mean(value) FROM checkout WHERE time >= 1672531200s AND time < 1704067200s GROUP BY time(1h)"
    conn = connect()
    timings = []
    for _ in range(7):
        began = time.monotonic()
        # Grafana asks for epoch=ms.
        params = {"db": args.db, "q": q, "epoch": "ms"} if args.recent else {"db": args.db, "q": q}
        body = request(conn, "GET", "/query?" + urllib.parse.urlencode(params))
        timings.append((time.monotonic() - began) * 1000)
        if b'"error"' in body or b'"values"' not in body:
            raise SystemExit(f"{args.url}: the query answered {body[:200]!r}")
    timings.sort()
    print(f"{args.prefix}hourly_avg_year_query_ms {timings[len(timings) // 2]:.1f}")


if args.phase in ("ingest", "all"):
    ingest()
if args.phase in ("query", "all"):
    query()
