"""One test with a real Huey consumer process, on a queue file of its own."""

import os
import subprocess
import sys
import time

from django.conf import settings


def test_a_real_consumer_process_answers_a_queued_task(tmp_path):
    env = {
        **os.environ,
        "HUEY_FILE": str(tmp_path / "huey.sqlite3"),
        "HUEY_IMMEDIATE": "0",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    # --no-periodic: this consumer must not run the daily tasks on anyone's database.
    log = tmp_path / "consumer.log"
    consumer = subprocess.Popen(
        [*manage, "run_huey", "--workers", "1", "--no-periodic"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        # The consumer first: SqliteHuey creates its file and switches it to WAL as it
        # loads, and two processes doing that to a new file at the same moment can get
        # "database is locked" (the queue_check then fails in Django's app loading).
        _wait_until_started(consumer, log)
        check = subprocess.run(
            [*manage, "queue_check", "--timeout", "60"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        consumer.terminate()
        consumer.wait(timeout=30)

    assert check.returncode == 0, check.stderr + log.read_text(errors="replace")[-3000:]
    assert "queue ok" in check.stdout


def _wait_until_started(consumer, log, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "consumer started" in log.read_text(errors="replace"):
            return
        assert consumer.poll() is None, log.read_text(errors="replace")[-3000:]
        time.sleep(0.2)
    raise AssertionError("the consumer did not start: " + log.read_text(errors="replace")[-3000:])


def test_queue_check_fails_when_no_consumer_runs(tmp_path):
    env = {**os.environ, "HUEY_FILE": str(tmp_path / "huey.sqlite3"), "HUEY_IMMEDIATE": "0"}
    env.pop("REDIS_URL", None)

    check = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "queue_check", "--timeout", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert check.returncode != 0
    assert "no consumer answered" in check.stderr
