"""`bantin nginx`: the nginx configuration for a unit that hosts its built site itself.

What it encodes, and why:
- files whose names carry a content hash (our scripts and stylesheets, Material's, the search index folder; see
  `bantin.fingerprint`) are cached for a year as immutable; pages, feeds and the sitemap for five minutes, so a
  new item shows up quickly; other files (images beside articles) for a day, since an editor may replace one;
- the Vietnamese 404 page for every address that does not exist;
- the security headers on every response, errors included: the Content-Security-Policy and Referrer-Policy of
  `bantin.csp` (the one place they are written), `X-Content-Type-Options: nosniff`, no framing;
- `name.gz` served in place of `name` where the build left one, and text compressed on the fly otherwise.

nginx does not inherit `add_header` into a location that sets its own, so every location repeats the headers:
they are written once here and repeated by the generator.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

YEAR = "public, max-age=31536000, immutable"
HASHED_ASSETS = (
    r"assets/(?:bantin/[a-z0-9-]+\.[0-9a-f]{10}\.(?:css|js)"
    r"|(?:stylesheets|javascripts)/(?:[a-z0-9-]+/)*[a-z0-9-]+\.[0-9a-f]{8}\.min\.(?:css|js))"
)
"""Where, below the site's address, files are named for a hash of their bytes (ours, bantin.fingerprint, and
Material's): cached for a year, here and by `mkdocs serve` (bantin.rebuilds)."""
PAGES = "public, max-age=300"
FILES = "public, max-age=86400"
COMPRESSED_TYPES = "text/css application/javascript application/xml application/rss+xml image/svg+xml text/xml"


@dataclass(frozen=True)
class Server:
    site_url: str
    root: str
    listen: str
    policy: str
    referrer_policy: str

    @property
    def prefix(self) -> str:
        """The site's path below the host: "/" or "/ban-tin/" (the built site then lives in `root`/ban-tin/)."""
        path = urlsplit(self.site_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def host(self) -> str:
        return urlsplit(self.site_url).hostname or "_"


def quoted(value: str) -> str:
    """A double-quoted nginx string: printable ASCII only, and none of `"`, `\\`, `$` (nginx expands variables)."""
    if not all(" " <= char <= "~" and char not in '"\\$' for char in value):
        raise ValueError(f"cannot be written into nginx's configuration: {value!r}")
    return f'"{value}"'


def plain(value: str) -> str:
    """A bare nginx word (a port, address or host name): letters, digits and `.:-_[]` only."""
    if not re.fullmatch(r"[A-Za-z0-9.:_\[\]-]+", value):
        raise ValueError(f"cannot be written into nginx's configuration: {value!r}")
    return value


def headers(server: Server, cache: str) -> list[str]:
    return [
        f"add_header Content-Security-Policy {quoted(server.policy)} always;",
        f"add_header Referrer-Policy {quoted(server.referrer_policy)} always;",
        'add_header X-Content-Type-Options "nosniff" always;',
        'add_header X-Frame-Options "DENY" always;',
        f"add_header Cache-Control {quoted(cache)} always;",
    ]


def location(match: str, server: Server, cache: str, *extra: str) -> list[str]:
    body = [*extra, *headers(server, cache)]
    return [f"    location {match} {{", *(f"        {line}" for line in body), "    }", ""]


def server_config(server: Server) -> str:
    """The `server { … }` block, for /etc/nginx/sites-available/ (or `include` from an existing server)."""
    prefix = server.prefix
    if not re.fullmatch(r"/(?:[A-Za-z0-9._~-]+/)*", prefix):
        raise ValueError(f"the site's path cannot be written into nginx's configuration: {prefix!r}")
    escaped = prefix.replace(".", r"\.")
    # Regular expressions are quoted: nginx would read their `{10}` as a block.
    hashed_assets = f'~ "^{escaped}{HASHED_ASSETS}$"'
    search_index = rf'~ "^{escaped}tim-kiem/chi-muc/[0-9a-f]{{10}}/"'
    other_files = rf'~ "^{escaped}.+\.(?:jpe?g|png|gif|webp|avif|svg|ico|pdf|docx?|xlsx?|mp3|mp4|webm)$"'
    lines = [
        f"# Bản tin: {server.site_url} (tạo bằng `bantin nginx`; tạo lại sau mỗi lần nâng cấp Bản tin).",
        "# HTTPS: thêm `listen 443 ssl;`, `ssl_certificate`, `ssl_certificate_key` của đơn vị.",
        "server {",
        f"    listen {plain(server.listen)};",
        f"    server_name {plain(server.host)};",
        f"    root {quoted(server.root)};",
        "    index index.html;",
        "    charset utf-8;",
        "    server_tokens off;",
        "    absolute_redirect off;",
        "    gzip_static on;",
        "    gzip on;",
        "    gzip_vary on;",
        f"    gzip_types {COMPRESSED_TYPES};",
        f"    error_page 404 {prefix}404.html;",
        "",
        *location(hashed_assets, server, YEAR),
        *location(search_index, server, YEAR, "default_type application/octet-stream;"),
        *location(other_files, server, FILES),
        *location(prefix, server, PAGES),
        "}",
    ]
    return "\n".join(lines) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dia-chi", dest="site_url", help="địa chỉ trang (mặc định: site_url trong mkdocs.yml của thư mục hiện tại)"
    )
    parser.add_argument(
        "--thu-muc",
        dest="root",
        default="/var/www/ban-tin",
        help="thư mục trên máy chủ chứa các tệp của site/ (trang có đường dẫn con: thư mục chứa đường dẫn đó)",
    )
    parser.add_argument("--cong", dest="listen", default="80", help="cổng hoặc địa chỉ:cổng nginx nghe (mặc định: 80)")
    parser.add_argument(
        "-f", "--config-file", default="mkdocs.yml", help="tệp cấu hình của trang (mặc định: mkdocs.yml)"
    )


def run_nginx(args: argparse.Namespace) -> int:
    from bantin.csp import HEADER_POLICY, REFERRER_POLICY

    site_url = args.site_url or configured_site_url(args.config_file)
    if not site_url:
        print("Chưa biết địa chỉ trang: ghi site_url trong mkdocs.yml hoặc thêm --dia-chi https://…/", file=sys.stderr)
        return 1
    try:
        config = server_config(Server(site_url, args.root, args.listen, HEADER_POLICY, REFERRER_POLICY))
    except ValueError as error:
        print(f"Không tạo được cấu hình nginx: {error}", file=sys.stderr)
        return 1
    print(config, end="")
    return 0


def configured_site_url(config_file: str) -> str | None:
    """`site_url` as MkDocs reads it from the site's mkdocs.yml (with `!ENV` resolved), or None."""
    if not Path(config_file).is_file():
        return None
    from mkdocs.config import load_config

    url = load_config(config_file).site_url
    return str(url) if url else None
