"""Our partials/language.html gives every page the texts Material's own gives, from one table per build."""

from __future__ import annotations

from pathlib import Path

import material
import pytest
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader

from bantin.translations import translations
from tests.conftest import REPO

MATERIAL = Path(material.__file__).parent / "templates"
OURS = REPO / "bantin" / "theme"
KEYS = ["language", "direction", "search.result.none", "toc", "top", "no.such.key", "action.skip", "footer.next"]


def environment(extra: dict[str, str] | None = None) -> Environment:
    return Environment(loader=ChoiceLoader([DictLoader(extra or {}), FileSystemLoader([OURS, MATERIAL])]))


def texts(env: Environment, language: str, keys: list[str]) -> list[str]:
    calls = "|".join("{{ lang.t(" + repr(key) + ") }}" for key in keys)
    page = "{% import 'partials/language.html' as lang with context %}" + calls
    return env.from_string(page).render(config={"theme": {"language": language}}).split("|")


def material_texts(language: str, keys: list[str], extra: dict[str, str] | None = None) -> list[str]:
    env = Environment(loader=ChoiceLoader([DictLoader(extra or {}), FileSystemLoader([MATERIAL])]))
    return texts(env, language, keys)


@pytest.mark.parametrize("language", ["vi", "en", "fr", "zh"])
def test_table_gives_what_materials_macro_gives(language: str) -> None:
    env = environment()
    table = translations(env, language)
    assert table is not None and "search.result.none" in table
    env.globals["bt_translations"] = table
    keys = [*KEYS, *table]
    assert texts(env, language, keys) == material_texts(language, keys)


def test_vietnamese_texts_come_from_materials_vietnamese_file() -> None:
    table = translations(environment(), "vi")
    assert table is not None
    assert table["language"] == "vi" and table["search.result.none"] == "Không tìm thấy tài liệu liên quan"


def test_a_language_file_doing_more_than_a_lookup_keeps_materials_way() -> None:
    """A site's own override computing its texts gets no table, and pages still show what it gives."""
    override = {"partials/languages/vi.html": "{% macro t(key) %}vi:{{ key | upper }}{% endmacro %}"}
    env = environment(override)
    table = translations(env, "vi")
    assert table is None
    env.globals["bt_translations"] = table
    assert texts(env, "vi", KEYS) == material_texts("vi", KEYS, override) == [f"vi:{key.upper()}" for key in KEYS]
