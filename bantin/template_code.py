"""How the build's Jinja environment compiles templates: `card.title` looked up by Python's own `getattr` first.

Jinja compiles every `a.b` to a call of `Environment.getattr`, Python code that tries the attribute, then the item
`a["b"]`, then makes an Undefined. Pages read their data as attributes (bantin.pages), some 10 million look-ups in
a 10,000-article build, almost all found at once. `Code` compiles `a.b` to the builtin `getattr(a, "b", missing)`,
in C, and calls `Environment.getattr` only where that finds nothing, so every value is the same as Jinja's:
both ask for the attribute, then Jinja's own look-up decides the rest. tests/test_template_code.py holds the two
to the same results.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst

from bantin.cache import code_fingerprint


class Code(CodeGenerator):
    """Jinja's code generator, with attribute look-ups tried in C first (async templates keep Jinja's)."""

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        if self.environment.is_async or type(self.environment).getattr is not Environment.getattr:
            super().visit_Getattr(node, frame)
            return
        # bt_o holds the object and bt_v the value: each sub-expression is evaluated once, and one nested inside
        # is done with both names before the outer look-up sets them.
        self.write("(bt_v if (bt_v := getattr((bt_o := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, missing)) is not missing else environment.getattr(bt_o, {node.attr!r}))")


def bytecode_cache(root: Path) -> FileSystemBytecodeCache:
    """Compiled templates kept between builds, in a folder of this version of bantin's code (which includes `Code`):
    Jinja checks a template's source, not what compiled it. Other versions' folders are removed."""
    folder = root / code_fingerprint()[:16]
    if root.is_dir():
        for other in root.iterdir():
            if other == folder:
                continue
            if other.is_dir():
                shutil.rmtree(other)
            else:
                other.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))
