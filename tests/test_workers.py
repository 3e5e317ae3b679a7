"""Work split between this process and forked workers (bantin.render): every result once, whatever fails."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from bantin import render


def squares(numbers: Sequence[int]) -> list[tuple[int, int]]:
    return [(number, number * number) for number in numbers]


def allow_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Earlier tests leave threads in this process (a browser's driver, a local server), so `can_fork` refuses;
    these workers only compute and exit, touching nothing those threads hold."""
    monkeypatch.setattr(render, "can_fork", lambda: True)


def test_gathered_results_are_every_task_once_from_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.sched_getaffinity", lambda _: {0, 1, 2}, raising=False)
    allow_forks(monkeypatch)
    parent = os.getpid()

    def work(numbers: Sequence[int]) -> list[tuple[int, int]]:
        time.sleep(0.02 * len(numbers))  # long enough for each worker to start and take pieces
        return [(number, os.getpid()) for number in numbers]

    results = render.gather_shares(list(range(30)), work, minimum=2)
    assert sorted(number for number, _ in results) == list(range(30))
    seen = sorted({pid for _, pid in results})
    assert parent in seen and len(seen) == 3  # this process and two workers each did a share


def test_a_failed_worker_has_its_share_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.sched_getaffinity", lambda _: {0, 1}, raising=False)
    allow_forks(monkeypatch)
    parent = os.getpid()

    def work(numbers: Sequence[int]) -> list[tuple[int, int]]:
        if os.getpid() != parent:
            raise RuntimeError("a worker's failure")
        return squares(numbers)

    assert sorted(render.gather_shares(list(range(10)), work, minimum=2)) == squares(range(10))


def test_a_worker_failing_midway_keeps_what_it_handed_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker hands back each piece as it finishes it: when it fails on a later one, the pieces it finished are
    taken as they are and only the one it failed on is done again here, so every task is done exactly once."""
    monkeypatch.setattr("os.sched_getaffinity", lambda _: {0, 1}, raising=False)
    allow_forks(monkeypatch)
    parent = os.getpid()

    def work(numbers: Sequence[int]) -> list[tuple[int, int]]:
        time.sleep(0.01 * len(numbers))
        if os.getpid() != parent and 5 in numbers:
            raise RuntimeError("a worker's failure")
        return [(number, os.getpid()) for number in numbers]

    results = render.gather_shares(list(range(64)), work, minimum=2)
    assert sorted(number for number, _ in results) == list(range(64))
    by_worker = [number for number, pid in results if pid != parent]
    assert by_worker and 5 not in by_worker  # the worker's first pieces came back; its failed one was redone here
    assert [pid for number, pid in results if number == 5] == [parent]


def test_few_tasks_are_done_here_without_a_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork(*_: object) -> None:
        raise AssertionError("forked below the minimum")

    monkeypatch.setattr(render, "fork_gatherer", no_fork)
    assert render.gather_shares([1, 2, 3], squares, minimum=4) == squares([1, 2, 3])


def test_shared_out_tasks_are_each_done_once_in_batches_of_short_lived_workers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Workers start one after another on shrinking batches (each lives for one batch, so what it copies of the
    parent's memory goes with it); every task is done exactly once, here or in a worker."""
    monkeypatch.setattr("os.sched_getaffinity", lambda _: {0, 1}, raising=False)
    allow_forks(monkeypatch)

    def work(number: int) -> None:
        (tmp_path / f"{number}.{os.getpid()}").write_text("")

    assert render.share_out(list(range(400)), work) == []
    done = sorted(path.name for path in tmp_path.iterdir())
    assert sorted(int(name.split(".")[0]) for name in done) == list(range(400))
    by_worker = Counter(name.split(".")[1] for name in done if name.split(".")[1] != str(os.getpid()))
    assert by_worker  # the first batch goes to a worker before this process starts on its part
    assert max(by_worker.values()) <= 400 // 2  # no worker lives for more than one batch: a share of what is left


def test_a_failed_batch_is_handed_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.sched_getaffinity", lambda _: {0, 1}, raising=False)
    allow_forks(monkeypatch)
    parent = os.getpid()

    def work(number: int) -> None:
        if os.getpid() != parent and number % 7 == 0:
            raise RuntimeError("a worker's failure")

    failed = render.share_out(list(range(200)), work)
    assert failed and 0 in failed  # the first batch holds task 0
    assert all(number < 200 for number in failed) and len(set(failed)) == len(failed)


def test_a_killed_build_leaves_no_worker_file_in_the_temporary_folder(tmp_path: Path) -> None:
    """What workers write for their parent (results, log records) is in files without a name: a build killed while
    its workers run leaves nothing behind (named files stayed in the temporary folder, one per worker)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    script = """
import os, signal, sys, time
from bantin import render
render.fork_worker([1], lambda _: time.sleep(60))
render.fork_gatherer(render.Board(1), [[1]], lambda tasks: time.sleep(60) or tasks)
scratch = render.Scratch()
scratch.write(b"kept until read")
print(sorted(os.listdir(sys.argv[1])), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""
    environment = {**os.environ, "TMPDIR": str(temporary)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(temporary)], env=environment, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert done.stdout.strip() == "[]"  # none while the workers ran
    assert list(temporary.iterdir()) == []  # nor after the kill


def test_a_scratch_file_gives_the_parent_what_its_worker_wrote(monkeypatch: pytest.MonkeyPatch) -> None:
    allow_forks(monkeypatch)
    scratch = render.Scratch()
    pid = os.fork()
    if pid == 0:
        scratch.write(b"first, longer")
        scratch.write("từ tiến trình con".encode())
        os._exit(0)
    os.waitpid(pid, 0)
    assert scratch.read().decode() == "từ tiến trình con"
    assert scratch.file.closed
