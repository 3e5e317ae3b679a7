"""Material's interface texts in one table per build, for the one lookup each of its ~15 texts a page costs.

Material's `partials/language.html` is imported by every page, and its `t(key)` asks the site language's
`partials/languages/<language>.html`, then English, each of which builds its whole dictionary of texts on every
call. Our `partials/language.html` looks the text up in `bt_translations`, this table of what Material's own macro
gives for every key either dictionary holds (a key of neither gives itself, as there); `lang.t` is the table
itself, called like the macro, since a macro call costs more than the lookup (there are ~20 a page). A language
file that is not
a plain dictionary of texts (a site's own override doing more) gets no table, and Material's way is kept.
"""

from __future__ import annotations

from jinja2 import Environment, TemplateNotFound, nodes

FALLBACK = "en"


class Texts(dict[str, str]):
    """Material's texts by key; called with a key as Material's templates call `lang.t(key)`, it gives the text, or
    the key itself for a key of neither language (as Material's macro does), without the cost of a macro call."""

    def __call__(self, key: str) -> str:
        return self.get(key, key)


def translations(env: Environment, language: str) -> Texts | None:
    """Key → text, as `lang.t(key) or fallback.t(key) or key` in Material's partials/language.html gives it."""
    names = [f"partials/languages/{language}.html", f"partials/languages/{FALLBACK}.html"]
    keys: dict[str, None] = {}
    for name in names:
        found = texts_of(env, name)
        if found is None:
            return None
        keys.update(dict.fromkeys(found))
    lang, fallback = (env.get_template(name).module for name in names)
    return Texts({key: str(lang.t(key) or fallback.t(key) or key) for key in keys})  # type: ignore[attr-defined]


def texts_of(env: Environment, name: str) -> list[str] | None:
    """The keys of a language file whose `t` macro only looks its key up in one dictionary of fixed texts."""
    if env.loader is None:
        return None
    try:
        source = env.loader.get_source(env, name)[0]
    except TemplateNotFound:
        return None
    macros = [macro for macro in env.parse(source).find_all(nodes.Macro) if macro.name == "t"]
    if len(macros) != 1 or [type(node) for node in macros[0].body] != [nodes.Output]:
        return None
    output = macros[0].body[0]
    assert isinstance(output, nodes.Output)
    if len(output.nodes) != 1 or not isinstance(lookup := output.nodes[0], nodes.Getitem):
        return None
    table = lookup.node
    if not isinstance(table, nodes.Dict) or not isinstance(lookup.arg, nodes.Name):
        return None
    pairs = [(pair.key, pair.value) for pair in table.items]
    if not all(isinstance(key, nodes.Const) and isinstance(value, nodes.Const) for key, value in pairs):
        return None
    return [key.value for key, _ in pairs]  # type: ignore[attr-defined]
