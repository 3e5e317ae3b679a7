"""Our templates read data and call no Python of ours, so another Jinja-compatible engine could render them.

Every page's data is built in Python (bantin.pages, bantin.cards); a template may read attributes, loop, test,
call its own macros and apply Jinja's built-in filters, plus MkDocs' `url`, which makes an address relative to the
page. A call on anything else (a global of ours, a method of an object such as `date.strftime(…)`) or a filter of
ours (`vi_number`, `excerpt`…) is logic a template should not hold: the page model computes it instead.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, nodes, pass_context
from jinja2.filters import FILTERS
from jinja2.tests import TESTS

from bantin.cards import Card, Cards
from bantin.images import LeadImage, Variant
from tests.conftest import REPO

THEME = REPO / "bantin" / "theme"
TEMPLATES = sorted(path.relative_to(THEME).as_posix() for path in THEME.rglob("*") if path.suffix in (".html", ".xml"))
ALLOWED_FILTERS = {*FILTERS, "url"}  # Jinja's own and MkDocs' `url`
ALLOWED_GLOBALS = {"super", "loop", "caller", "range"}  # Jinja's own; `range` makes numbers, not pages
MATERIAL_MACROS = {"lang"}  # Material's base.html imports its translations (partials/language.html) as `lang`
FRAGMENTS = {"bt_chrome"}  # blocks drawn once per build (bantin.chrome): `find` and `keep` change no output


def problems(source: str) -> list[str]:
    """What a template does that is more than reading, looping, testing and calling its own macros."""
    tree = Environment(extensions=["jinja2.ext.do"]).parse(source)
    macros = {macro.name for macro in tree.find_all(nodes.Macro)}
    modules = {node.target for node in tree.find_all(nodes.Import)} | MATERIAL_MACROS | FRAGMENTS
    macros |= {name for node in tree.find_all(nodes.FromImport) for name in node.names if isinstance(name, str)}
    found = []
    for call in tree.find_all(nodes.Call):
        callee = call.node
        if isinstance(callee, nodes.Name) and callee.name in macros | ALLOWED_GLOBALS:
            continue
        if isinstance(callee, nodes.Getattr) and isinstance(callee.node, nodes.Name) and callee.node.name in modules:
            continue
        found.append(f"line {call.lineno}: calls {describe(callee)}")
    for applied in tree.find_all(nodes.Filter):
        if applied.name not in ALLOWED_FILTERS:
            found.append(f"line {applied.lineno}: filter {applied.name}")
    for tested in tree.find_all(nodes.Test):
        if tested.name not in TESTS:
            found.append(f"line {tested.lineno}: test {tested.name}")
    for name in tree.find_all(nodes.Name):
        if name.name == "bantin":
            found.append(f"line {name.lineno}: reads the Python global bantin")
    return found


def describe(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{describe(node.node)}.{node.attr}"
    return type(node).__name__


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_calls_no_python_of_ours(template: str) -> None:
    assert problems((THEME / template).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "{{ bantin.unit_url(unit) }}",
        "{{ item.date.strftime('%Y') }}",
        "{{ count | vi_number }}",
        "{{ item | excerpt }}",
        "{% for line in text.split('\\n') %}{{ line }}{% endfor %}",
        "{% if bantin %}x{% endif %}",
    ],
)
def test_the_check_finds_a_call_a_filter_or_a_global_of_ours(source: str) -> None:
    assert problems(source)


def test_the_check_allows_macros_data_and_mkdocs_url() -> None:
    source = """{% import "bantin/partials/macros.html" as m %}
{% macro row(card) %}<a href="{{ card.href | url }}">{{ card.title | e }}</a>{% endmacro %}
{% for card in bt.cards if card.views %}{{ row(card) }}{{ m.item_meta(card) }}{% endfor %}
{{ super() if false }}{{ bt.cards | length }}{% if bt.pagination.previous is none %}-{% endif %}"""
    assert problems(source) == []


def test_every_template_of_ours_is_checked() -> None:
    assert "bantin/base.html" in TEMPLATES and "partials/header.html" in TEMPLATES and len(TEMPLATES) > 20
    assert all(Path(THEME / template).is_file() for template in TEMPLATES)


def card_of(**fields: Any) -> Card:
    from tests.factories import collection, item

    news = item("hoi-nghi-dan-van", "2024-03-05 08:30", views=1204, **fields)
    return Cards(collection(news), {})(news)


IMAGE = LeadImage(
    "anh.jpg",
    1280,
    720,
    tuple(Variant(f"tin/2024/anh-{width}.webp", width, width * 9 // 16) for width in (320, 640)),
    tuple(Variant(f"tin/2024/anh-{width}.jpg", width, width * 9 // 16) for width in (320, 640)),
    Variant("tin/2024/anh-og.jpg", 1200, 630),
    None,
    None,
)


@pytest.mark.parametrize(
    ("fields", "image", "show_unit"),
    [({}, None, True), ({"approximate": frozenset({"date", "unit"})}, None, False), ({}, IMAGE, True)],
)
def test_item_list_entries_write_what_thumbnail_and_item_meta_write(
    fields: dict[str, object], image: LeadImage | None, show_unit: bool
) -> None:
    """item_list spells its entries out for speed: they must stay what the macros they stand for write."""
    env = Environment(loader=FileSystemLoader(THEME), autoescape=True)
    env.filters["url"] = pass_context(lambda context, value: f"../{value}")
    card = replace(card_of(**fields), image=image)
    macros = '{% import "bantin/partials/macros.html" as m with context %}'
    listed = env.from_string(macros + "{{ m.item_list([card], show_unit) }}").render(card=card, show_unit=show_unit)
    spelled = env.from_string(
        macros
        + """<ul class="bt-list">
    <li class="bt-list__item">
      {{ m.thumbnail(card) }}
      <div class="bt-list__body">
        <h3 class="bt-list__heading"><a class="bt-list__title" href="{{ card.href | url }}">{{ card.title }}</a></h3>
        {{ m.item_meta(card, show_unit) }}<p class="bt-list__excerpt">{{ card.short_excerpt }}</p>
      </div>
    </li>
  </ul>"""
    ).render(card=card, show_unit=show_unit)
    assert listed == spelled
    assert ("bt-approximate" in listed) == ("approximate" in fields) and ("<picture>" in listed) == (image is not None)


@pytest.mark.parametrize("widths", [(320,), (320, 640), (320, 640, 960)])
def test_picture_lists_every_width_once_with_commas_between(widths: tuple[int, ...]) -> None:
    env = Environment(loader=FileSystemLoader(THEME), autoescape=True)
    env.filters["url"] = pass_context(lambda context, value: f"../{value}")
    image = replace(
        IMAGE,
        webp=tuple(Variant(f"tin/2024/anh-{width}.webp", width, 1) for width in widths),
        jpeg=tuple(Variant(f"tin/2024/anh-{width}.jpg", width, 1) for width in widths),
    )
    html = env.from_string('{% import "bantin/partials/macros.html" as m %}{{ m.picture(image, "1rem") }}').render(
        image=image
    )
    for kind in ("webp", "jpg"):
        listed = ", ".join(f"../tin/2024/anh-{width}.{kind} {width}w" for width in widths)
        assert f'srcset="{listed}"' in html
    assert html.startswith("<picture>") and html.endswith("</picture>")
