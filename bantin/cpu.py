"""numpy's sorts on AMD Zen 4, where its AVX-512 sort runs four to five times slower than its AVX2 sort.

numpy sorts through x86-simd-sort, whose AVX-512 partition stores with `vpcompress` to memory; Zen 4 runs that form
in microcode (AMD's Software Optimization Guide for Zen 4, 2.11.2: "avoid the memory destination form of COMPRESS
instructions"), and OpenJDK turns its own AVX-512 sort off on these processors for that reason (JDK-8317976). The
search index sorts every token of the archive several times: here numpy is told, before it is imported, to leave
its AVX-512 code aside (`NPY_DISABLE_CPU_FEATURES`), so it sorts with AVX2 instead (bench/README.md, "sixteenth
round": a cold 10,000-article build took 0.94 × the CPU). A setting of the user's own is left as it is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from importlib import metadata

ZEN_FAMILY = 0x19  # AMD's family 19h: Zen 3 (no AVX-512) and Zen 4; Zen 5 (1Ah) compresses to memory at full speed
NUMPY_AVX512 = "X86_V4 AVX512_ICL AVX512_SPR"  # numpy's own names for its AVX-512 targets, from 2.4 on
NUMPY_NAMES_FROM = (2, 4)  # before, numpy named them otherwise and warns at each start about a name it lacks
SETTINGS = ("NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES")


def slow_compress(cpuinfo: str) -> bool:
    """Whether the first processor of /proc/cpuinfo is an AMD family 19h one with AVX-512: a Zen 4."""
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        if not line.strip():
            break  # the first processor's block ends here
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    family = fields.get("cpu family", "")
    return (
        fields.get("vendor_id") == "AuthenticAMD"
        and family.isdigit()
        and int(family) == ZEN_FAMILY
        and "avx512f" in fields.get("flags", "").split()
    )


def numpy_names_known() -> bool:
    """Whether the numpy installed names its AVX-512 targets as NUMPY_AVX512 does (read without importing it)."""
    try:
        parts = metadata.version("numpy").split(".")[:2]
        return tuple(int(part) for part in parts) >= NUMPY_NAMES_FROM
    except (metadata.PackageNotFoundError, ValueError):
        return False


def sort_without_avx512(
    environ: MutableMapping[str, str] = os.environ, cpuinfo: str | None = None, imported: bool | None = None
) -> bool:
    """On a Zen 4, keep numpy (imported after this, here and in every worker) off its AVX-512 code; whether it did.
    Nothing is done once numpy is `imported` (it reads the setting once, when imported)."""
    if imported is None:
        imported = "numpy" in sys.modules
    if any(setting in environ for setting in SETTINGS) or imported:
        return False
    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as stream:
                cpuinfo = stream.read()
        except OSError:
            return False
    if not slow_compress(cpuinfo) or not numpy_names_known():
        return False
    environ["NPY_DISABLE_CPU_FEATURES"] = NUMPY_AVX512
    return True
