"""This site's own hook: the footer names the year of the newest item, so that two builds of the same content are
byte for byte the same (a build date in every page would make each deploy upload the whole site again)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # Hooks run after the plugins listed in mkdocs.yml: the bantin plugin has loaded the content by now.
    collection = getattr(config.plugins.get("bantin"), "collection", None)
    items = collection.items if collection is not None else []
    if config.copyright and items:
        newest = max(item.date for item in items)
        config.copyright = f"© {newest.year} {config.copyright}"
    return config
