"""`mkdocs serve`'s rebuilds in a process of their own, which has no thread: every build step may use every core.

MkDocs rebuilds in its main thread while its server and file watcher run in others, so nothing a rebuild does may
fork (a forked child gets copies of locks other threads may hold), and the watcher polling a large content folder
takes the interpreter from the build. Once the first build is done, and before the server starts its threads
(`on_serve`), the serve process forks a builder: it inherits everything the first build left in memory (bantin.live)
and runs every later rebuild, forking render workers as `mkdocs build` does, while the serve process only watches
and serves. A rebuild is asked for and answered over a pipe; MkDocs reloads the browsers when the answer comes.
The builder dies with the serve process (PR_SET_PDEATHSIG), and the serve process builds by itself again if the
builder is ever gone.

The builder answers as soon as every page is written (`published`), before the search index is brought up to
date: the browsers reload while it finishes, and until it has, every request for the index's files waits
(`Rebuilds.gate`), as does the next rebuild, so no one is ever served an index older than the pages. When a browser
is watching (its live-reload poll is waiting at the answer), the builder waits to bring the index up to date until a
reloaded page polls again, which it does once loaded, and then `DRAW_SECONDS` more, while the browser draws it and
runs its scripts: on two cores the index's work would otherwise take them from the browser (in bench/serve.py the
title showed 0.3-1 s after the load event while the index ran). A request for the index's files, or the next
rebuild, ends the wait at once, and a browser that does not come back is waited for `RELOAD_SECONDS` at most.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import select
import signal
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from bantin.nginx import YEAR
from bantin.render import die_with_parent

BUILD = b"b"
DONE = b"0"
FAILED = b"1"
PAGES = b"p"  # the pages are written; the final answer follows
GO = b"g"  # to the builder after PAGES: the browsers have the new pages (or none watches), on with the rest
LIVERELOAD = "/livereload/"  # MkDocs' live-reload poll, which a page sends once loaded and the server holds
RELOAD_SECONDS = 2.0  # the longest the search index waits for a watching browser to load the reloaded page
DRAW_SECONDS = 0.5  # then for it to draw the page loaded
log = logging.getLogger("mkdocs.livereload")  # where MkDocs reports a failed rebuild
WAIT_SECONDS = 600  # the longest a request for the search index waits for the rebuild to finish writing it
# MkDocs waits 0.1 s without a change before it rebuilds; a save's events (opened, modified, closed, or a write and
# a rename) come within a few milliseconds of each other, and a change during a rebuild starts another one.
QUIET_SECONDS = 0.04
STEPS = "BANTIN_SERVE_STEPS"  # set: every step of a serve rebuild is logged with its time (bench/serve.py)


def step(name: str) -> None:
    """With BANTIN_SERVE_STEPS set, log that a step of a rebuild is reached: the wall clock (to set beside the save
    and the browser) and this process's CPU seconds with its waited-for children's."""
    if os.environ.get(STEPS):
        used = os.times()
        seconds = used.user + used.system + used.children_user + used.children_system
        log.info(f"bantin step {name} {time.time():.3f} {os.getpid()} {seconds:.3f}")


class Rebuilds:
    """The builder process; calling it is one rebuild (in place of MkDocs' `builder`), which raises if it failed."""

    def __init__(
        self,
        build: Callable[[], None],
        listening: socket.socket | None = None,
        start: bool = True,
        idle: Callable[[Callable[[], bool]], None] | None = None,
    ) -> None:
        """`start=False` leaves the fork to `start`: the builder then finds this object wherever it was kept.
        `idle` is called in the builder between rebuilds, with what says that a rebuild is asked for meanwhile."""
        self.build = build
        self.idle = idle
        self.listening = listening
        self.answer: int | None = None  # in the builder, during a build: where to say the pages are written
        self.asked = 0  # in the builder: where the serve process's requests (and its GO) come from
        self.polls = 0  # in the serve process: live-reload polls being held (browsers watching)
        self.counting = threading.Lock()
        self.reloaded = threading.Event()  # in the serve process: the browsers have loaded the new pages
        self.reloaded.set()
        self.wanted = threading.Event()  # in the serve process: the index is asked for (a request, the next save)
        self.wanted.set()
        self.finished = threading.Event()  # in the serve process: the last rebuild has finished entirely
        self.finished.set()
        self.lost = False
        self.pid = self.requests = self.replies = 0
        if start:
            self.start()

    def start(self) -> None:
        build, listening = self.build, self.listening
        requests, self.requests = os.pipe()
        self.replies, replies = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the builder
            status = 1
            try:
                os.close(self.requests)
                os.close(self.replies)
                if listening is not None:
                    listening.close()  # the server's socket is the serve process's alone
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops the builder
                die_with_parent()
                serve_builds(requests, replies, build, self)
                status = 0
            finally:
                os._exit(status)
        os.close(requests)
        os.close(replies)
        gc.freeze()  # what the first build left is the builder's now: the server never walks it again

    def __call__(self) -> None:
        self.want()  # a new save: the index of the one before waits no longer for the browsers
        self.finished.wait()  # the rest of the rebuild before (its search index)
        if self.pid == 0 or self.lost:  # the builder is gone: build here, as MkDocs would
            self.stop()
            self.build()
            return
        try:
            step("request")
            os.write(self.requests, BUILD)
            status, message = self.reply()
            step("reply")
        except (OSError, EOFError):
            self.stop()
            raise Abort(GONE) from None
        if status == PAGES:  # the browsers may reload: the rest is awaited in a thread
            self.finished.clear()
            with self.counting:
                if self.polls:  # a browser watches: the index waits until a page polls again (gate)
                    self.wanted.clear()
                    self.reloaded.clear()
            threading.Thread(target=self.finish, daemon=True).start()
        elif status != DONE:
            raise Abort(message)

    def reply(self) -> tuple[bytes, str]:
        status = read_exactly(self.replies, 1)
        message = read_exactly(self.replies, int.from_bytes(read_exactly(self.replies, 4), "little"))
        return status, message.decode("utf-8", "replace")

    def finish(self) -> None:
        """In the serve process: once the browsers have the new pages, the final answer of the rebuild, reported as
        MkDocs would."""
        try:
            if self.reloaded.wait(RELOAD_SECONDS):
                self.wanted.wait(DRAW_SECONDS)  # a browser came back (or none watched, at once: `wanted` is set)
            self.want()
            os.write(self.requests, GO)
            status, message = self.reply()
            if status != DONE:
                log.error(message)
        except (OSError, EOFError):
            self.lost = True
            log.error(GONE)
        finally:
            self.finished.set()

    def published(self) -> None:
        """In the builder, during a rebuild: every page is written, the browsers may reload (once per rebuild)."""
        if self.answer is not None:
            step("published")
            os.write(self.answer, PAGES + (0).to_bytes(4, "little"))
            self.answer = None
            read_exactly(self.asked, 1)  # GO: the browsers have loaded the new pages
            step("go")

    def prepare(self, requests: int) -> None:
        """In the builder, between rebuilds: its idle work, until a rebuild is asked for."""
        if self.idle is not None:
            self.idle(lambda: bool(select.select([requests], [], [], 0)[0]))

    def gate(
        self, app: Any, waiting: Callable[[str], bool], immutable: Callable[[str], bool] = lambda path: False
    ) -> Callable[[dict[str, Any], Any], Iterable[bytes]]:
        """The server's WSGI application, a request for a path `waiting` holds until the last rebuild finished.

        A path `immutable` (a file named for a hash of its bytes) is sent to be cached for a year: a browser
        reloading a page after a save then asks only for the page, not again for its stylesheets and scripts.
        """

        def serve(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            path = str(environ.get("PATH_INFO", ""))
            if path.startswith(LIVERELOAD):  # a page loaded (or one polls again): held until the next reload
                return self.poll(app, environ, start_response)
            if waiting(path):
                self.want()  # asked for now: the index waits for no browser
                self.finished.wait(WAIT_SECONDS)
            if not immutable(path):
                return app(environ, start_response)  # type: ignore[no-any-return]

            def cached(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
                if status.startswith("200"):
                    headers = [*headers, ("Cache-Control", YEAR)]
                return start_response(status, headers, *rest)

            return app(environ, cached)  # type: ignore[no-any-return]

        return serve

    def want(self) -> None:
        self.wanted.set()
        self.reloaded.set()

    def poll(self, app: Any, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """MkDocs' answer to a live-reload poll (it holds the request until the site changes), counted meanwhile;
        a poll coming in says that its page is loaded, so the index waits for the browsers no longer."""
        with self.counting:
            self.polls += 1
            self.reloaded.set()
        try:
            return app(environ, start_response)  # type: ignore[no-any-return]
        finally:
            with self.counting:
                self.polls -= 1

    def stop(self) -> None:
        if self.pid == 0:
            return
        pid, self.pid = self.pid, 0
        for fd in (self.requests, self.replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        self.finished.set()
        gc.unfreeze()


GONE = "Bản tin: tiến trình tạo trang xem trước đã dừng; lần lưu sau sẽ tạo lại trang"


def serve_builds(requests: int, replies: int, build: Callable[[], None], rebuilds: Rebuilds) -> None:
    """In the builder: one build per request until the serve process closes its end."""
    rebuilds.asked = requests
    settle()
    rebuilds.prepare(requests)
    while os.read(requests, 1) == BUILD:
        status, message = DONE, ""
        rebuilds.answer = replies
        step("build")
        try:
            build()
        except BaseException as error:  # MkDocs' Abort is a SystemExit; the server reports it as MkDocs would
            status = FAILED
            if isinstance(error, SystemExit):
                message = str(error)
            else:
                traceback.print_exc()
                message = f"{type(error).__name__}: {error}"
        rebuilds.answer = None
        data = message.encode("utf-8")
        os.write(replies, status + len(data).to_bytes(4, "little") + data)
        settle()
        rebuilds.prepare(requests)


def settle() -> None:
    """In the builder, between rebuilds: what the builds left, collected once, with automatic collection off.

    The builder keeps the session's millions of objects (bantin.live); a collector's full pass over them costs about
    half a second at 10,000 articles, and a rebuild set off one or two. Collected here instead, after the answer,
    while the browsers reload and the editor reads, nothing a rebuild leaves grows from save to save. (Freezing them
    would not do: `gc.get_freeze_count`, all a nested freeze could check, walks every frozen object.)
    """
    gc.disable()
    gc.unfreeze()
    gc.collect()


def read_exactly(fd: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def watch_natively(server: LiveReloadServer, path: str) -> BaseObserver | None:
    """Watch `path` for the server with the system's file notifications (inotify on Linux) instead of MkDocs'
    polling, which stats every file of the folder twice a second (10,000 articles: a save is seen 0.25 s late on
    average, and each poll takes 0.05 CPU s from the build). The observer is returned to be stopped with the
    server; where the system refuses (no inotify, its limits reached), the folder is polled as MkDocs would."""
    server.build_delay = QUIET_SECONDS
    polling, native = server.observer, Notified()
    server.observer = native
    try:
        server.watch(path)  # MkDocs' own handler (its rebuild request), scheduled on the native observer
    finally:
        server.observer = polling
    try:
        native.start()
    except OSError:
        server.observer = native
        try:
            server.unwatch(path)
        finally:
            server.observer = polling
        server.watch(path)
        return None
    return native


READS = frozenset({"opened", "closed_no_write"})  # a file read (the build reads every article), not changed


class Notified(Observer):  # type: ignore[misc, valid-type]  # the system's observer, whichever class it is
    """The system's observer, telling its handlers only of changes: MkDocs' handler rebuilds on any event, and a
    build reading the files it watches would otherwise start the next build, for ever."""

    def schedule(self, event_handler: FileSystemEventHandler, path: str, **options: Any) -> ObservedWatch:
        return super().schedule(Changes(event_handler), path, **options)  # type: ignore[no-any-return]


class Changes(FileSystemEventHandler):
    def __init__(self, handler: FileSystemEventHandler) -> None:
        self.handler = handler

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type not in READS:
            step(f"seen-{event.event_type}")
            self.handler.dispatch(event)
