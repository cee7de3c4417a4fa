"""deploy/: the Kubernetes manifest and the Grafana dashboard parse and agree with
what ig serves. Not applied to a cluster: YAML through python3-yaml, the config
through tomllib, the dashboard's PromQL through `promtool check rules`.
Exit 0 pass, 1 fail, 77 skip (python3-yaml missing)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib

try:
    import yaml
except ImportError:
    print("SKIP deploy: needs python3-yaml; run scripts/install-deps.sh")
    sys.exit(77)

DEPLOY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy")
# Every family ig's /metrics can carry: bpfstats' collector, then the daemon's own.
IG_METRICS = {
    "runtime_total", "runcount_total", "mapMemory", "mapCount", "mapMemoryReal", "progMemory", "recursionMisses_total",
    "ig_instances", "ig_instance_events_total", "ig_instance_lost_events_total", "ig_build_info",
    "ig_metrics_published_series", "ig_metrics_scrape_duration_seconds",
    "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
    "process_open_fds", "process_max_fds", "process_start_time_seconds",
}
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def manifest():
    with open(os.path.join(DEPLOY, "ig-daemonset.yaml")) as f:
        docs = {d["kind"]: d for d in yaml.safe_load_all(f) if d}
    check(set(docs) == {"Namespace", "ConfigMap", "DaemonSet"}, f"kinds: {sorted(docs)}")
    ds = docs["DaemonSet"]
    check(ds["apiVersion"] == "apps/v1", "the DaemonSet is not apps/v1")
    template = ds["spec"]["template"]
    labels = template["metadata"]["labels"]
    check(all(labels.get(k) == v for k, v in ds["spec"]["selector"]["matchLabels"].items()),
          "the selector does not match the pod labels")
    pod = template["spec"]
    check(pod.get("hostPID") is True, "hostPID is not true")
    (container,) = pod["containers"]
    check(container["securityContext"].get("privileged") is True, "the container is not privileged")
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    check("metrics" in ports, "no port named 'metrics'")
    annotations = template["metadata"]["annotations"]
    check(annotations.get("prometheus.io/scrape") == "true", "no prometheus.io/scrape annotation")
    check(annotations.get("prometheus.io/path") == "/metrics", "prometheus.io/path is not /metrics")
    check(annotations.get("prometheus.io/port") == str(ports.get("metrics")),
          f"prometheus.io/port {annotations.get('prometheus.io/port')} is not the metrics port {ports.get('metrics')}")
    for probe in ("readinessProbe", "livenessProbe"):
        check(container[probe]["httpGet"] == {"path": "/metrics", "port": "metrics"}, f"{probe} does not GET /metrics")

    # The config the daemon reads: metrics on the container port, stats on.
    env = {e["name"]: e["value"] for e in container.get("env", [])}
    config_dir = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}["config"]
    check(env.get("IG_CONFIG") == config_dir + "/config.toml", f"IG_CONFIG is {env.get('IG_CONFIG')}")
    config = tomllib.loads(docs["ConfigMap"]["data"]["config.toml"])
    listen = config.get("metrics", {}).get("listen", "")
    check(re.fullmatch(r"[0-9.]+:(\d+)", listen) and int(listen.rsplit(":", 1)[1]) == ports.get("metrics"),
          f"metrics.listen {listen!r} is not on the metrics port")
    check(config.get("enable_bpfstats") is True, "enable_bpfstats is not on")
    script = " ".join(container.get("command", []) + container.get("args", []))
    check("ig daemon" in script and "bpfstats --metrics --detach" in script,
          "the container does not run the daemon and a bpfstats collector")

    # The host paths the daemon needs.
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    for path in ("/sys/fs/bpf", "/sys/kernel/tracing", "/sys/kernel/btf", "/var/lib/ig"):
        check(path in mounts, f"{path} is not mounted")
        if path in mounts:
            host = volumes[mounts[path]].get("hostPath", {}).get("path")
            check(host == path, f"{path} comes from host path {host}")
    check("/run/ig" in mounts, "/run/ig (the control socket) is not mounted")
    socket = config.get("socket", "")
    check(os.path.dirname(socket) == "/run/ig" and socket in script, f"the script waits for another socket than {socket}")


def dashboard():
    with open(os.path.join(DEPLOY, "grafana-dashboard.json")) as f:
        board = json.load(f)
    panels = board["panels"]
    check(len({p["id"] for p in panels}) == len(panels), "panel ids repeat")
    exprs = [(p["title"], t["expr"]) for p in panels for t in p["targets"]]
    check(exprs, "no queries")
    all_text = " ".join(e for _, e in exprs)
    check(re.search(r"rate\(runtime_total\{[^}]*\}\[1m\]\)", all_text), "no rate(runtime_total[1m]) panel")
    check("mapMemory" in all_text, "no map memory panel")
    check("ig_instance_lost_events_total" in all_text, "no lost events panel")
    for name in ("mapMemoryReal", "progMemory", "recursionMisses_total"):
        check(re.search(name + r"\{", all_text), f"no {name} panel")
    for title, expr in exprs:
        for name in re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\{", expr):
            check(name in IG_METRICS, f"panel {title!r} queries {name}, which ig does not serve")
    variables = {v["name"] for v in board["templating"]["list"]}
    for _, expr in exprs:
        for var in re.findall(r"\$(\w+)", expr):
            check(var in variables, f"${var} is not a dashboard variable")
    return exprs


def promql(exprs):
    promtool = shutil.which("promtool")
    if not promtool:
        print("note: promtool not found; PromQL syntax not checked (scripts/install-deps.sh installs it)")
        return
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"ig:dashboard:{i}", "expr": e.replace("$top", "10").replace("$node", ".*").replace("$job", ".*")}
        for i, (_, e) in enumerate(exprs)]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".yml") as f:
        yaml.safe_dump(rules, f)
        f.flush()
        p = subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True, timeout=30)
    check(p.returncode == 0, f"promtool check rules: {p.stdout.strip()} {p.stderr.strip()}")


manifest()
promql(dashboard())
for failure in failures:
    print(f"FAIL {failure}")
print(f"deploy: {'ok' if not failures else str(len(failures)) + ' failed'}")
sys.exit(1 if failures else 0)
