"""numpy kept off its AVX-512 sort on AMD Zen 4 (bantin.cpu), and only there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bantin.cpu import NUMPY_AVX512, numpy_names_known, slow_compress, sort_without_avx512

REPO = Path(__file__).resolve().parent.parent
# The first lines of /proc/cpuinfo of one processor of each kind (flags cut to those that matter and a few others).
ZEN4 = """processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 25
model\t\t: 17
model name\t: AMD EPYC 9R14
flags\t\t: fpu vme de pse sse sse2 avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_vbmi2 vaes

processor\t: 1
vendor_id\t: AuthenticAMD
"""
ZEN3 = ZEN4.replace(" avx512f avx512dq avx512cd avx512bw avx512vl avx512_vbmi2", "").replace("9R14", "7R13")
ZEN5 = ZEN4.replace("cpu family\t: 25", "cpu family\t: 26")
INTEL = ZEN4.replace("AuthenticAMD", "GenuineIntel").replace("cpu family\t: 25", "cpu family\t: 6")


def test_zen4_is_told_by_its_family_and_avx512() -> None:
    assert slow_compress(ZEN4)
    assert not slow_compress(ZEN3)  # no AVX-512 there: numpy never takes that code
    assert not slow_compress(ZEN5)  # compresses to memory at full speed
    assert not slow_compress(INTEL)  # where numpy's AVX-512 sort is its fastest
    assert not slow_compress("")


def test_only_the_first_processor_is_read() -> None:
    assert not slow_compress(INTEL.split("\n\n")[0] + "\n\n" + ZEN4)


def test_numpy_is_told_on_zen4_only() -> None:
    environ: dict[str, str] = {}
    assert sort_without_avx512(environ, ZEN4, imported=False) is numpy_names_known()
    assert environ == ({"NPY_DISABLE_CPU_FEATURES": NUMPY_AVX512} if numpy_names_known() else {})
    for other in (ZEN3, ZEN5, INTEL):
        environ = {}
        assert not sort_without_avx512(environ, other, imported=False)
        assert environ == {}


def test_a_setting_of_the_users_own_is_kept() -> None:
    for setting in ("NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES"):
        environ = {setting: ""}
        assert not sort_without_avx512(environ, ZEN4, imported=False)
        assert environ == {setting: ""}


def test_nothing_is_set_once_numpy_is_imported() -> None:
    environ: dict[str, str] = {}
    assert not sort_without_avx512(environ, ZEN4, imported=True)
    assert environ == {}


def test_importing_bantin_keeps_numpy_off_avx512_on_this_machine_exactly_when_it_is_a_zen4() -> None:
    probe = (
        "import json, os, bantin, numpy as np\n"
        "from numpy._core._multiarray_umath import __cpu_features__ as features\n"
        "sorted_ok = np.sort(np.array([3, 1, 2] * 1000)).tolist() == [1] * 1000 + [2] * 1000 + [3] * 1000\n"
        "print(json.dumps([os.environ.get('NPY_DISABLE_CPU_FEATURES'), features.get('X86_V4'), sorted_ok]))\n"
    )
    environment = {key: value for key, value in os.environ.items() if not key.startswith("NPY_")}
    found = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=environment, capture_output=True, text=True, check=True
    )
    setting, avx512, sorted_ok = json.loads(found.stdout)
    assert found.stderr == ""  # numpy warns of no name it lacks
    assert sorted_ok
    with open("/proc/cpuinfo", encoding="utf-8") as stream:
        zen4 = slow_compress(stream.read()) and numpy_names_known()
    assert setting == (NUMPY_AVX512 if zen4 else None)
    if zen4:
        assert avx512 is False
