"""The organization registry (content/don-vi.yml): names, aliases, hierarchy and 2025 lineage."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bantin.documents import SYSTEM_NAMES, System, system_from_name
from bantin.errors import ContentError
from bantin.frontmatter import compose, mapping_fields
from bantin.suggest import did_you_mean
from bantin.text import fold, make_slug, read_text

REGISTRY_FILE = "don-vi.yml"
LEVELS = ("trung-ương", "tỉnh", "huyện", "xã")
UNIT_KEYS = ("name", "slug", "aliases", "parent", "level", "until", "successor", "note", "system", "superior", "header")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Unit:
    """One organization. `until`/`successor` record that it ceased and who carries on its work."""

    name: str
    slug: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    level: str | None = None
    until: str | None = None
    successor: str | None = None
    note: str | None = None
    system: System | None = None
    """Which system its documents are issued under (Đảng, Nhà nước, Mặt trận); None when the registry does not say."""
    superior: str | None = None
    """The superior body written above it in a document's header ("BAN CHẤP HÀNH TRUNG ƯƠNG")."""
    header: tuple[str, ...] = ()
    """How it writes its own name in a document's header, line by line ("VĂN PHÒNG"); empty: its name."""


@dataclass
class Registry:
    """Units by name, with lookups by name or alias regardless of case and Unicode form."""

    units: list[Unit] = field(default_factory=list)
    broken: bool = False  # don-vi.yml could not be read whole: a name missing here may be a unit lost with it

    def __post_init__(self) -> None:
        self._by_key: dict[str, Unit] = {}
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                self._by_key.setdefault(name.casefold(), unit)

    def find(self, name: str) -> Unit | None:
        return self._by_key.get(name.strip().casefold())

    def names(self) -> list[str]:
        return [name for unit in self.units for name in (unit.name, *unit.aliases)]

    def get(self, name: str) -> Unit:
        unit = self.find(name)
        if unit is None:
            raise KeyError(name)
        return unit

    def parent_of(self, unit: Unit) -> Unit | None:
        return self.find(unit.parent) if unit.parent else None

    def successor_of(self, unit: Unit) -> Unit | None:
        return self.find(unit.successor) if unit.successor else None

    def predecessors_of(self, unit: Unit) -> list[Unit]:
        return [other for other in self.units if other.successor and self.find(other.successor) == unit]

    def children_of(self, unit: Unit) -> list[Unit]:
        return [other for other in self.units if other.parent and self.find(other.parent) == unit]


def load_registry(content_dir: Path) -> tuple[Registry, list[ContentError]]:
    """Read don-vi.yml; returns the units that are valid and every problem found."""
    path = content_dir / REGISTRY_FILE
    shown = REGISTRY_FILE
    if not path.is_file():
        return Registry(broken=True), [ContentError(shown, 1, "units", "thiếu tệp danh sách đơn vị don-vi.yml")]
    try:
        node = compose(shown, read_text(path), first_line=1)
    except ContentError as error:
        return Registry(broken=True), [error]
    except UnicodeDecodeError:
        return Registry(broken=True), [ContentError(shown, 1, "file", "tệp không phải văn bản UTF-8")]
    units_node = find_units_node(node)
    if units_node is None:
        message = 'tệp phải có khoá "units:" chứa danh sách đơn vị'
        return Registry(broken=True), [ContentError(shown, 1, "units", message)]
    errors: list[ContentError] = []
    units: list[Unit] = []
    lines: list[dict[str, int]] = []
    for entry in units_node.value:
        line = entry.start_mark.line + 1
        if not isinstance(entry, yaml.MappingNode):
            errors.append(ContentError(shown, line, "units", "mỗi đơn vị phải là một mục có name, level…"))
            continue
        try:
            values, key_lines = mapping_fields(shown, entry, first_line=1)
        except ContentError as error:
            errors.append(error)
            continue
        unit, unit_errors = build_unit(shown, values, key_lines, line)
        errors.extend(unit_errors)
        if unit is not None:
            units.append(unit)
            lines.append({"": line, **key_lines})
    registry = Registry(units, broken=len(units) < len(units_node.value))
    errors.extend(check_references(shown, registry, lines))
    return registry, errors


def find_units_node(node: yaml.Node | None) -> yaml.SequenceNode | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if key_node.value == "units" and isinstance(value_node, yaml.SequenceNode):
            return value_node
    return None


