"""The link checker's network side: one URL in, one verdict out.

Pure of the database and of Flask so it can run in worker threads. Politeness:
a HEAD first (a GET only when the server refuses or fumbles HEAD), a timeout
on every socket operation, a pause between two requests to the same host,
and one worker per host at a time (``check_many``). Private, loopback and
link-local addresses are refused unless allowed, so a link in a resource body
cannot make the hub probe its own network.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

USER_AGENT = "LIP-Anti-Racism-Hub-link-checker/1.0"
#: HEAD answers after which the same URL is asked again with GET: servers that
#: do not implement HEAD, forbid it, or answer it wrongly.
GET_AFTER_HEAD = {400, 403, 404, 405, 406, 429, 500, 501, 502, 503}
MAX_REDIRECTS = 10
READ_LIMIT = 64 * 1024


@dataclass(frozen=True)
class LinkResult:
    url: str
    outcome: str                  # ok | redirect | broken | error | skipped
    status: int | None = None     # first answer (301 for a redirect)
    final_status: int | None = None
    final_url: str | None = None
    error: str = ""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def links_in_html(html: str) -> list[str]:
    """Absolute http(s) links of a body, in order, without duplicates or fragments."""
    parser = _Links()
    parser.feed(html or "")
    seen: dict[str, None] = {}
    for href in parser.hrefs:
        url = href.split("#", 1)[0]
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname:
            seen.setdefault(url, None)
    return list(seen)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class BlockedAddress(Exception):
    pass


def _check_address(url: str, allow_private: bool) -> None:
    """Refuse what must not be fetched: any scheme but http(s) (urllib would
    read ``file:`` paths and follow redirects to ``ftp:``), and, unless
    allowed, hosts on private addresses."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise BlockedAddress(f"{scheme or 'no'} scheme; only http and https links are checked")
    if allow_private:
        return
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return  # let the request itself report the name error
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
                or address.is_multicast or address.is_unspecified):
            raise BlockedAddress(f"{host} resolves to a private address ({address}); not checked")


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects like urllib does, remembering the first status and
    refusing a hop to a private address."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.first_status: int | None = None
        self.hops = 0

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: PLR0917 - urllib's signature
        newurl = urljoin(req.full_url, newurl)
        if self.first_status is None:
            self.first_status = code
        self.hops += 1
        if self.hops > MAX_REDIRECTS:
            raise urllib.error.HTTPError(req.full_url, code, "too many redirects", headers, fp)
        _check_address(newurl, self.allow_private)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"  # urllib would otherwise turn the HEAD into a GET
        return new


def _request(url: str, method: str, timeout: float, allow_private: bool) -> LinkResult:
    redirects = _Redirects(allow_private)
    opener = urllib.request.build_opener(redirects)
    opener.addheaders = [("User-Agent", USER_AGENT), ("Accept", "*/*")]
    req = urllib.request.Request(url, method=method)  # noqa: S310 - _check_address allows http(s) only
    try:
        with opener.open(req, timeout=timeout) as resp:
            if method == "GET":
                resp.read(READ_LIMIT)
            status = resp.status
            final = resp.geturl()
    except urllib.error.HTTPError as exc:
        exc.close()
        first = redirects.first_status or exc.code
        return LinkResult(url, "broken", first, exc.code, exc.geturl() or url, f"HTTP {exc.code}")
    first = redirects.first_status or status
    if redirects.first_status and final != url:
        return LinkResult(url, "redirect", first, status, final)
    return LinkResult(url, "ok", first, status, final)


def _describe(exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    text = str(reason) or reason.__class__.__name__
    return text[:300]


class HostPacer:
    """Keeps at least ``delay`` seconds between the end of one request to a
    host and the start of the next."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.last_end: float | None = None

    def wait(self) -> None:
        if self.last_end is not None:
            pause = self.last_end + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    def done(self) -> None:
        self.last_end = time.monotonic()


def check_url(url: str, *, timeout: float = 10.0, allow_private: bool = False,
              pacer: HostPacer | None = None) -> LinkResult:
    """HEAD the URL, then GET it when HEAD was refused or failed oddly.
    ``pacer`` spaces the requests made to one host."""
    pacer = pacer or HostPacer(0)
    try:
        _check_address(url, allow_private)
    except BlockedAddress as exc:
        return LinkResult(url, "skipped", error=str(exc))
    result: LinkResult | None = None
    for method in ("HEAD", "GET"):
        pacer.wait()
        try:
            result = _request(url, method, timeout, allow_private)
        except BlockedAddress as exc:
            return LinkResult(url, "skipped", error=str(exc))
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            message = _describe(exc)
            result = LinkResult(url, "error", error=message)
            if message in ("timed out", "host not found", "connection refused"):
                return result  # a GET would fail the same way, only slower
            continue
        finally:
            pacer.done()
        if result.outcome != "broken" or result.final_status not in GET_AFTER_HEAD:
            return result
    assert result is not None  # noqa: S101 - for the type checker: the loop above always runs
    return result


def check_many(urls: Iterable[str], *, workers: int = 4, delay: float = 1.0, timeout: float = 10.0,
               allow_private: bool = False,
               on_result: Callable[[LinkResult], None] | None = None) -> dict[str, LinkResult]:
    """Check every URL once with at most ``workers`` threads. Each host's URLs
    are checked one after another by one worker with ``delay`` between
    requests, so no site sees more than one request at a time from us."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in dict.fromkeys(urls):
        by_host[host_of(url)].append(url)
    results: dict[str, LinkResult] = {}
    lock = threading.Lock()

    def run_host(host_urls: list[str]) -> None:
        pacer = HostPacer(delay)
        for url in host_urls:
            result = check_url(url, timeout=timeout, allow_private=allow_private, pacer=pacer)
            with lock:
                results[url] = result
            if on_result:
                on_result(result)

    # Biggest hosts first so the slowest queue starts at once.
    queues = sorted(by_host.values(), key=len, reverse=True)
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="link-check") as pool:
        for future in [pool.submit(run_host, q) for q in queues]:
            future.result()
    return results
