"""Our templates' escape (bantin.escaping) gives what markupsafe's gives, and compiled templates call it."""

from __future__ import annotations

from jinja2 import DictLoader, Environment
from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

from bantin.escaping import Templates, escape


class Safe:
    """An object that renders itself as HTML, as Markup and Jinja's own helpers do."""

    def __init__(self, html: object) -> None:
        self.html = html

    def __html__(self) -> object:
        return self.html


class Shown:
    def __str__(self) -> str:
        return "Ban Dân vận <Tỉnh ủy> & \"Mặt trận\" 'Tổ quốc'"


VALUES = [
    "",
    "Hội nghị Ban Chấp hành Đảng bộ tỉnh",
    "<script>alert(\"x\")</script> & 'y'",
    "&amp; đã thoát sẵn",
    Markup("<b>đậm</b>"),
    Markup(""),
    Safe("<i>nghiêng</i>"),
    Safe(Markup("<u>gạch</u>")),
    12,
    3.5,
    None,
    True,
    Shown(),
    type("Chuỗi", (str,), {})("<chuỗi con>"),
]


def test_escape_is_markupsafes_for_every_kind_of_value() -> None:
    for value in VALUES:
        ours, theirs = escape(value), markupsafe_escape(value)
        assert ours == theirs, value
        assert type(ours) is Markup, value


def test_templates_compiled_with_it_print_what_jinjas_print() -> None:
    source = "<p title='{{ value }}'>{{ value }}</p>{% set kept %}[{{ value }}]{% endset %}{{ kept }}"
    ours = Environment(autoescape=True, loader=DictLoader({"t.html": source}))
    ours.template_class = Templates
    theirs = Environment(autoescape=True, loader=DictLoader({"t.html": source}))
    template = ours.get_template("t.html")
    assert template.root_render_func.__globals__["escape"] is escape
    for value in VALUES:
        assert template.render(value=value) == theirs.get_template("t.html").render(value=value), value
