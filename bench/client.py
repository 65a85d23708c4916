"""A small HTTP client that behaves like a browser tab: one cookie jar, CSRF tokens taken from
the page, no automatic redirects, and the server's own time read from Server-Timing."""
import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SERVER_TIMING = re.compile(r"app;dur=([\d.]+)")


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    server_ms: float
    total_ms: float

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def location(self):
        return self.headers.get("location", "")


class Client:
    def __init__(self, base_url, timeout=60):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port, self.timeout = parsed.hostname, parsed.port, timeout
        self.cookies = {}

    def request(self, method, path, form=None, headers=None):
        body = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        path = urllib.parse.quote(path, safe="/?=&%:+,;")  # search terms typed with spaces and å/ä/ö
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            data = raw.read()
        finally:
            connection.close()
        total = (time.perf_counter() - started) * 1000
        for header, value in raw.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        response_headers = {k.lower(): v for k, v in raw.getheaders()}
        timing = SERVER_TIMING.search(response_headers.get("server-timing", ""))
        return Response(raw.status, response_headers, data, float(timing.group(1)) if timing else total, total)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, form, **kwargs):
        return self.request("POST", path, form=form, **kwargs)

    def csrf_token(self, path):
        page = self.get(path)
        match = CSRF_FIELD.search(page.text)
        if not match:
            raise RuntimeError(f"Ingen CSRF-kod på {path} (status {page.status})")
        return match.group(1)

    def submit(self, path, form, token_from=None):
        """POST a form the way the browser does: with the token of the page it came from."""
        return self.post(path, {"csrf_token": self.csrf_token(token_from or path), **form})

    def log_in(self, email, password):
        response = self.submit("/auth/", {"email": email, "password": password})
        if response.status != 302:
            raise RuntimeError(f"Inloggningen som {email} misslyckades (status {response.status})")
        return self
