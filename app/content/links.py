"""`flask content check-links`: is every source URL still there?

All URLs are checked at once, politely: at most `per_host` requests to one host at a time and
TOTAL_CONCURRENCY in all, a timeout on each, and no more than `max_redirects` redirects. HEAD
comes first (nothing to download); when a site refuses it, a GET asks again and reads only the
headers. The tests run it against a local server, never the internet.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Coroutine, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
import yaml

USER_AGENT = (
    "PainCareNavigator-LinkCheck/1.0 (Pain Care Navigator site; checks the sources its pages cite)"
)
TIMEOUT = 15.0  # seconds for each step of a request (connect, read)
PER_HOST = 2
TOTAL_CONCURRENCY = 10
SLOW = 5.0  # seconds; slower answers are listed
MAX_REDIRECTS = 5

# Verdicts, in the order a report lists them. Only "dead" fails the command.
VERDICTS = ("dead", "moved", "slow", "limited", "ok")


@dataclass(frozen=True)
class LinkResult:
    url: str
    keys: tuple[str, ...]  # the source keys that cite this URL
    verdict: str  # one of VERDICTS
    status: int | None  # the final HTTP status; None when no answer came
    seconds: float
    moved_to: str | None = None  # where redirects ended, when not at `url`
    reason: str | None = None  # why it is dead or limited, in words

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "keys": list(self.keys)}


def source_urls(content_dir: Path) -> dict[str, list[str]]:
    """URL -> the keys of the sources that give it, from every file in sources/."""
    urls: dict[str, list[str]] = defaultdict(list)
    for path in sorted((content_dir / "sources").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data.get("sources") if isinstance(data, dict) else None
        for item in items or []:
            if isinstance(item, dict) and isinstance(item.get("url"), str):
                urls[item["url"]].append(str(item.get("key", "?")))
    return dict(urls)


def check_links(
    urls: Mapping[str, Iterable[str]] | Iterable[str],
    *,
    timeout: float = TIMEOUT,
    per_host: int = PER_HOST,
    slow: float = SLOW,
    total: int = TOTAL_CONCURRENCY,
    max_redirects: int = MAX_REDIRECTS,
) -> list[LinkResult]:
    """Check each URL once (a mapping gives the source keys citing each), worst first."""
    cited_by = (
        {url: tuple(keys) for url, keys in urls.items()}
        if isinstance(urls, Mapping)
        else {url: () for url in urls}
    )
    work = _check_all(cited_by, timeout, per_host, slow, total, max_redirects)
    results = _run(work)
    return sorted(results, key=lambda result: (VERDICTS.index(result.verdict), result.url))


T = TypeVar("T")


def _run(work: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, also from a thread that already runs an event loop (a caller using
    Playwright's sync API, or a notebook): there the loop gets a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _check_all(
    cited_by: dict[str, tuple[str, ...]],
    timeout: float,
    per_host: int,
    slow: float,
    total: int,
    max_redirects: int,
) -> list[LinkResult]:
    host_gates: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(per_host))
    all_gate = asyncio.Semaphore(total)
    async with httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT},
        timeout=timeout,
        follow_redirects=True,
        max_redirects=max_redirects,
    ) as client:

        async def check(url: str, keys: tuple[str, ...]) -> LinkResult:
            # Wait for the host first, so a busy host never holds one of the shared places.
            async with host_gates[urlsplit(url).hostname or url], all_gate:
                return await _check_one(client, url, keys, timeout, slow, max_redirects)

        return list(await asyncio.gather(*(check(url, keys) for url, keys in cited_by.items())))


async def _check_one(
    client: httpx.AsyncClient,
    url: str,
    keys: tuple[str, ...],
    timeout: float,
    slow: float,
    max_redirects: int,
) -> LinkResult:
    started = time.perf_counter()

    def dead(reason: str) -> LinkResult:
        return LinkResult(url, keys, "dead", None, _since(started), reason=reason)

    try:
        response = await client.head(url)
        if response.status_code >= 400 and response.status_code != 429:
            # Many sites refuse HEAD (403, 405) or answer it wrongly: ask as a browser would.
            response = await _get_headers_only(client, url)
    except httpx.TimeoutException:
        return dead(f"no answer within {timeout:g} s")
    except httpx.TooManyRedirects:
        return dead(f"more than {max_redirects} redirects")
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return dead(f"could not connect: {str(exc) or exc.__class__.__name__}")

    seconds = _since(started)
    final_url = str(response.url)
    moved_to = final_url if response.history and final_url != url else None
    status = response.status_code
    if status == 429:
        verdict, reason = "limited", "the site asked us to slow down (429); check it again later"
    elif status >= 400:
        verdict, reason = "dead", f"HTTP {status} {response.reason_phrase}".strip()
    elif moved_to:
        verdict, reason = "moved", None
    elif seconds > slow:
        verdict, reason = "slow", None
    else:
        verdict, reason = "ok", None
    return LinkResult(url, keys, verdict, status, seconds, moved_to, reason)


async def _get_headers_only(client: httpx.AsyncClient, url: str) -> httpx.Response:
    async with client.stream("GET", url) as response:
        return response  # the body is never read; leaving the block closes the connection


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 2)


def format_results(results: list[LinkResult], slow: float) -> str:
    counts = {verdict: sum(r.verdict == verdict for r in results) for verdict in VERDICTS}
    links = "link" if len(results) == 1 else "links"
    lines = [
        f"Checked {len(results)} {links}: {counts['dead']} dead, {counts['moved']} moved, "
        f"{counts['slow']} slow (over {slow:g} s), {counts['limited']} rate-limited, "
        f"{counts['ok']} fine."
    ]
    if results and all(result.status is None for result in results):
        lines.append("No site answered at all: is this machine online?")
    for result in results:
        if result.verdict == "ok":
            continue
        keys = f" [{', '.join(result.keys)}]" if result.keys else ""
        lines.append(f"{result.verdict.upper():8} {result.url}{keys}")
        if result.moved_to:
            lines.append(f"{'':8} -> {result.moved_to}")
        if result.reason:
            lines.append(f"{'':8} {result.reason}")
        elif result.verdict == "slow":
            lines.append(f"{'':8} {result.seconds:g} s")
    return "\n".join(lines)
