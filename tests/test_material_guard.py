"""Our copies of Material's templates are derived from one exact original: an upgrade that changes it fails here.

Bản tin overrides a few of Material's partials by copying them and adding to them. When Material changes the
original, our copy would silently keep the old markup (or break): this test fails first. To fix it, compare the
new original with ours, carry its changes into `bantin/theme/…`, then record the new hash below.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import material
import pytest

from tests.conftest import REPO

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
DERIVED = {
    # our copy → sha256 of the Material original it was derived from (mkdocs-material 9.8.2)
    "partials/header.html": "8cf3fb15bcf969ff596649616fd99366b3c31c08d57a86d05308efc16d8fa75f",
    # Material's inline scripts, moved into files so the Content-Security-Policy allows no inline script
    "partials/javascripts/base.html": "d6113712bc4deb30b4bd810ee0dfc28b6f04d2f88cc0016c0f1766eac7b762b6",
    "partials/javascripts/content.html": "3722e156f0f6339de39fbbfc178b6e401d1a4fb890f189ac5b80c2504bda7dcf",
    "partials/javascripts/palette.html": "8790389765ea6036effddba548b15093bb05bdc75624eaeaf8b13f3c24be4ab5",
    # Material's texts from one table per build (bantin.translations), its own way kept where there is none
    "partials/language.html": "3a44516f305006ac794f51a45ad7b532cf270916d8e92e8c42784e58b2eff0a3",
}


@pytest.mark.parametrize("template", sorted(DERIVED))
def test_material_original_is_the_one_our_copy_was_derived_from(template: str) -> None:
    assert (REPO / "bantin" / "theme" / template).is_file()
    original = (MATERIAL_TEMPLATES / template).read_bytes()
    assert hashlib.sha256(original).hexdigest() == DERIVED[template], (
        f"Material's {template} changed: carry its changes into bantin/theme/{template}, then update DERIVED"
    )


def test_every_copied_material_template_is_guarded() -> None:
    """A new override of a Material template must be listed above, so it is guarded too."""
    theme = REPO / "bantin" / "theme"
    ours = {path.relative_to(theme).as_posix() for path in theme.rglob("*.html")}
    copied = {name for name in ours if (MATERIAL_TEMPLATES / name).is_file()} - {"404.html"}  # 404: our own page
    assert copied == set(DERIVED)
