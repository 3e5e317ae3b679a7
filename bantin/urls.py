"""Every page's address, and where MkDocs serves it: the one place a URL is made.

The engine knows a page by its *address*: its path below the site root as served with directory URLs
(`tin/2023/hoi-nghi/`, `don-vi/ban-dan-van/trang/2/`, `` for the home page). Where a site sets
`use_directory_urls: false`, MkDocs serves the same page as `tin/2023/hoi-nghi.html`; `Addresses` maps each address
to the path MkDocs actually gave the page, so links, feeds, citations and search results all follow the site's choice.
A `site_url` with a sub-path (`https://example.vn/ban-tin/`) needs nothing here: pages link relatively, and absolute
links are joined to the full `site_url`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from posixpath import splitext

from bantin.text import make_slug


def address_of(src_uri: str) -> str:
    """The address of the page built from `src_uri` ("tin/index.md" → "tin/", "tin/2023/x.md" → "tin/2023/x/")."""
    stem = splitext(src_uri)[0]
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def listing_address(base: str, number: int) -> str:
    """Page `number` of a listing at `base` ("don-vi/x/", 2 → "don-vi/x/trang/2/")."""
    return base if number == 1 else f"{base}trang/{number}/"


def document_address(slug: str) -> str:
    """The page of a cited document, by its number's slug (`bantin.citations.document_slug`)."""
    return f"van-ban/{slug}/"


def category_address(name: str) -> str:
    return f"chuyen-muc/{make_slug(name)}/"


def topic_address(name: str) -> str:
    return f"chu-de/{make_slug(name)}/"


@dataclass(frozen=True)
class Addresses:
    """Address → the path MkDocs serves that page at; an address of no known page is returned unchanged."""

    served: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of_pages(cls, pages: Iterable[tuple[str, str]], others: Mapping[str, str] | None = None) -> Addresses:
        """From (src_uri, url) of every page, as MkDocs computed `url` for the site's `use_directory_urls`,
        and `others`: published names of files whose names carry a hash (`bantin.fingerprint`)."""
        return cls({**{address_of(src_uri): url for src_uri, url in pages}, **(others or {})})

    def __call__(self, address: str) -> str:
        return self.served.get(address, address)

    def absolute(self, site_url: str, address: str) -> str:
        """The full URL of a page, below a `site_url` that may carry a sub-path."""
        return (site_url if site_url.endswith("/") else site_url + "/") + self(address)


NO_ADDRESSES = Addresses()
"""Every address served as itself: the layout of a site with directory URLs."""
