"""gunicorn settings for production; each can be overridden by its environment variable.

`make serve` runs it on the local configuration. Long work (imports, large reports)
runs in the Huey consumer, so a request has no reason to take longer than the timeout.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Threads let a worker answer /healthz while another thread waits on the database.
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, so not all at once),
# which bounds the effect of any slow memory growth. Not much more often than that: a
# new worker starts with an empty per-process cache and no database connection, and
# at 2,000 requests (a few seconds of a busy worker) the restarts alone put the list
# page's p99 at 300 ms where it is 55 ms without them (bench_load, README).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 2000))
# Request line and header limits: a request larger than these is refused by gunicorn
# before Django sees it; upload bodies are bounded by Django's settings.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# The app is loaded before forking so workers share its memory pages.
preload_app = True


def post_fork(server, worker):
    # The queue's SQLite connection opened while the app loaded in the master must not
    # be shared with the forked workers; each opens its own on first use.
    from huey.contrib.djhuey import HUEY

    HUEY.storage.close()
