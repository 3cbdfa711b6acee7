#!/usr/bin/env python3
"""Fault tests R1 and R3 with the real binaries on loopback.

R1: AGENTS agents take events from local senders without pause while the
collector is killed with SIGKILL every few seconds and started again.
R3: the same, but agents are the ones killed (mid-push) and restarted.

Senders alternate between the tracking API's body (a point only) and the
event service's (a document, findable by id). Every event an agent accepted
is spooled on disk; afterwards every document must be found by its id, each
series must hold exactly one point per accepted event (a batch stored twice
would add points twice), and, once compaction has caught up, the rollups
must count what the raw points count. With --compaction-hold-ms the
collector holds each compaction round's transaction open that long, so
kills land mid-compaction; the test counts how many did.

With --store postgres the collectors share a throw-away PostgreSQL on
loopback (scripts/postgres-server), and with --collectors N there are N of
them: every agent lists them all (collector.addresses) and moves to another
when its own dies; R1 kills one at random each time.

usage: kill-test.py r1|r3 BIN_DIR [--seconds N] [--agents N] [--compaction-hold-ms N]
                    [--store sqlite|postgres] [--collectors N]
"""
import argparse, json, os, random, signal, subprocess, sys, tempfile, threading, time
import urllib.request, urllib.error


def free_port():
    # Outside the ephemeral range, and never the same twice: see scripts/free-port.
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "free-port")
    return int(subprocess.run([script], check=True, capture_output=True, text=True).stdout)


