"""Real databases that a test can take away from a running site and give back: a SQLite file
whose bytes are swapped for garbage, and a PostgreSQL server of the test's own, stopped and
started with pg_ctl (never the one TEST_DATABASE_URL points at, which other tests share)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text


class UnreadableFile:
    """A SQLite database file made unreadable and readable again, as when a disk fails or a
    file is replaced under a running site."""

    def __init__(self, path: Path):
        self.path = path
        self.url = f"sqlite:///{path}"
        with sqlite3.connect(path) as connection:  # everything in the main file, not the WAL
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.good = path.read_bytes()

    def stop(self) -> None:
        with self.path.open("r+b") as handle:
            handle.write(b"this is not a database. " * (len(self.good) // 24))
        # Open connections would otherwise go on reading the pages they hold in memory: a
        # cleared WAL index tells them that the file changed.
        index = self.path.with_name(self.path.name + "-shm")
        if index.exists():
            index.write_bytes(bytes(index.stat().st_size))

    def start(self) -> None:
        with self.path.open("r+b") as handle:
            handle.write(self.good)


def copy_of_sqlite_database(source_url: str, destination: Path) -> UnreadableFile:
    with (
        sqlite3.connect(source_url.removeprefix("sqlite:///")) as source,
        sqlite3.connect(destination) as target,
    ):
        source.backup(target)
    return UnreadableFile(destination)


def postgres_bin() -> Path | None:
    """Debian's PostgreSQL programs (initdb, pg_ctl), newest version first."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name)
    )
    return versions[-1] if versions and (versions[-1] / "pg_ctl").exists() else None


class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1:`port`, with a database `pcn` for user
    `pcn` (trust authentication, loopback only), in a temporary directory."""

    def __init__(self, port: int):
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (Debian package postgresql)")
        self.port = port
        self.directory = Path(tempfile.mkdtemp(prefix="pcn-pg-"))
        self.data = self.directory / "data"
        # PostgreSQL refuses to run as root: the cluster then belongs to the postgres user.
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgresql+psycopg://pcn@127.0.0.1:{port}/pcn"

    def _run(self, program: str, *arguments: str) -> None:
        subprocess.run(
            [*self.as_owner, str(self.bin / program), *arguments],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=120,
        )

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "pcn", "--auth=trust", "--no-sync")
        self.start()
        engine = create_engine(
            self.url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
        )
        with engine.connect() as connection:
            connection.execute(text("CREATE DATABASE pcn"))
        engine.dispose()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.directory / "log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        # "fast": connections are cut at once, as when the database host goes away.
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
