"""Precision and recall of citation detection on the hand-labelled real documents (tests/data/documents).

Each document's detected citations are what its page lists under "Văn bản được nhắc đến"
(bantin.collection.item_citations), compared with the labelled ones by document, once per number.
Run with another checkout first on PYTHONPATH to measure that version on the same table.

    .venv/bin/python bench/citations.py
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import yaml

from bantin.citations import document_slug
from bantin.collection import item_citations
from bantin.frontmatter import parse_document

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "documents"


def source(file: str) -> Path:
    if file.startswith("realworld/"):
        return REPO.parent / "shared" / file
    return REPO / file


def key(number: str) -> str:
    """Leading zeros aside (older versions kept them in slugs), one number is one key."""
    return document_slug(number).lstrip("0")


def main() -> None:
    listed = yaml.safe_load((DATA / "documents.yml").read_text(encoding="utf-8"))
    true_positive = detected_total = labelled_total = 0
    for entry in listed["documents"] + listed["news"]:
        doc = parse_document(entry["file"], source(entry["file"]).read_text(encoding="utf-8"))
        fields = doc.fields
        notice = SimpleNamespace(number=fields.get("number"), subject=fields.get("subject") or fields["title"])
        item = SimpleNamespace(
            title=fields["title"],
            notice=notice,
            summary=fields.get("summary"),
            tags=fields.get("tags") or [],
            body=doc.body,
        )
        detected = {key(number) for number in item_citations(item)}  # type: ignore[arg-type]
        labelled = {key(number) for number in entry["cites"]}
        true_positive += len(detected & labelled)
        detected_total += len(detected)
        labelled_total += len(labelled)
        missed, wrong = sorted(labelled - detected), sorted(detected - labelled)
        if missed or wrong:
            print(f"{entry['file'].rsplit('/', 1)[-1]}: missed {missed}, wrong {wrong}")
    precision = true_positive / detected_total if detected_total else 1.0
    recall = true_positive / labelled_total if labelled_total else 1.0
    print(f"{len(listed['documents']) + len(listed['news'])} files, {labelled_total} labelled citations")
    print(f"precision {precision:.3f} ({true_positive}/{detected_total})")
    print(f"recall {recall:.3f} ({true_positive}/{labelled_total})")


if __name__ == "__main__":
    main()
