"""Lead images: the `image:` beside an item, checked, then resized once into the few widths the layout needs.

Each width is written as WebP (what phones download) and JPEG (the fallback), plus a 1200×630 JPEG for link
previews (Open Graph). Results are cached under `.cache/bantin/images/`, named by the source's content hash and
the settings, so a rebuild copies instead of resizing and a replaced photo never shows a stale variant.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError

from bantin.errors import ContentError

SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
WIDTHS = (320, 640, 960)  # a list card, a phone at 2x / the article column, the article column at 2x
OPEN_GRAPH = (1200, 630)
VERSION = "1"  # part of every cache key: bump when the resizing settings change
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is the most a build opens


@dataclass(frozen=True)
class Variant:
    uri: str  # where it is published, relative to the site root
    width: int
    height: int


@dataclass(frozen=True)
class LeadImage:
    """What templates need: the sources by format, the intrinsic size (no layout shift), caption and credit."""

    original: str
    width: int
    height: int
    webp: tuple[Variant, ...]
    jpeg: tuple[Variant, ...]
    open_graph: Variant
    caption: str | None
    credit: str | None

    def thumbnail(self) -> dict[str, str | int]:
        """The smallest width as a search result shows it: WebP srcset, JPEG fallback, intrinsic size."""
        webp, jpeg = self.webp[0], self.jpeg[0]
        return {"webp": f"{webp.uri} {webp.width}w", "src": jpeg.uri, "width": jpeg.width, "height": jpeg.height}

    @property
    def fallback(self) -> Variant:
        """The JPEG an old browser shows: the middle width, sharp enough for the article column."""
        return self.jpeg[min(1, len(self.jpeg) - 1)]


def check_image(item_path: str, name: str, folder: Path, line: int) -> list[ContentError]:
    """Errors for an `image:` value: a file name beside the item, of a kind we publish, that opens as an image."""

    def error(message: str) -> list[ContentError]:
        return [ContentError(item_path, line, "image", message)]

    if "://" in name or "/" in name or "\\" in name or name.startswith("."):
        return error(f'"{name}": ghi tên tệp ảnh đặt cạnh bài (ví dụ hoi-nghi.jpg), không ghi thư mục hay địa chỉ web')
    path = folder / name
    if path.suffix.lower() not in SUFFIXES:
        return error(f'"{name}": chỉ dùng ảnh JPEG, PNG hoặc WebP (đuôi .jpg, .png, .webp)')
    if not path.is_file():
        return error(f'không có tệp "{name}" cạnh bài; đặt ảnh vào cùng thư mục với tệp bài')
    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_PIXELS:
                size = f"{image.width}×{image.height}"
                return error(f'"{name}" quá lớn ({size} điểm ảnh); thu nhỏ dưới 40 triệu điểm ảnh')
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return error(f'"{name}" không mở được như một tệp ảnh; hãy lưu lại ảnh dưới dạng JPEG')
    return []


def lead_image(
    source: Path, base_uri: str, cache: Path, caption: str | None, credit: str | None
) -> tuple[LeadImage, list[tuple[str, Path]]]:
    """The lead image of an item published under `base_uri` (its page folder), and the files to publish."""
    data = source.read_bytes()
    digest = hashlib.sha256(data + VERSION.encode()).hexdigest()[:16]
    cache.mkdir(parents=True, exist_ok=True)
    files: list[tuple[str, Path]] = []
    with Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    widths = [width for width in WIDTHS if width < image.width] or [image.width]
    if image.width not in widths and image.width < WIDTHS[-1]:
        widths.append(image.width)  # the full size too, when it sits between two of ours
    variants: dict[str, list[Variant]] = {"webp": [], "jpeg": []}
    for width in widths:
        height = round(image.height * width / image.width)
        resized: Image.Image | None = None
        for kind in ("webp", "jpeg"):
            suffix = "webp" if kind == "webp" else "jpg"
            name = f"anh-{digest[:8]}-{width}.{suffix}"
            cached = cache / f"{digest}-{width}.{suffix}"
            if not cached.is_file():
                resized = resized or image.resize((width, height), Image.Resampling.LANCZOS)
                save(resized, cached, kind)
            files.append((base_uri + name, cached))
            variants[kind].append(Variant(base_uri + name, width, height))
    og_cached = cache / f"{digest}-og.jpg"
    if not og_cached.is_file():
        save(ImageOps.fit(image, OPEN_GRAPH, Image.Resampling.LANCZOS), og_cached, "jpeg")
    og = Variant(base_uri + f"anh-{digest[:8]}-chia-se.jpg", *OPEN_GRAPH)
    files.append((og.uri, og_cached))
    original = str(PurePosixPath(base_uri).parent / source.name)
    lead = LeadImage(
        original=original,
        width=image.width,
        height=image.height,
        webp=tuple(variants["webp"]),
        jpeg=tuple(variants["jpeg"]),
        open_graph=og,
        caption=caption,
        credit=credit,
    )
    return lead, files


def save(image: Image.Image, path: Path, kind: str) -> None:
    """Written beside, then renamed: a build stopped halfway never leaves a truncated file in the cache."""
    partial = path.with_name(path.name + f".{os.getpid()}.tmp")
    if kind == "webp":
        image.save(partial, "WEBP", quality=78, method=5)
    else:
        image.save(partial, "JPEG", quality=80, optimize=True, progressive=True)
    partial.replace(path)
