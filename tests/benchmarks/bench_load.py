"""Load benchmark (not a test): requests per second and latency under gunicorn.

Run with the test environment (see the Makefile's `bench` target):

    python -m tests.benchmarks.bench_load

It uses bench_pages' data set (var/bench-pages.sqlite3: 20,000 agreements, built once),
starts gunicorn with gunicorn.conf.py and 2 workers on loopback, logs a provincial user
in (a session row, shared with the server through the database), and drives /healthz
and the list, detail and dashboard pages with wrk (Debian package `wrk`), printing
requests/s, p50, p99 and errors for each, after BENCH_LOAD_WARMUP seconds (2) of
requests that are not counted. Beside each line it prints the CPU
time gunicorn's processes spent per request (read from /proc), which other processes
loading the machine hardly move, and the load average. BENCH_LOAD_SECONDS,
BENCH_LOAD_CONNECTIONS, BENCH_LOAD_PORT and BENCH_LOAD_PAGES (e.g. `list,detail`)
change the run.
"""

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.db.models import Count
from django.test import Client

from tests.benchmarks.bench_pages import DATABASE, ROOT, accounts, prepare

SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "8"))
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8765"))
WARMUP = int(os.environ.get("BENCH_LOAD_WARMUP", "2"))
PAGES = os.environ.get("BENCH_LOAD_PAGES", "healthz,list,detail,dashboard").split(",")


def start_server() -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"], cwd=ROOT, env=env
    )
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and of its finished waited-for children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(n) for n in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by gunicorn's master and workers: divided by the requests
    served, a figure the load of other processes on the machine hardly moves."""
    total = _cpu_seconds(server.pid)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == server.pid:
            total += _cpu_seconds(int(entry))
    return total


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def _wrk(path: str, cookie: str, seconds: int) -> str:
    result = subprocess.run(
        [
            "wrk",
            f"-t{min(2, CONNECTIONS)}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: sessionid={cookie}",
            f"http://127.0.0.1:{PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def drive(label: str, path: str, cookie: str, server: subprocess.Popen) -> None:
    # Not counted: each worker's first requests fill its caches (templates, fragments).
    if WARMUP:
        _wrk(path, cookie, WARMUP)
    cpu = server_cpu(server)
    out = _wrk(path, cookie, SECONDS)
    cpu = server_cpu(server) - cpu
    served = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: (.*)", out)
    errors = int(bad.group(1)) if bad else 0
    if sockets:
        errors += sum(int(n) for n in re.findall(r"\d+", sockets.group(1)))
    print(
        f"{label:<12} {path:<26} {rate:8.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
        f"errors {errors}  server CPU {cpu * 1000 / max(served, 1):5.2f} ms/request  "
        f"load {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian package `wrk`)")
    prepare()
    from agreements.models import Agreement

    provincial, _national = accounts()
    detail = (
        Agreement.objects.filter(province_id=provincial.organization.province_id)
        .annotate(n=Count("reviews"))
        .order_by("-n", "pk")
        .first()
    )
    client = Client()
    client.force_login(provincial)
    cookie = client.cookies["sessionid"].value
    print(
        f"data set: {Agreement.objects.count():,} agreements; {CONNECTIONS} connections, {SECONDS} s each"
    )
    server = start_server()
    try:
        for label, path in (
            ("healthz", "/healthz"),
            ("list", "/agreements/"),
            ("detail", f"/agreements/{detail.pk}/"),
            ("dashboard", "/"),
        ):
            if label in PAGES:
                drive(label, path, cookie, server)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
