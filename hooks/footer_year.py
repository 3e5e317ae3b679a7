"""This site's own hook: the footer names the year the site was last built."""

from __future__ import annotations

from datetime import date

from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if config.copyright:
        config.copyright = f"© {date.today().year} {config.copyright}"
    return config
