#!/usr/bin/env python3
"""Fault tests R1 and R3 with the real binaries on loopback.

R1: AGENTS agents take events from local senders without pause while the
collector is killed with SIGKILL every few seconds and started again.
R3: the same, but agents are the ones killed (mid-push) and restarted.

Every event an agent answered 201 for is spooled on disk; afterwards each one
must be stored exactly once (ids compared) and each series must hold exactly
one point per event (a batch stored twice would add points twice).

usage: kill-test.py r1|r3 BIN_DIR [--seconds N] [--agents N]
"""
import argparse, json, os, random, signal, socket, sqlite3, subprocess, sys, tempfile, threading, time
import urllib.request, urllib.error


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def get(url, timeout=2):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["r1", "r3"])
    parser.add_argument("bin")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--agents", type=int, default=10)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix=f"collector-{args.mode}.")
    data = os.path.join(work, "collector")
    grpc, http = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
    log = open(os.path.join(work, "collector.log"), "ab")
    processes = []
    # No country table: loading one makes every restart slower, and
    # restarts are what this test is about.
    collector_config = os.path.join(work, "collector.yaml")
    with open(collector_config, "w") as f:
        f.write("crawl:\n  geoip_ipv4: ''\n  geoip_ipv6: ''\n")

    def start_collector():
        p = subprocess.Popen([f"{args.bin}/collector", "serve", "--config", collector_config, "--data-dir", data, "--grpc-listen", grpc, "--http-listen", http],
                             stderr=log)
        processes.append(p)
        if not wait_for(lambda: get(f"http://{http}/readyz")[0] == 200, 30):
            sys.exit("collector did not become ready")
        return p

    collector = start_collector()
    token = subprocess.run([f"{args.bin}/collectorctl", "--server", grpc, "--ca", f"{data}/ca.pem", "--token-file",
                            f"{data}/admin.token", "token", "create", "--name", "faults", "--scope", "ingest", "--site", "faults",
                            "--json"], check=True, capture_output=True, text=True).stdout
    with open(os.path.join(work, "agent.token"), "w") as f:
        f.write(json.loads(token)["token"])

    agents = []
    for index in range(args.agents):
        intake = f"127.0.0.1:{free_port()}"
        config = os.path.join(work, f"agent{index}.yaml")
        with open(config, "w") as f:
            f.write(f"""collector:
  address: {grpc}
  ca: {data}/ca.pem
  token_file: {work}/agent.token
state_dir: {work}/agent{index}
uplink:
  flush_interval: 100ms
  backoff_initial: 100ms
  backoff_max: 1s
inputs:
  host_stats:
    enabled: false
  events:
    listen: {intake}
""")
        agents.append({"config": config, "intake": intake, "log": open(os.path.join(work, f"agent{index}.log"), "ab")})

    def start_agent(agent):
        agent["process"] = subprocess.Popen([f"{args.bin}/collector-agent", "--config", agent["config"]], stderr=agent["log"])
        processes.append(agent["process"])

    for agent in agents:
        start_agent(agent)
    for agent in agents:
        if not wait_for(lambda: get(f"http://{agent['intake']}/metrics")[0] == 200, 30):
            sys.exit("an agent did not start")

    accepted = {}  # event id -> series name
    refused = [0]
    lock = threading.Lock()
    stop = threading.Event()

    def sender(index):
        agent = agents[index]
        name = f"agent{index}"
        while not stop.is_set():
            body = json.dumps({"namespace": args.mode, "name": name, "value": 1}).encode()
            request = urllib.request.Request(f"http://{agent['intake']}/api/track/", data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 201:
                        event_id = json.loads(response.read())["id"]
                        with lock:
                            accepted[event_id] = name
            except (urllib.error.URLError, ConnectionError, OSError):
                # The agent is down (R3): nothing was promised.
                with lock:
                    refused[0] += 1
                time.sleep(0.05)

    threads = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(args.agents)]
    for thread in threads:
        thread.start()

    kills = 0
    started = time.time()
    while time.time() - started < args.seconds:
        time.sleep(random.uniform(2, 4))
        if args.mode == "r1":
            collector.send_signal(signal.SIGKILL)
            collector.wait()
            kills += 1
            time.sleep(random.uniform(0.2, 1.0))
            collector = start_collector()
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
            _, text = get(f"http://{agent['intake']}/metrics")
            for line in text.splitlines():
                if line.startswith("agent_spool_batches") and float(line.split()[-1]) != 0:
                    return False
        return True

    settled = wait_for(drained, 120, 0.5)
    db = sqlite3.connect(f"file:{data}/collector.sqlite?mode=ro", uri=True)
    stored = dict(db.execute("SELECT id, name FROM events WHERE namespace = ?", (args.mode,)).fetchall())
    points = dict(db.execute("""SELECT s.name, COUNT(*) FROM points p JOIN series s ON s.id = p.series_id
                                 WHERE s.namespace = ? GROUP BY s.name""", (args.mode,)).fetchall())
    events_by_name = dict(db.execute("SELECT name, COUNT(*) FROM events WHERE namespace = ? GROUP BY name", (args.mode,)).fetchall())
    db.close()

    missing = set(accepted) - set(stored)
    unexpected = set(stored) - set(accepted)
    doubled = {name: points.get(name, 0) - count for name, count in events_by_name.items() if points.get(name, 0) != count}
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()

    what = "collector" if args.mode == "r1" else "agent"
    print(f"{args.mode}: {args.agents} agents, {args.seconds:.0f} s, {kills} {what} kill -9s; "
          f"{generated} events answered 201 ({refused[0]} sends refused while an agent was down)")
    print(f"{args.mode}: stored {len(stored)}; missing {len(missing)}; not generated here {len(unexpected)}; "
          f"series with points != events: {len(doubled)}; spools drained: {settled}")
    ok = settled and not missing and not doubled and generated > 0 and kills > 0
    if not ok:
        print(f"{args.mode}: FAILED; logs in {work}; missing sample {sorted(missing)[:5]}; doubled {doubled}")
        sys.exit(1)
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
