"""gunicorn settings for production: `gunicorn wsgi:app` reads this file from the working
directory. Every value can be overridden by the environment (or gunicorn's own flags)."""

import os

# Listen on loopback unless told otherwise; a reverse proxy usually sits in front.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers suit a 2-core machine; the app keeps no per-user state, so add instances freely.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so that memory stays flat over weeks of uptime.
max_requests = 5000
max_requests_jitter = 500
# The access log shows method, path and status; questionnaire answers are POST bodies and are
# never logged.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