def build_unit(
    path: str, values: dict[str, object], lines: dict[str, int], line: int
) -> tuple[Unit | None, list[ContentError]]:
    errors: list[ContentError] = []
    for key in values:
        if key not in UNIT_KEYS:
            errors.append(ContentError(path, lines[key], key, "khoá không được hỗ trợ" + did_you_mean(key, UNIT_KEYS)))
    texts: dict[str, str | None] = {}
    for key in ("name", "slug", "parent", "level", "until", "successor", "note", "system", "superior", "header"):
        value = values.get(key)
        if value is None:
            texts[key] = None
        elif (key == "until" and isinstance(value, int | str)) or isinstance(value, str):
            texts[key] = str(value).strip()
        elif key == "until" and hasattr(value, "isoformat"):
            texts[key] = value.isoformat()
        else:
            errors.append(ContentError(path, lines[key], key, "phải là một chuỗi chữ"))
            texts[key] = None
    name = texts["name"]
    if not name:
        errors.append(ContentError(path, line, "name", "mỗi đơn vị phải có tên (name)"))
        return None, errors
    level = texts["level"]
    if level is not None and level not in LEVELS:
        choices = ", ".join(LEVELS)
        errors.append(ContentError(path, lines["level"], "level", f'"{level}" không hợp lệ; dùng một trong: {choices}'))
    until = texts["until"]
    if until is not None and not PARTIAL_DATE.match(until):
        errors.append(
            ContentError(path, lines["until"], "until", f'"{until}" phải có dạng YYYY-MM-DD, YYYY-MM hoặc YYYY')
        )
    system = system_from_name(texts["system"]) if texts["system"] else None
    if texts["system"] and system is None:
        choices = ", ".join(SYSTEM_NAMES.values())
        message = f'"{texts["system"]}" không hợp lệ; dùng một trong: {choices}' + did_you_mean(
            texts["system"], SYSTEM_NAMES.values()
        )
        errors.append(ContentError(path, lines["system"], "system", message))
    slug = texts["slug"] or make_slug(name)
    if not SLUG.match(slug):
        errors.append(
            ContentError(path, lines.get("slug", line), "slug", f'"{slug}" không hợp lệ; gợi ý: "{make_slug(slug)}"')
        )
    aliases = values.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
        errors.append(ContentError(path, lines["aliases"], "aliases", "phải là danh sách tên gọi khác"))
        aliases = []
    unit = Unit(
        name=name,
        slug=slug,
        aliases=tuple(alias.strip() for alias in aliases),
        parent=texts["parent"],
        level=level,
        until=until,
        successor=texts["successor"],
        note=texts["note"],
        system=system,
        superior=texts["superior"],
        header=tuple(line.strip() for line in (texts["header"] or "").split("\n") if line.strip()),
    )
    return unit, errors


def check_references(path: str, registry: Registry, lines: list[dict[str, int]]) -> list[ContentError]:
    """Parents and successors must name other registered units without a loop; names and slugs must be unique."""
    errors: list[ContentError] = []
    seen_names: dict[str, int] = {}
    seen_slugs: dict[str, int] = {}
    names = [unit.name for unit in registry.units]
    for index, unit in enumerate(registry.units):
        line = lines[index]
        for key, name in [("name", unit.name), *(("aliases", alias) for alias in unit.aliases)]:
            owner = seen_names.setdefault(fold(name), index)
            if owner != index:
                other = registry.units[owner]
                message = f'"{name}" trùng với tên của đơn vị "{other.name}" ở dòng {lines[owner][""]}'
                errors.append(ContentError(path, line.get(key, line[""]), key, message))
        owner = seen_slugs.setdefault(unit.slug, index)
        if owner != index:
            message = f'"{unit.slug}" trùng với đơn vị "{registry.units[owner].name}" ở dòng {lines[owner][""]}'
            errors.append(ContentError(path, line.get("slug", line[""]), "slug", message))
        others = [name for name in names if name != unit.name]
        for key, ref in (("parent", unit.parent), ("successor", unit.successor)):
            if not ref:
                continue
            if registry.find(ref) is None:
                message = f'không có đơn vị "{ref}" trong don-vi.yml' + did_you_mean(ref, others)
                errors.append(ContentError(path, line[key], key, message))
            elif loops_back(registry, unit, key):
                errors.append(ContentError(path, line[key], key, f'"{ref}" dẫn vòng trở lại "{unit.name}"'))
    return errors


def loops_back(registry: Registry, unit: Unit, key: str) -> bool:
    """Whether following `parent` (or `successor`) links from `unit` ever comes back to it."""
    step = registry.parent_of if key == "parent" else registry.successor_of
    current = step(unit)
    for _ in registry.units:
        if current is None:
            return False
        if current is unit:
            return True
        current = step(current)
    return False
