"""Escaping in the templates: markupsafe's `escape`, without a call of `Markup`'s Python `__new__` per value.

An autoescaped template escapes each value it prints (some 200 per page, three million in a 10,000-article
build), and markupsafe's `escape` wraps each result with `Markup(...)`, whose `__new__` is Python code: together
3.6 % of a cold build's CPU. `escape` here makes the same `Markup` with `str.__new__` (0.76 → 0.34 µs a string).
Templates compiled while `Templates` is the environment's `template_class` call it; tests/test_escaping.py holds
it to markupsafe's on every kind of value.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup

try:
    from markupsafe._speedups import _escape_inner  # the escaper markupsafe's own `escape` uses
except ImportError:  # a markupsafe built without its C extension
    from markupsafe._native import _escape_inner

new_string = str.__new__


def escape(value: Any) -> Markup:
    """`markupsafe.escape(value)`: equal, and a `Markup` too."""
    if type(value) is str:
        return new_string(Markup, _escape_inner(value))
    if hasattr(value, "__html__"):
        html = value.__html__()
        return html if type(html) is Markup else new_string(Markup, html)
    return new_string(Markup, _escape_inner(str(value)))


class Templates(Template):
    """Jinja's templates, whose compiled code finds `escape` above instead of markupsafe's."""

    @classmethod
    def _from_namespace(
        cls, environment: Environment, namespace: MutableMapping[str, Any], globals: MutableMapping[str, Any]
    ) -> Template:
        if "escape" in namespace:
            namespace["escape"] = escape
        return super()._from_namespace(environment, namespace, globals)
