"""A build's process exits without Python's last collections walking what the build left alive."""

import subprocess
import sys

PROBE = """
import atexit, gc
atexit.register(lambda: print(gc.get_freeze_count()))  # runs after the plugin's handler (last in, first out)
from bantin.plugin import BantinPlugin
for _ in range(3):
    BantinPlugin().on_startup(command="build", dirty=False)
kept = [[index] for index in range(10_000)]
"""


def test_a_build_freezes_what_is_alive_at_exit() -> None:
    shown = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    assert int(shown) >= 10_000
