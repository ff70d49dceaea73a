"""The TLS settings of delivery's HTTP clients: made once per process, only where https may be
spoken, and always verifying."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from syndicate.delivery.http import make_client

from .conftest import SiteDir
from .servers import self_signed


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def https_server(folder: Path) -> Iterator[str]:
    """A real https server on 127.0.0.1 whose certificate no CA bundle trusts."""
    cert, key = self_signed(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def ca_loads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every CA bundle loaded from now on (httpx loads one with ssl.create_default_context)."""
    loads: list[object] = []
    real = ssl.create_default_context

    def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        loads.append(kwargs.get("cafile") or kwargs.get("capath"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counting)
    return loads


def test_https_clients_share_one_ca_bundle_load_per_process(
    site: SiteDir, ca_loads: list[object]
) -> None:
    config = site.load_config()
    clients = [make_client(config, "https://hooks.example.org/digest") for _ in range(3)]
    clients.append(make_client(config))  # any URL: verifying, the same context
    assert len(ca_loads) <= 1  # the first client of the process may load it, no later one
    for client in clients:
        client.close()


def test_a_plain_http_client_loads_no_ca_bundle(site: SiteDir, ca_loads: list[object]) -> None:
    with make_client(site.load_config(), "http://127.0.0.1:9/hook"):
        pass
    assert ca_loads == []


@pytest.mark.parametrize("base", ["https", "http", None])
def test_every_client_still_refuses_a_certificate_it_cannot_verify(
    base: str | None, site: SiteDir, tmp_path: Path
) -> None:
    # The self-signed server stands for a man in the middle: neither the shared verifying
    # context nor the plain-http client's may let its answer through.
    with https_server(tmp_path) as url:
        given = None if base is None else url.replace("https", base, 1)
        with make_client(site.load_config(), given) as client:
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                client.get(url)
            # ...and the unverified control does get through: the server does answer.
            assert httpx.get(url, verify=False).text == "hello"
