"""gunicorn settings for production: `gunicorn wsgi:app` reads this file from the working
directory. Every value can be overridden by the environment (or gunicorn's own flags)."""

import gc
import os

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
# Recycle workers now and then as a safety net for memory (measured flat; see
# docs/performance.md). Rarely, because a fresh worker starts with empty caches.
max_requests = 100_000
max_requests_jitter = 10_000
# The access log shows method, path and status; questionnaire answers are POST bodies and are
# never logged.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"


def post_worker_init(worker):
    # Everything loaded so far lives as long as the worker: move it out of the garbage
    # collector's sight, so full collections stay short (they otherwise added tens of
    # milliseconds to the slowest requests under load).
    gc.freeze()
