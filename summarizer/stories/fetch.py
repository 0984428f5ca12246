"""Polite, bounded HTTP for feeds and pages (httpx).

* Conditional GET: a feed's ETag and Last-Modified from the last run are sent back
  (``If-None-Match``/``If-Modified-Since``); a 304 costs one request and no parsing.
* Per host: at most ``per_host`` requests in flight and ``delay_s`` between two starts.
* Bounded: ``timeout_s`` per request (connect, read, write, pool), ``max_bytes`` per body (the
  stream is cut as soon as it passes the cap), ``max_redirects`` redirects.
* A failure is one ``Fetched`` with ``error`` set, in one line saying what to do; it never raises.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from .. import __version__

log = logging.getLogger(__name__)

USER_AGENT = f"summarizer-stories/{__version__} (+https://pypi.org/project/summarizer/)"


@dataclass(frozen=True)
class FetchLimits:
    timeout_s: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    per_host: int = 2
    delay_s: float = 1.0


@dataclass
class Fetched:
    url: str
    status: int = 0  # HTTP status; 0 when no answer came
    body: bytes = b""
    final_url: str = ""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    error: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200


class TooLarge(Exception):
    pass


@dataclass
class _Host:
    gate: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = 0.0


class Fetcher:
    """One client for a run (connection reuse); thread-safe."""

    def __init__(self, limits: FetchLimits | None = None, transport: httpx.BaseTransport | None = None):
        self.limits = limits or FetchLimits()
        self.client = httpx.Client(
            timeout=httpx.Timeout(self.limits.timeout_s), follow_redirects=True,
            max_redirects=self.limits.max_redirects, headers={"User-Agent": USER_AGENT}, transport=transport)
        self._hosts: dict[str, _Host] = defaultdict(lambda: _Host(threading.Semaphore(self.limits.per_host)))
        self._hosts_lock = threading.Lock()
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _host(self, url: str) -> _Host:
        with self._hosts_lock:
            return self._hosts[urlsplit(url).netloc.lower()]

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = self._host(url)
        with host.gate:
            with host.lock:  # spacing between starts, not a queue: the gate bounds what is in flight
                wait = host.last + self.limits.delay_s - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                host.last = time.monotonic()
            self.requests += 1
            return self._get(url, headers)

    def _get(self, url: str, headers: dict[str, str]) -> Fetched:
        out = Fetched(url)
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                out.status, out.final_url = r.status_code, str(r.url)
                out.etag, out.last_modified = r.headers.get("etag"), r.headers.get("last-modified")
                out.content_type = r.headers.get("content-type", "")
                if r.status_code == 304:
                    return out
                if r.status_code != 200:
                    out.error = f"HTTP {r.status_code}: check the address, or remove it from the sources"
                    return out
                declared = int(r.headers.get("content-length") or 0)
                if declared > self.limits.max_bytes:
                    raise TooLarge(declared)
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > self.limits.max_bytes:
                        raise TooLarge(size)
                    chunks.append(chunk)
                out.body = b"".join(chunks)
        except TooLarge:
            out.error = (f"over the size cap of {self.limits.max_bytes:,} bytes: not read "
                         "(raise --max-page-bytes if the page is an article)")
        except httpx.TooManyRedirects:
            out.error = f"more than {self.limits.max_redirects} redirects: check the address"
        except httpx.TimeoutException:
            out.error = (f"no answer within {self.limits.timeout_s:g} s (timeout): the host is slow or down; "
                         "tried again next run")
        except httpx.HTTPError as exc:
            out.error = f"cannot fetch ({type(exc).__name__}: {exc}): tried again next run"
        except ValueError as exc:  # a malformed URL
            out.error = f"not a URL httpx can fetch ({exc})"
        return out
