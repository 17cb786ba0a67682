"""The site served by gunicorn for tests, as production runs it (gunicorn.conf.py), on
127.0.0.1 only: start it, wait until it answers, stop it."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
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
    stderr: IO | None = None,
) -> tuple[subprocess.Popen, str]:
    """gunicorn serving wsgi:app with `env`, and its address. `threads` > 0 gives threaded
    workers (one worker then holds every page a test warms). What gunicorn says goes to
    `stderr`, or to a temporary file (not a pipe, which would fill while nobody reads it)."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads), "--worker-class", "gthread"]
    command += ["--bind", f"127.0.0.1:{port}", "wsgi:app"]
    said = stderr if stderr is not None else tempfile.TemporaryFile()  # noqa: SIM115 (stop)
    server = subprocess.Popen(command, cwd=REPO_ROOT, env=dict(env), stdout=stdout, stderr=said)
    if stderr is None:
        server.said = said  # read and closed by wait_until_serving and stop
    return server, f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def gunicorn_instances(env: Mapping[str, str], count: int = 2) -> Iterator[list[str]]:
    """`count` separate gunicorn instances with the same `env`, as several machines run the
    site behind a load balancer: their addresses, once each answers."""
    instances = [start_gunicorn(env) for _ in range(count)]
    try:
        for server, url in instances:
            wait_until_serving(server, url)
        yield [url for _, url in instances]
    finally:
        for server, _ in instances:
            stop(server)


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
            said = what_it_said(server)
            stop(server)
            raise RuntimeError(f"gunicorn at {base_url} did not start: {said}")
        time.sleep(0.2)


def what_it_said(server: subprocess.Popen) -> str:
    if server.poll() is None:  # let it finish, and its workers with it, before reading
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=15)
    said = getattr(server, "said", None)
    if said is None:
        return "(see its log)"
    said.seek(0)
    return said.read().decode(errors="replace")[-3000:]


def stop(server: subprocess.Popen, seconds: float = 15) -> None:
    """Stop the server (killed if it does not stop within `seconds`), and close what it wrote
    to: its temporary file, or a pipe the caller gave it."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    said = getattr(server, "said", None)
    if said is not None:
        said.close()
    if server.stderr:
        server.stderr.close()
