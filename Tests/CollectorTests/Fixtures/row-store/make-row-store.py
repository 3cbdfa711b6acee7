# Writes the row-store fixture (Tests/CollectorTests/Fixtures/row-store) with the
# binaries of the last release that stored points as rows (commit e85bfd6):
#   python3 make-row-store.py BIN_DIR   (in an empty folder; then VACUUM data/collector.sqlite)
# expected.json holds a SHA-256 of every legacy aggregation answer and every
# event document as that release gave them.
import json, subprocess, time, urllib.request, socket, sys, random, os
bin = sys.argv[1]
def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
grpc, http = port(), port()
open("c.yaml","w").write("retention:\n  raw: null\n  minute: null\n  hour: null\ncrawl:\n  geoip_ipv4: ''\n  geoip_ipv6: ''\n")
p = subprocess.Popen([bin+"/collector","serve","--config","c.yaml","--data-dir","data","--grpc-listen",f"127.0.0.1:{grpc}","--http-listen",f"127.0.0.1:{http}"], stderr=open("c.log","w"))
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{http}/readyz"); break
    except Exception: time.sleep(0.2)
ctl = [bin+"/collectorctl","--server",f"127.0.0.1:{grpc}","--ca","data/ca.pem","--token-file","data/admin.token"]
token = json.loads(subprocess.check_output(ctl+["token","create","--name","fixture","--scope","ingest","read","aggregate","--site","fixture","--json"]))["token"]
def post(path, body, scheme="Bearer"):
    r = urllib.request.Request(f"http://127.0.0.1:{http}{path}", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"{scheme} {token}", "Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(r).read())
rnd = random.Random(7)
base = 1_700_000_000  # 2023-11-14
for i in range(1200):
    t = base + rnd.randrange(0, 40*86400)
    ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + (".%06d" % rnd.randrange(0,1000000) if i % 3 == 0 else "")
    post("/api/track/", {"namespace": "fixture", "name": "clicks" if i % 2 else "views", "timestamp": ts, "value": rnd.randrange(0, 500)})
ids = []
for i in range(120):
    ids.append(post("/log/event/", {"uid": f"user{i%7}", "event": "login", "browser": "firefox", "now": base + i * 3600 + 0.25}, "Token"))
answers = {}
for name in ["clicks", "views"]:
    for g in ["none", "minute", "hour", "day", "week", "month", "year"]:
        for fn in ["avg", "min", "max", "sum", "count"]:
            q = f"/api/events/fixture/{name}?granularity={g}&aggregationType={fn}"
            r = urllib.request.Request(f"http://127.0.0.1:{http}{q}", headers={"Authorization": f"Bearer {token}"})
            import hashlib
            answers[q] = hashlib.sha256(urllib.request.urlopen(r).read()).hexdigest()
docs = {}
for i in ids:
    r = urllib.request.Request(f"http://127.0.0.1:{http}/log/event/{i}", headers={"Authorization": f"Token {token}"})
    docs[i] = json.loads(urllib.request.urlopen(r).read())
json.dump({"token": token, "answers": answers, "documents": docs}, open("expected.json","w"), indent=0, sort_keys=True)
p.terminate(); p.wait()
