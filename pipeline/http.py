"""HTTP for every network command (``evkg load``, ``evkg query --endpoint``): timeouts, retries,
redirects, authentication and the redaction of credentials, in one place.

* Timeouts: every request has one (connect at most 10 s, read ``timeout``): nothing waits forever.
* Retries (urllib3's ``Retry``): a connection error, a timeout, HTTP 429 or a 5xx answer is
  retried at once, then after ``backoff * 2**n`` seconds (n = 1, 2, …; at most ``max_backoff``;
  a longer ``Retry-After`` wins); the last answer is returned when the retries run out.
* Redirects: 307 and 308 are followed with the same method and body (a PUT stays a PUT with its
  graph); 301, 302 and 303 are not followed (they would turn a POST or PUT into a bodiless GET
  that "succeeds") and are reported with their target. Credentials go only to the origins
  (scheme, host, port) the user named: never to another host a redirect points to.
* Authentication: HTTP basic or digest (``auth``), from ``user`` and ``password``.
* Redaction: :func:`redact` hides the user-info part of every URL in a message
  (``http://alice:s3cret@host/`` → ``http://***@host/``).
"""

from __future__ import annotations

import re
import time
from typing import Callable, Iterable, Optional
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import MaxRetryError
from urllib3.util import Retry

from . import __version__

AUTH_SCHEMES = ("basic", "digest")
TRANSIENT_STATUSES = frozenset({429, *range(500, 600)})
MAX_REDIRECTS = 5
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\s<>\"']*@")


def redact(text: object) -> str:
    """``text`` with the user name and password of every URL in it replaced by ``***``."""
    return _USERINFO.sub(lambda match: f"{match['scheme']}***@", str(text))


def origin(url: str) -> tuple[str, str, Optional[int]]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


class Unreachable(Exception):
    """No answer came, after every retry."""

    def __init__(self, reason: str, attempts: int):
        super().__init__(reason)
        self.reason, self.attempts = reason, attempts


class HttpClient:
    """A requests Session applying this module's rules; ``trusted``: the URLs whose origins may
    receive the credentials."""

    def __init__(self, trusted: Iterable[str], user: Optional[str] = None, password: Optional[str] = None,
                 auth: str = "basic", retries: int = 4, backoff: float = 0.5, max_backoff: float = 30.0,
                 timeout: float = 60.0, sleep: Callable[[float], None] = time.sleep):
        if auth not in AUTH_SCHEMES:
            raise ValueError(f"unknown authentication scheme {auth!r} (known: {', '.join(AUTH_SCHEMES)})")
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"evkg/{__version__}"
        self.session.trust_env = False  # no credentials from ~/.netrc sent to whichever host
        self.auth = None
        if user is not None:
            scheme = requests.auth.HTTPDigestAuth if auth == "digest" else requests.auth.HTTPBasicAuth
            self.auth = scheme(user, password or "")
        self.trusted = {origin(url) for url in trusted if url}
        self.retries, self.backoff, self.max_backoff = retries, backoff, max_backoff
        # (connect, read): a dead host fails fast, a big graph may take a while to store.
        self.timeout = (min(timeout, 10.0), timeout)
        self.sleep = sleep

    def close(self) -> None:
        self.session.close()

    def send(self, method: str, url: str, **kwargs) -> tuple[requests.Response, int]:
        """The response and the number of attempts; raises :class:`Unreachable` when no answer came.

        urllib3's ``Retry`` decides what is retried and how long to wait (the sleeping is ours,
        so that tests need not wait)."""
        retry = Retry(total=self.retries, allowed_methods=None, status_forcelist=TRANSIENT_STATUSES,
                      backoff_factor=self.backoff, backoff_max=self.max_backoff, raise_on_status=False)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._follow(method, url, kwargs)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                try:
                    retry = retry.increment(method, url, error=exc)
                except MaxRetryError:
                    raise Unreachable(network_reason(exc), attempt) from exc
                delay = retry.get_backoff_time()
            else:
                if not retry.is_retry(method, response.status_code, "Retry-After" in response.headers):
                    return response, attempt
                try:
                    retry = retry.increment(method, url, response=response.raw)
                except MaxRetryError:
                    return response, attempt
                delay = min(max(retry.get_backoff_time(), retry.get_retry_after(response.raw) or 0), self.max_backoff)
                response.close()
            if delay > 0:
                self.sleep(delay)

    def _follow(self, method: str, url: str, kwargs: dict) -> requests.Response:
        """One request, following 307/308 redirects with the same method and body."""
        for _ in range(MAX_REDIRECTS):
            auth = self.auth if origin(url) in self.trusted else None
            response = self.session.request(method, url, timeout=self.timeout, allow_redirects=False,
                                            auth=auth, **kwargs)
            location = response.headers.get("Location")
            if response.status_code not in (307, 308) or not location:
                return response
            response.close()
            url = urljoin(response.url, location)
            kwargs = {k: v for k, v in kwargs.items() if k != "params"}  # the target URL is complete
        return response


def network_reason(exc: BaseException) -> str:
    """A short reason for a failed connection ("connection refused"), not urllib3's paragraph."""
    if isinstance(exc, requests.Timeout):
        return "timed out"
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and not isinstance(current, requests.RequestException):
            text = current.strerror or (current.args[0] if current.args and isinstance(current.args[0], str) else "")
            if text:
                return redact(text[:1].lower() + text[1:])
        nested = [getattr(current, "reason", None), current.__cause__, current.__context__]
        nested += [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
        stack.extend(e for e in nested if isinstance(e, BaseException))
    return redact(str(exc).splitlines()[0][:200]) if str(exc) else type(exc).__name__


def http_reason(response: requests.Response) -> str:
    """"HTTP 404 Not Found: <the server's short text>", or where a redirect not followed points."""
    reason = f"HTTP {response.status_code}"
    if response.reason:
        reason += f" {response.reason}"
    if 300 <= response.status_code < 400 and response.headers.get("Location"):
        target = redact(urljoin(response.url or "", response.headers["Location"]))
        return f"{reason} to {target} (not followed: give that URL instead)"
    content_type = response.headers.get("Content-Type", "")
    text = ""
    if content_type.startswith("text/plain") or not content_type:
        try:
            text = " ".join(response.text.split())
        except (UnicodeDecodeError, LookupError):
            text = ""
    if text:
        reason += f": {redact(text[:200])}{'…' if len(text) > 200 else ''}"
    return reason
