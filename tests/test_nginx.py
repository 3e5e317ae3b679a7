"""The demo site served by a real nginx (Debian's, installed by `make test`) with the configuration `bantin nginx`
writes: status codes, caching and security headers, the Vietnamese 404, precompressed files, and every page
loading in Chromium with no Content-Security-Policy violation."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bantin.csp import HEADER_POLICY, REFERRER_POLICY
from bantin.nginx import PAGES, YEAR, Server, server_config
from tests.conftest import free_port

NGINX = Path("/usr/sbin/nginx")
SITE_URL = "https://bantin.example.vn/"


def main_config(run: Path, site_config: Path) -> str:
    """nginx.conf around the site's server block, everything under `run` so no system file is touched."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # the workers must read the site in pytest's private tmp
    temp = "\n".join(
        f"  {kind}_temp_path {run / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\ndaemon off;\npid {run / 'nginx.pid'};\nerror_log {run / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n"
        f"{temp}\n  include {site_config};\n}}\n"
    )


@contextlib.contextmanager
def serving(root: Path, site_url: str, run: Path) -> Iterator[str]:
    """nginx with `bantin nginx`'s server block for `site_url`, files under `root`, on a loopback port."""
    assert NGINX.is_file(), "nginx is missing: `make test` installs Debian's nginx"
    port = free_port()
    config = server_config(Server(site_url, str(root), f"127.0.0.1:{port}", HEADER_POLICY, REFERRER_POLICY))
    (run / "bantin.conf").write_text(config, encoding="utf-8")
    (run / "nginx.conf").write_text(main_config(run, run / "bantin.conf"), encoding="utf-8")
    command: list[str | Path] = [NGINX, "-p", str(run), "-c", str(run / "nginx.conf"), "-e", str(run / "error.log")]
    test = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    server = subprocess.Popen(command)
    try:
        for _ in range(200):  # bounded wait for the port
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def nginx(demo_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """nginx serving a copy of the demo site (the copy gets a precompressed page)."""
    run = tmp_path_factory.mktemp("nginx")
    site = run / "site"
    shutil.copytree(demo_site, site)
    with serving(site, SITE_URL, run) as base:
        yield base, site


def get(base: str, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path, headers={"Host": "bantin.example.vn", **headers})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {name.lower(): value for name, value in response.getheaders()}, body


def assert_security_headers(headers: dict[str, str]) -> None:
    assert headers["content-security-policy"] == HEADER_POLICY
    assert headers["referrer-policy"] == REFERRER_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "server" not in headers or "/" not in headers["server"]  # no version number


def test_pages_and_feeds_are_cached_briefly_with_every_security_header(nginx: tuple[str, Path]) -> None:
    base, _ = nginx
    for path, kind in (("/", "text/html"), ("/tin/", "text/html"), ("/feed.xml", "xml"), ("/sitemap.xml", "xml")):
        status, headers, _ = get(base, path)
        assert status == 200, path
        assert kind in headers["content-type"], (path, headers["content-type"])
        assert headers["cache-control"] == PAGES, path
        assert_security_headers(headers)
    status, headers, _ = get(base, "/tin")
    assert status == 301 and headers["location"] == "/tin/"


def test_hashed_assets_and_search_shards_are_immutable(nginx: tuple[str, Path]) -> None:
    base, site = nginx
    hashed = [path.relative_to(site).as_posix() for path in (site / "assets" / "bantin").iterdir()]
    material = [
        path.relative_to(site).as_posix()
        for path in (site / "assets").rglob("*.min.*")
        if re.search(r"\.[0-9a-f]{8}\.min\.(css|js)$", path.name)
    ]
    shards = [path.relative_to(site).as_posix() for path in site.glob("tim-kiem/chi-muc/*/*.bin")]
    shards += [path.relative_to(site).as_posix() for path in list(site.glob("tim-kiem/chi-muc/*/t/*.bin"))[:3]]
    assert hashed and material and shards
    for path in hashed + material + shards:
        status, headers, _ = get(base, "/" + path)
        assert status == 200, path
        assert headers["cache-control"] == YEAR, path
        assert_security_headers(headers)
    # What carries no hash is never cached for long.
    status, headers, _ = get(base, "/assets/images/favicon.png")
    assert status == 200 and "immutable" not in headers["cache-control"]


def test_unknown_address_gets_the_vietnamese_404(nginx: tuple[str, Path]) -> None:
    base, _ = nginx
    for path in ("/khong-co-trang-nay/", "/tin/2099/khong-co.html", "/tim-kiem/chi-muc/0000000000/meta.bin"):
        status, headers, body = get(base, path)
        assert status == 404, path
        assert "Không tìm thấy trang" in body.decode("utf-8"), path
        assert_security_headers(headers)


def test_precompressed_file_is_served_where_present(nginx: tuple[str, Path]) -> None:
    base, site = nginx
    page = site / "xem-nhieu" / "index.html"
    marker = page.read_text(encoding="utf-8").replace("</body>", "<!-- bản nén sẵn --></body>")
    (page.parent / "index.html.gz").write_bytes(gzip.compress(marker.encode("utf-8")))
    status, headers, body = get(base, "/xem-nhieu/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "bản nén sẵn" in gzip.decompress(body).decode("utf-8")
    status, headers, body = get(base, "/xem-nhieu/")
    assert "content-encoding" not in headers and "bản nén sẵn" not in body.decode("utf-8")


def test_every_page_loads_in_the_browser_with_no_csp_violation(nginx: tuple[str, Path], browser: object) -> None:
    base, site = nginx
    pages = sorted(
        "/" + path.relative_to(site).as_posix().removesuffix("index.html")
        for path in site.rglob("*.html")
        if path.name != "404.html"
    )
    assert len(pages) > 50
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    not_found = "/khong-co-trang-nay/"

    def console(message: Any) -> None:
        # The one error the 404 page logs is its own status, which the 404 test checks.
        if message.type == "error" and not (page.url.endswith(not_found) and "status of 404" in message.text):
            problems.append(f"{page.url}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))

    def failed(request: Any) -> None:
        # Requests still running when the next page is opened are aborted by that navigation, not refused;
        # one the policy refuses fails as net::ERR_BLOCKED_BY_CSP and is reported.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"{page.url}: {request.failure} {request.url}")

    page.on("requestfailed", failed)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )

    def moved(path: str) -> bool:
        return 'http-equiv="refresh"' in (site / path.lstrip("/") / "index.html").read_text("utf-8")

    for path in [*pages, not_found]:
        address = base.rstrip("/") + path
        page.goto(address, wait_until="load")
        if path != not_found and moved(path):  # the page sends the browser on at once: wait for where it lands
            page.wait_for_url(lambda url, left=address: url != left, wait_until="load")
    page.goto(base + "tim-kiem/?q=d%C3%A2n+v%E1%BA%ADn")
    page.wait_for_selector("[data-bt-results] li", timeout=15000)
    context.close()
    assert problems == []


def test_sub_path_site_is_served_below_its_path(tmp_path: Path) -> None:
    from tests.test_adoption import SITE_URL as SUB_PATH_URL
    from tests.test_adoption import build_unit, unit_site

    (tmp_path / "unit").mkdir()
    site = build_unit(unit_site(tmp_path / "unit"))
    root = tmp_path / "www"
    shutil.copytree(site, root / "ban-dan-van")
    run = tmp_path / "run"
    run.mkdir()
    with serving(root, SUB_PATH_URL, run) as base:
        status, headers, body = get(base, "/ban-dan-van/")
        assert status == 200 and headers["cache-control"] == PAGES and "Tin mới" in body.decode("utf-8")
        assert_security_headers(headers)
        (css,) = (root / "ban-dan-van" / "assets" / "bantin").glob("bantin.*.css")
        status, headers, _ = get(base, f"/ban-dan-van/assets/bantin/{css.name}")
        assert status == 200 and headers["cache-control"] == YEAR
        for missing in ("/ban-dan-van/khong-co/", "/khong-co/"):
            status, headers, body = get(base, missing)
            assert status == 404 and "Không tìm thấy trang" in body.decode("utf-8"), missing
            assert_security_headers(headers)


def test_bantin_nginx_prints_the_configuration_for_the_site_in_mkdocs_yml(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bantin.cli import main
    from tests.conftest import REPO

    monkeypatch.delenv("BANTIN_CONTENT_DIR", raising=False)
    assert main(["nginx", "-f", str(REPO / "mkdocs.yml"), "--thu-muc", "/var/www/ban-tin"]) == 0
    expected = server_config(Server(SITE_URL, "/var/www/ban-tin", "80", HEADER_POLICY, REFERRER_POLICY))
    assert capsys.readouterr().out == expected
    assert main(["nginx", "--dia-chi", 'https://x.vn/"; evil', "-f", "khong-co.yml"]) == 1
    assert "Không tạo được cấu hình nginx" in capsys.readouterr().err