def wait_for(check, timeout, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if check():
                return True
        except Exception:
            pass
        time.sleep(step)
    return False


def end_of_log(handle, lines=20):
    """The last lines of a process's log, for the message that says it did not start."""
    handle.flush()
    with open(handle.name, errors="replace") as log:
        return "".join(log.readlines()[-lines:])


def get(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["r1", "r3"])
    parser.add_argument("bin")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--agents", type=int, default=10)
    parser.add_argument("--compaction-hold-ms", type=int, default=0)
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--collectors", type=int, default=1)
    args = parser.parse_args()
    if args.collectors > 1 and args.store != "postgres":
        sys.exit("--collectors above 1 needs --store postgres: a SQLite file has one collector")

    work = tempfile.mkdtemp(prefix=f"collector-{args.mode}.")
    processes = []
    # No country table: loading one makes every restart slower, and
    # restarts are what this test is about.
    collector_config = os.path.join(work, "collector.yaml")
    store_lines = ""
    cluster = None
    if args.store == "postgres":
        # Its own path: the server wants one of plain characters, which mkdtemp's need not be.
        cluster = f"/tmp/collector-kill-test-postgres-{os.getpid()}"
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "postgres-server")
        url = subprocess.run([script, "start", cluster, "--owner-pid", str(os.getpid())], check=True, capture_output=True,
                             text=True).stdout.strip()
        store_lines = f"store: {url}?sslmode=verify-full&sslrootcert={cluster}/ca.pem\nstore_password_file: {cluster}/password\n"
    with open(collector_config, "w") as f:
        f.write(store_lines + "crawl:\n  geoip_ipv4: ''\n  geoip_ipv6: ''\n")
    collectors = [{"data": os.path.join(work, f"collector{index}"), "grpc": f"127.0.0.1:{free_port()}",
                   "http": f"127.0.0.1:{free_port()}", "log": open(os.path.join(work, f"collector{index}.log"), "ab")}
                  for index in range(args.collectors)]
    data = collectors[0]["data"]
    grpc, http = collectors[0]["grpc"], collectors[0]["http"]

    def start_collector(c):
        environment = dict(os.environ)
        if args.compaction_hold_ms:
            environment["FAULT_TEST_COMPACTION_HOLD_MS"] = str(args.compaction_hold_ms)
        p = subprocess.Popen([f"{args.bin}/collector", "serve", "--config", collector_config, "--data-dir", c["data"],
                              "--grpc-listen", c["grpc"], "--http-listen", c["http"]], stderr=c["log"], env=environment)
        processes.append(p)
        c["process"] = p
        if not wait_for(lambda: get(f"http://{c['http']}/readyz")[0] == 200, 30):
            sys.exit("collector did not become ready; the end of its log:\n" + end_of_log(c["log"]))
        return p

    start_collector(collectors[0])
    for c in collectors[1:]:
        # The first one's development certificate, so agents trust them all.
        os.makedirs(c["data"], mode=0o700)
        for name in ["ca.pem", "ca-key.pem", "server.pem", "server-key.pem"]:
            subprocess.run(["cp", "-p", os.path.join(data, name), c["data"]], check=True)
        start_collector(c)
    token = subprocess.run([f"{args.bin}/collectorctl", "--server", grpc, "--ca", f"{data}/ca.pem", "--token-file",
                            f"{data}/admin.token", "token", "create", "--name", "faults", "--scope", "ingest", "--site", "faults",
                            "--json"], check=True, capture_output=True, text=True).stdout
    with open(os.path.join(work, "agent.token"), "w") as f:
        f.write(json.loads(token)["token"])
    reader = json.loads(subprocess.run([f"{args.bin}/collectorctl", "--server", grpc, "--ca", f"{data}/ca.pem", "--token-file",
                                        f"{data}/admin.token", "token", "create", "--name", "checker", "--scope", "read", "aggregate",
                                        "--json"], check=True, capture_output=True, text=True).stdout)["token"]

    agents = []
    for index in range(args.agents):
        intake = f"127.0.0.1:{free_port()}"
        agent_metrics = f"127.0.0.1:{free_port()}"
        config = os.path.join(work, f"agent{index}.yaml")
        with open(config, "w") as f:
            f.write(f"""collector:
  addresses: [{", ".join(c["grpc"] for c in collectors)}]
  ca: {data}/ca.pem
  token_file: {work}/agent.token
state_dir: {work}/agent{index}
uplink:
  flush_interval: 100ms
  backoff_initial: 100ms
  backoff_max: 1s
metrics:
  listen: {agent_metrics}
inputs:
  host_stats:
    enabled: false
  events:
    listen: {intake}
""")
        agents.append({"config": config, "intake": intake, "metrics": agent_metrics, "log": open(os.path.join(work, f"agent{index}.log"), "ab")})

    def start_agent(agent):
        agent["process"] = subprocess.Popen([f"{args.bin}/collector-agent", "--config", agent["config"]], stderr=agent["log"])
        processes.append(agent["process"])

    for agent in agents:
        start_agent(agent)
    for agent in agents:
        if not wait_for(lambda: get(f"http://{agent['metrics']}/metrics")[0] == 200, 30):
            sys.exit("an agent did not start; the end of its log:\n" + end_of_log(agent["log"]))

    accepted = {}  # event id -> (namespace, name)
    documents = set()  # ids of accepted events that carry a document
    refused = [0]
    # Sends that got no answer (the agent was killed mid-request): each may
    # or may not have been spooled, so it may or may not be stored.
    unanswered = {}
    lock = threading.Lock()
    stop = threading.Event()

    def sender(index):
        agent = agents[index]
        sent = 0
        while not stop.is_set():
            sent += 1
            if sent % 2:
                series = (args.mode, f"agent{index}")
                path, body = "/api/track/", {"namespace": series[0], "name": series[1], "value": 1}
            else:
                series = ("stats", f"{args.mode}-agent{index}")
                path, body = "/log/event/", {"uid": f"agent{index}", "event": series[1], "value": 1}
            request = urllib.request.Request(f"http://{agent['intake']}{path}", data=json.dumps(body).encode(), method="POST",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status in (200, 201):
                        answer = json.loads(response.read())
                        event_id = answer if isinstance(answer, str) else answer["id"]
                        with lock:
                            accepted[event_id] = series
                            if path == "/log/event/":
                                documents.add(event_id)
            except (urllib.error.URLError, ConnectionError, OSError):
                # The agent is down (R3): nothing was promised.
                with lock:
                    refused[0] += 1
                    unanswered[series] = unanswered.get(series, 0) + 1
                time.sleep(0.05)

    threads = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(args.agents)]
    for thread in threads:
        thread.start()

    kills = 0
    mid_compaction = 0
    started = time.time()
    while time.time() - started < args.seconds:
        time.sleep(random.uniform(2, 4))
        if args.mode == "r1":
            victim = random.choice(collectors)
            # Whether a compaction round holds its transaction open right now.
            try:
                _, metrics = get(f"http://{victim['http']}/metrics", timeout=1)
                if any(line.startswith("collector_compaction_active") and line.split()[-1] not in ("0", "0.0")
                       for line in metrics.splitlines()):
                    mid_compaction += 1
            except Exception:
                pass
            victim["process"].send_signal(signal.SIGKILL)
            victim["process"].wait()
            kills += 1
            time.sleep(random.uniform(0.2, 1.0))
            start_collector(victim)
        else:
            agent = random.choice(agents)
            agent["process"].send_signal(signal.SIGKILL)
            agent["process"].wait()
            kills += 1
            time.sleep(random.uniform(0.1, 0.5))
            start_agent(agent)
    stop.set()
    for thread in threads:
        thread.join()
    generated = len(accepted)

    def drained():
        for agent in agents:
            _, text = get(f"http://{agent['metrics']}/metrics")
            for line in text.splitlines():
                if line.startswith("agent_spool_batches") and float(line.split()[-1]) != 0:
                    return False
        return True

    settled = wait_for(drained, 120, 0.5)

    def backlog():
        _, text = get(f"http://{http}/metrics")
        for line in text.splitlines():
            if line.startswith("collector_ingest_log_points"):
                return float(line.split()[-1])
        return -1
    compacted = wait_for(lambda: backlog() == 0, 120, 0.5)

    def ask(path, scheme="Bearer"):
        request = urllib.request.Request(f"http://{http}{path}", headers={"Authorization": f"{scheme} {reader}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, None

    missing = [event_id for event_id in sorted(documents) if ask(f"/log/event/{event_id}", "Token")[0] != 200]
    expected = {}
    for series in accepted.values():
        expected[series] = expected.get(series, 0) + 1

    def count(series, granularity):
        status, buckets = ask(f"/api/events/{series[0]}/{series[1]}?aggregationType=count&granularity={granularity}")
        return sum(bucket["value"] for bucket in buckets) if status == 200 else -1
    # Raw points (minute buckets read chunks) must hold one point per
    # accepted event; day buckets read the day rollups: the same count.
    # At least one point per accepted event (none lost), at most one more
    # per send that got no answer (none stored twice).
    counts = {s: count(s, "minute") for s in expected}
    doubled = {f"{s[0]}/{s[1]}": (counts[s], n) for s, n in expected.items()
               if not n <= counts[s] <= n + unanswered.get(s, 0)}
    rollups_differ = {f"{s[0]}/{s[1]}": (count(s, "day"), counts[s]) for s in expected if count(s, "day") != counts[s]}
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()

    what = "collector" if args.mode == "r1" else "agent"
    print(f"{args.mode}: {args.store}, {args.collectors} collector(s), {args.agents} agents, {args.seconds:.0f} s, {kills} {what} kill -9s"
          + (f" ({mid_compaction} while a compaction round held its transaction)" if args.mode == "r1" else "")
          + f"; {generated} events answered 201 ({len(documents)} with documents; {refused[0]} sends refused while an agent was down)")
    print(f"{args.mode}: documents missing {len(missing)}; series whose points != accepted events: {len(doubled)}; "
          f"series whose rollups != raw: {len(rollups_differ)}; spools drained: {settled}; compaction caught up: {compacted}")
    ok = settled and compacted and not missing and not doubled and not rollups_differ and generated > 0 and kills > 0
    if not ok:
        print(f"{args.mode}: FAILED; logs in {work}; missing sample {missing[:5]}; doubled {doubled}; rollups {rollups_differ}")
        sys.exit(1)
    if cluster:
        subprocess.run([script, "stop", cluster], check=True)
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
