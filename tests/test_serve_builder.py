"""Serve's rebuilds run in a builder process (bantin.rebuilds): each call is one build there, a failure is
reported as MkDocs reports a failed build, the builder outlives it, and once stopped the builds run here again."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer

from bantin.nginx import HASHED_ASSETS, YEAR
from bantin.rebuilds import Rebuilds, watch_natively


def test_rebuilds_run_in_the_builder_and_report_failures(tmp_path: Path) -> None:
    built = tmp_path / "built-by"
    failing = tmp_path / "failing"

    def build() -> None:
        if failing.exists():
            raise SystemExit(failing.read_text(encoding="utf-8"))
        built.write_text(str(os.getpid()), encoding="utf-8")

    rebuilds = Rebuilds(build)
    try:
        rebuilds()
        builder = int(built.read_text(encoding="utf-8"))
        assert builder != os.getpid()
        failing.write_text("Aborted with 2 warnings in strict mode!", encoding="utf-8")
        with pytest.raises(Abort, match="2 warnings in strict mode"):
            rebuilds()
        failing.unlink()
        built.unlink()
        rebuilds()  # the same builder, after a failed build
        assert int(built.read_text(encoding="utf-8")) == builder
    finally:
        rebuilds.stop()
    rebuilds()
    assert int(built.read_text(encoding="utf-8")) == os.getpid()


def test_an_error_in_a_build_is_reported_with_its_message(tmp_path: Path) -> None:
    def build() -> None:
        raise ValueError("tệp hỏng")

    rebuilds = Rebuilds(build)
    try:
        with pytest.raises(Abort, match="ValueError: tệp hỏng"):
            rebuilds()
    finally:
        rebuilds.stop()


def test_a_builder_that_died_is_reported_once_then_builds_run_here(tmp_path: Path) -> None:
    built = tmp_path / "built-by"

    def build() -> None:
        built.write_text(str(os.getpid()), encoding="utf-8")

    rebuilds = Rebuilds(build)
    try:
        os.kill(rebuilds.pid, signal.SIGKILL)
        with pytest.raises(Abort):
            rebuilds()
        rebuilds()
        assert int(built.read_text(encoding="utf-8")) == os.getpid()
    finally:
        rebuilds.stop()


def test_the_answer_comes_once_the_pages_are_written_and_the_index_waits_for_the_rest(tmp_path: Path) -> None:
    """A rebuild returns as soon as the builder says its pages are written; a request the gate holds (the search
    index) waits until the rebuild finished, and so does the next rebuild."""
    pages, go, index = tmp_path / "pages", tmp_path / "go", tmp_path / "index"
    kept: dict[str, Rebuilds] = {}

    def build() -> None:
        pages.write_text("new", encoding="utf-8")
        kept["rebuilds"].published()
        kept["rebuilds"].published()  # once per rebuild, however often it is said
        while not go.exists():
            time.sleep(0.01)
        index.write_text(str(int(index.read_text(encoding="utf-8")) + 1 if index.exists() else 1), encoding="utf-8")

    rebuilds = kept["rebuilds"] = Rebuilds(build, start=False)
    rebuilds.start()
    served: list[str] = []
    app = rebuilds.gate(lambda environ, start: [index.read_text(encoding="utf-8").encode()], lambda p: "/idx/" in p)
    try:
        rebuilds()
        assert pages.read_text(encoding="utf-8") == "new" and not index.exists()
        request = threading.Thread(target=lambda: served.extend(b.decode() for b in app({"PATH_INFO": "/idx/a"}, 0)))
        request.start()
        time.sleep(0.3)
        assert request.is_alive() and not served  # held while the index is being written
        go.write_text("", encoding="utf-8")
        request.join(30)
        assert served == ["1"]
        go.unlink()
        later = threading.Thread(target=rebuilds)
        later.start()
        later.join(30)
        go.write_text("", encoding="utf-8")
        rebuilds()  # waits for the one before to finish, then builds again
        rebuilds.finished.wait(30)
        assert index.read_text(encoding="utf-8") == "3"
    finally:
        go.write_text("", encoding="utf-8")
        rebuilds.stop()


def test_the_builder_works_between_rebuilds_until_one_is_asked_for(tmp_path: Path) -> None:
    """Its idle work runs in the builder after it started and after each rebuild, and yields to a request."""
    log = tmp_path / "idle"

    def idle(waiting: Callable[[], bool]) -> None:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} start\n")
        deadline = time.monotonic() + 30
        while not waiting() and time.monotonic() < deadline:
            time.sleep(0.01)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {'asked' if waiting() else 'timeout'}\n")

    rebuilds = Rebuilds(lambda: None, idle=idle)
    try:
        deadline = time.monotonic() + 30
        while not log.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        rebuilds()
        rebuilds()
        deadline = time.monotonic() + 30
        while log.read_text(encoding="utf-8").count("start") < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        lines = log.read_text(encoding="utf-8").split("\n")
        assert lines[:4] == [f"{rebuilds.pid} start", f"{rebuilds.pid} asked"] * 2
        assert lines[4] == f"{rebuilds.pid} start"
    finally:
        rebuilds.stop()


def test_a_failure_after_the_pages_are_written_is_reported_and_the_builder_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    built = tmp_path / "built"
    kept: dict[str, Rebuilds] = {}

    def build() -> None:
        kept["rebuilds"].published()
        if not built.exists():
            built.write_text("", encoding="utf-8")
            raise SystemExit("Aborted with 1 warnings in strict mode!")

    rebuilds = kept["rebuilds"] = Rebuilds(build, start=False)
    rebuilds.start()
    try:
        rebuilds()
        assert rebuilds.finished.wait(30)
        assert "1 warnings in strict mode" in caplog.text
        rebuilds()
        assert rebuilds.finished.wait(30) and not rebuilds.lost
    finally:
        rebuilds.stop()


def test_the_content_folder_is_watched_by_the_systems_notifications(tmp_path: Path) -> None:
    """A save in the content folder asks MkDocs' server for a rebuild at once, without its polling observer."""
    content = tmp_path / "content"
    (content / "tin" / "2025").mkdir(parents=True)
    article = content / "tin" / "2025" / "bai.md"
    article.write_text("---\ntitle: Bài\n---\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    watcher = watch_natively(server, str(content))
    try:
        assert watcher is not None and watcher.is_alive()
        assert not server.observer.emitters  # MkDocs' polling observer is not given the folder
        assert str(content) in server._watched_paths
        for _ in range(3):  # a build reads every article: reading is no change
            assert article.read_text(encoding="utf-8")
        time.sleep(0.5)
        assert not server._want_rebuild
        article.write_text("---\ntitle: Bài đã sửa\n---\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server._want_rebuild
    finally:
        if watcher is not None:
            watcher.stop()
        server.server_close()


def test_files_named_for_their_bytes_are_served_to_be_cached_and_pages_are_not() -> None:
    """A page reloaded after a save asks again only for itself: its stylesheets and scripts, whose names change
    with their bytes (ours and Material's), are sent to be kept."""
    rebuilds = Rebuilds(lambda: None, start=False)
    hashed = re.compile(rf"/{HASHED_ASSETS}$")
    app = rebuilds.gate(
        lambda environ, start: start("200 OK", [("Content-Type", "text/plain")]) or [b""],
        lambda path: False,
        lambda path: bool(hashed.search(path)),
    )
    sent: dict[str, list[tuple[str, str]]] = {}
    for path in (
        "/assets/bantin/bantin.ee92262cae.css",
        "/assets/javascripts/bundle.a5f9d56c.min.js",
        "/assets/stylesheets/palette.fb2fffe2.min.css",
        "/assets/bantin/bantin.css",
        "/tin/2024/hoi-nghi/",
        "/images/bieu-trung.svg",
    ):
        app({"PATH_INFO": path}, lambda status, headers, sent_path=path: sent.setdefault(sent_path, headers))
    kept = {path for path, headers in sent.items() if ("Cache-Control", YEAR) in headers}
    assert kept == {
        "/assets/bantin/bantin.ee92262cae.css",
        "/assets/javascripts/bundle.a5f9d56c.min.js",
        "/assets/stylesheets/palette.fb2fffe2.min.css",
    }


def test_with_a_browser_watching_the_index_waits_until_the_reloaded_page_polls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search index's work waits for a watching browser to load the reloaded page (its live-reload poll comes
    in again), so the two do not share the cores; no browser watching, a request for the index, or a browser that
    never comes back each let it go on."""
    index = tmp_path / "index"
    kept: dict[str, Rebuilds] = {}

    def build() -> None:
        kept["rebuilds"].published()
        index.write_text("written", encoding="utf-8")

    rebuilds = kept["rebuilds"] = Rebuilds(build, start=False)
    rebuilds.start()
    release = threading.Event()

    def server(environ: dict[str, str], start: object) -> list[bytes]:  # MkDocs holds a poll until the site changes
        if environ["PATH_INFO"].startswith("/livereload/"):
            release.wait(30)
        return [index.read_text(encoding="utf-8").encode() if index.exists() else b""]

    app = rebuilds.gate(server, lambda path: "/idx/" in path)

    def poll() -> threading.Thread:
        polls = rebuilds.polls
        thread = threading.Thread(target=lambda: list(app({"PATH_INFO": "/livereload/1/2"}, None)))
        thread.start()
        deadline = time.monotonic() + 30
        while rebuilds.polls == polls and time.monotonic() < deadline:
            time.sleep(0.01)
        return thread

    def rebuild_without_index() -> None:
        index.unlink(missing_ok=True)
        rebuilds()
        time.sleep(0.5)
        assert not index.exists() and not rebuilds.finished.is_set()

    monkeypatch.setattr("bantin.rebuilds.DRAW_SECONDS", 1.0)
    try:
        rebuilds()  # no browser watching: on at once
        assert rebuilds.finished.wait(0.5) and index.exists()

        old = poll()
        rebuild_without_index()  # a browser watching: waits for it
        release.set()  # MkDocs answers the old page's poll, the browser reloads
        old.join(30)
        release.clear()
        assert not index.exists()
        new = poll()  # the reloaded page, loaded, polls again: the index waits while the browser draws it
        time.sleep(0.3)
        assert not index.exists()
        assert rebuilds.finished.wait(30) and index.exists()

        rebuild_without_index()  # the new page's poll is held: a browser watches
        assert list(app({"PATH_INFO": "/idx/a"}, None)) == [b"written"]  # asked for: written first, then served

        monkeypatch.setattr("bantin.rebuilds.RELOAD_SECONDS", 1.5)
        rebuild_without_index()
        assert rebuilds.finished.wait(30) and index.exists()  # the browser never came back
        release.set()
        new.join(30)
    finally:
        release.set()
        rebuilds.stop()
