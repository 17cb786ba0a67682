"""The site served by gunicorn for tests, as production runs it (gunicorn.conf.py), on
127.0.0.1 only: start it, wait until it answers, stop it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    env: Mapping[str, str],
    *,
    workers: int = 1,
    threads: int = 0,
    stdout: int | IO = subprocess.DEVNULL,
    stderr: int | IO = subprocess.PIPE,
) -> tuple[subprocess.Popen, str]:
    """gunicorn serving wsgi:app with `env`, and its address. `threads` > 0 gives threaded
    workers (one worker then holds every page a test warms)."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads), "--worker-class", "gthread"]
    command += ["--bind", f"127.0.0.1:{port}", "wsgi:app"]
    server = subprocess.Popen(command, cwd=REPO_ROOT, env=dict(env), stdout=stdout, stderr=stderr)
    return server, f"http://127.0.0.1:{port}"


def answers_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until_serving(
    server: subprocess.Popen, base_url: str, path: str = "/healthz/ready", seconds: float = 30
) -> None:
    """Until `path` answers 200; if gunicorn exits or takes too long, stop it and fail with
    what it said."""
    deadline = time.monotonic() + seconds
    while not answers_ok(base_url + path):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            server.wait()
            said = server.stderr.read().decode() if server.stderr else "(see its log)"
            stop(server)
            raise RuntimeError(f"gunicorn at {base_url} did not start: {said}")
        time.sleep(0.2)


def stop(server: subprocess.Popen, seconds: float = 15) -> None:
    """Stop gunicorn (killed if it does not stop within `seconds`) and close its pipe."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    if server.stderr:
        server.stderr.close()
