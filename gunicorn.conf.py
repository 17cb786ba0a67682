"""gunicorn settings for production: `gunicorn wsgi:app` reads this file from the working
directory. Every value can be overridden by the environment (or gunicorn's own flags)."""

import gc
import os
import shutil
import tempfile

# Listen on loopback unless told otherwise; a reverse proxy usually sits in front.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers suit a 2-core machine; the app keeps no per-user state, so add instances freely.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Load the app once in the master and fork workers from it: a new worker is ready in
# milliseconds instead of the second an import takes, and the workers share that memory.
# The app opens no database connection while loading, so none is shared between workers.
preload_app = True
# The workers never run migrations (`flask db upgrade` does, from a shell): leave Flask-Migrate
# and Alembic out of them, 11 MB each (docs/performance.md).
os.environ.setdefault("DATABASE_MIGRATIONS", "false")
# Recycle workers now and then as a safety net for memory (measured flat; see
# docs/performance.md). Rarely, because a fresh worker starts with empty caches.
max_requests = 100_000
max_requests_jitter = 10_000
# Off: the app writes one JSON line per request itself (app/request_log.py), without the query
# string that gunicorn's access log shows. GUNICORN_ACCESS_LOG=- turns it on (to stdout).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"


def post_worker_init(worker):
    # Everything loaded so far lives as long as the worker: move it out of the garbage
    # collector's sight, so full collections stay short (they otherwise added tens of
    # milliseconds to the slowest requests under load).
    gc.freeze()


# Metrics in prometheus_client's multiprocess mode (app/metrics.py): each worker writes its
# numbers to files in PROMETHEUS_MULTIPROC_DIR and a scrape adds up every file there. It must be
# set before the app, preloaded in this process, imports prometheus_client, and must start
# empty, or counts from an earlier run would be added in. Unless the operator names one (and
# empties it before each start, docs/deploy.md), each master makes its own and removes it at
# exit. A reload (HUP) reads this file again and keeps the directory its workers write to; a
# new master (USR2) makes its own, since the old one removes its directory when it stops.
METRICS_DIR_OWNER = "PAIN_CARE_NAVIGATOR_METRICS_DIR_OWNER"  # pid of the master that made it


def make_metrics_directory() -> None:
    owner = os.environ.get(METRICS_DIR_OWNER)
    if owner == str(os.getpid()):
        return
    if owner is None and os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return  # the operator's
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="pain-care-navigator-metrics-")
    os.environ[METRICS_DIR_OWNER] = str(os.getpid())


make_metrics_directory()


def child_exit(server, worker):
    # Only gauges of the "live" kinds are dropped with their worker; counts stay in the total.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if os.environ.get(METRICS_DIR_OWNER) == str(os.getpid()):
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
