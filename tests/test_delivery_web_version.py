"""The web version's check before mailing shares the process's TLS settings: the CA bundle is
loaded once per process, not once more for the check's own client."""

from __future__ import annotations

import ssl
from types import SimpleNamespace
from typing import Any

import pytest

from syndicate.config import load_config
from syndicate.delivery import http
from syndicate.delivery.run import _check_web_version

from .conftest import SiteDir
from .servers import _Quiet, _serving


class _Page(_Quiet):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


def test_checking_the_web_version_loads_no_ca_bundle_of_its_own(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(site.config("[delivery]\ncheck_web_version = true\n"))
    loads: list[Any] = []
    real = ssl.SSLContext.load_verify_locations

    def counting(self: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        loads.append(args or kwargs)
        real(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    http._verifying.cache_clear()
    http.tls_context("https://api.example.com/")  # a transport's client, made first
    with _serving(_Page) as url:
        for _ in range(3):
            _check_web_version(config, SimpleNamespace(web_url=url + "digests/x/"))  # type: ignore[arg-type]
    assert len(loads) == 1


def test_the_web_version_is_still_checked(site: SiteDir) -> None:
    from syndicate.errors import RetryLaterError

    config = load_config(site.config("[delivery]\ncheck_web_version = true\ntimeout = 1\n"))
    with _serving(_Page) as url:
        _check_web_version(config, SimpleNamespace(web_url=url))  # type: ignore[arg-type]
    with pytest.raises(RetryLaterError, match="does not answer"):
        _check_web_version(config, SimpleNamespace(web_url=url))  # type: ignore[arg-type]
