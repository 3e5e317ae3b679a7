"""Templates compiled by bantin.template_code give what Jinja's own compiler gives, value for value and error for
error, and a build keeps its compiled templates per version of bantin's code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined, UndefinedError

from bantin.cache import code_fingerprint
from bantin.template_code import Code
from tests.conftest import build_site


@dataclass
class Unit:
    name: str
    parent: Unit | None = None


@dataclass
class Card:
    title: str
    unit: Unit


class Both:
    """An attribute that Python does not have but the item does, and one whose look-up fails another way."""

    @property
    def hidden(self) -> str:
        raise AttributeError("hidden")

    @property
    def broken(self) -> str:
        raise KeyError("broken")

    def __getitem__(self, key: str) -> str:
        return f"mục {key}"


class Counted:
    """Counts how often a template asks for it: an object looked up once in Jinja's code is once in ours."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, str]:
        self.calls += 1
        return {"title": "Hội nghị"}


SOURCES = {
    "attribute": "{{ card.title }}",
    "nested": "{{ card.unit.name }}|{{ card.unit.parent.name }}",
    "item of a dict": "{{ data.title }}|{{ data['title'] }}",
    "dict method": "{{ data.items() | list | length }}",
    "missing": "[{{ card.nope }}]{{ card.nope is defined }}",
    "item when the attribute fails": "{{ both.hidden }}|{{ both.other }}",
    "constant": '{{ {"title": "Mặt trận"}.title }}',
    "loop filter and macro": (
        "{% macro show(c, u=card.unit.name) %}<{{ c.title }}/{{ u }}>{% endmacro %}"
        "{% for c in cards if c.unit.name %}{{ show(c) }}{{ loop.index }}{% endfor %}"
        "{% set kept %}{{ cards[0].title }}{% endset %}{{ kept }}"
    ),
    "call block": (
        "{% macro box() %}[{{ caller(card) }}]{% endmacro %}{% call(c) box() %}{{ c.unit.name }}{% endcall %}"
    ),
    "in arguments": "{{ '%s – %s' | format(card.title, data.title) }}|{{ cards | map(attribute='title') | join(',') }}",
}
ERRORS = {
    "undefined's attribute": ("{{ card.nope.deeper }}", UndefinedError),
    "another error": ("{{ both.broken }}", KeyError),
}


def environments(**options: Any) -> tuple[Environment, Environment]:
    loader = DictLoader({**SOURCES, **{name: source for name, (source, _) in ERRORS.items()}})
    ours = Environment(autoescape=True, loader=loader, **options)
    ours.code_generator_class = Code
    return ours, Environment(autoescape=True, loader=loader, **options)


def context() -> dict[str, Any]:
    unit = Unit("Ban Dân vận <Tỉnh ủy>", Unit("Tỉnh ủy"))
    cards = [Card("Tin & bài", unit), Card("Không đơn vị", Unit(""))]
    return {"card": cards[0], "cards": cards, "data": {"title": "Từ điển"}, "both": Both()}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_values_are_jinjas(name: str) -> None:
    ours, theirs = environments()
    assert "environment.getattr(" in ours.compile(SOURCES[name], raw=True) or name == "constant"
    expected = theirs.get_template(name).render(context())
    assert ours.get_template(name).render(context()) == expected
    assert expected  # the case renders something to compare


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_are_jinjas(name: str) -> None:
    error = ERRORS[name][1]
    for environment in environments():
        with pytest.raises(error):
            environment.get_template(name).render(context())


def test_strict_undefined_still_raises() -> None:
    ours, theirs = environments(undefined=StrictUndefined)
    for environment in (ours, theirs):
        with pytest.raises(UndefinedError):
            environment.get_template("missing").render(context())


def test_each_object_is_looked_up_once() -> None:
    ours, theirs = environments()
    source = "{{ made().title }}{{ made().nope }}"
    for environment in (ours, theirs):
        made = Counted()
        assert environment.from_string(source).render(made=made) == "Hội nghị"
        assert made.calls == 2


def test_a_build_keeps_compiled_templates_per_code_version(
    tmp_path: Path, content: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    jinja = tmp_path / "cache" / "jinja"
    stale = jinja / "from-another-version"
    stale.mkdir(parents=True)
    (stale / "__jinja2_x.cache").write_bytes(b"old")
    (jinja / "__jinja2_loose.cache").write_bytes(b"old")
    build_site(content(), tmp_path / "site", monkeypatch)
    assert [path.name for path in jinja.iterdir()] == [code_fingerprint()[:16]]
    assert any((jinja / code_fingerprint()[:16]).glob("__jinja2_*.cache"))
