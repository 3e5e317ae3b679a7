"""`mkdocs serve`'s rebuilds in a process of their own, which has no thread: every build step may use every core.

MkDocs rebuilds in its main thread while its server and file watcher run in others, so nothing a rebuild does may
fork (a forked child gets copies of locks other threads may hold), and the watcher polling a large content folder
takes the interpreter from the build. Once the first build is done, and before the server starts its threads
(`on_serve`), the serve process forks a builder: it inherits everything the first build left in memory (bantin.live)
and runs every later rebuild, forking render workers as `mkdocs build` does, while the serve process only watches
and serves. A rebuild is asked for and answered over a pipe; MkDocs reloads the browsers when the answer comes.
The builder dies with the serve process (PR_SET_PDEATHSIG), and the serve process builds by itself again if the
builder is ever gone.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import traceback
from collections.abc import Callable

from mkdocs.exceptions import Abort

from bantin.render import die_with_parent

BUILD = b"b"
DONE = b"0"
FAILED = b"1"


class Rebuilds:
    """The builder process; calling it is one rebuild (in place of MkDocs' `builder`), which raises if it failed."""

    def __init__(self, build: Callable[[], None], listening: socket.socket | None = None) -> None:
        self.build = build
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
                serve_builds(requests, replies, build)
                status = 0
            finally:
                os._exit(status)
        os.close(requests)
        os.close(replies)
        gc.freeze()  # what the first build left is the builder's now: the server never walks it again

    def __call__(self) -> None:
        if self.pid == 0:  # the builder is gone: build here, as MkDocs would
            self.build()
            return
        try:
            os.write(self.requests, BUILD)
            status = read_exactly(self.replies, 1)
            message = read_exactly(self.replies, int.from_bytes(read_exactly(self.replies, 4), "little"))
        except (OSError, EOFError):
            self.stop()
            raise Abort("Bản tin: tiến trình tạo trang xem trước đã dừng; lần lưu sau sẽ tạo lại trang") from None
        if status != DONE:
            raise Abort(message.decode("utf-8", "replace"))

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
        gc.unfreeze()


def serve_builds(requests: int, replies: int, build: Callable[[], None]) -> None:
    """In the builder: one build per request until the serve process closes its end."""
    while os.read(requests, 1) == BUILD:
        status, message = DONE, ""
        try:
            build()
        except BaseException as error:  # MkDocs' Abort is a SystemExit; the server reports it as MkDocs would
            status = FAILED
            if isinstance(error, SystemExit):
                message = str(error)
            else:
                traceback.print_exc()
                message = f"{type(error).__name__}: {error}"
        data = message.encode("utf-8")
        os.write(replies, status + len(data).to_bytes(4, "little") + data)


def read_exactly(fd: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data
