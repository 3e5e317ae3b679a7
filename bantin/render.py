"""Rendering the generated pages: only those the cache lacks, on every core, through MkDocs' own page pipeline.

MkDocs renders pages one after another in one process, and renders every page on every build. Bản tin's
generated pages (items, listings, organization and archive pages: all but the few in the nav) are rendered
here instead, in `on_env`, once MkDocs has gathered files, nav and the template environment: each page goes
through the same steps and plugin events as in MkDocs' `_populate_page` and `_build_page`, and the HTML is
stored in the cache under a key of everything it was made from. MkDocs then copies each page from the cache
into `site_dir` as a static file (`CachedPage`), so a page whose key is unchanged is never rendered again.

Pages missing from the cache are split between this process and forked workers. A worker dies with its parent
(PR_SET_PDEATHSIG on Linux, and it checks its parent between pages); its log records are passed back and
logged by the parent, so `--strict` counts a warning raised while rendering in a worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import itertools
import logging
import mmap
import multiprocessing
import os
import pickle
import posixpath
import re
import signal
import struct
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from jinja2 import Environment
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from bantin.cache import LinkedEntries, Store, write_all
from bantin.converter import Converter
from bantin.preview import with_panel
from bantin.urls import PLAIN_PATH

PARALLEL_FROM = 64  # fewer pages than this render faster here than a fork costs
BATCH_MIN = 16  # the fewest tasks a forked worker is started for
BATCH_MAX = 1000  # the most: a worker rendering pages copies ~60 KB of the parent's memory for each
PR_SET_PDEATHSIG = 1
PIECES_PER_CORE = 16  # a gather_shares is cut in this many pieces per core: the last to finish is a small one
PIECE = struct.Struct("qqq")  # a gathering worker's word for a finished piece: its number, offset and length
T = TypeVar("T")
R = TypeVar("R")


PLAIN_SOURCE = re.compile(r"[^/.\\][^/\\]*(?:/[^/.\\][^/\\]*)*")
"""A relative path pathlib leaves as it is: no empty, `.` or `..` segment (nor any starting with a dot), no `\\`."""


class CachedPage(File):
    """A generated page already rendered into the cache: MkDocs copies it to its place like a static file.

    Its `src_uri` is the page's (`tin/2024/bai.md`), so links and clashes resolve as for any page. Under
    `mkdocs serve` with content errors, `panel` is put at the top of the copy (bantin.preview).
    """

    panel = ""
    published = False

    @property
    def src_path(self) -> str:
        return os.path.normpath(self.src_uri)

    @src_path.setter
    def src_path(self, value: str) -> None:
        # A page's source is a plain relative path already: MkDocs' own setter normalizes it through pathlib, a
        # fifth of making the 15,000 stand-ins of a 10,000-item build.
        self.src_uri = value if PLAIN_SOURCE.fullmatch(value) else PurePath(value).as_posix()

    def copy_file(self, dirty: bool = False) -> None:
        if not self.published:
            self.publish()

    def publish(self) -> None:
        """One read and one write (MkDocs' copy stats each file several times: 15,000 pages at 10,000 items)."""
        assert self.abs_src_path is not None
        with open(self.abs_src_path, "rb") as source:
            self.write(source.read())

    def write(self, data: bytes) -> None:
        write_new(self.abs_dest_path, with_panel(data, self.panel) if self.panel else data)

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return True

    def is_media_file(self) -> bool:
        return False


@dataclass(frozen=True)
class Job:
    """One page to render: its source, Markdown (UTF-8, decoded when rendered: thousands wait to be rendered, see
    `bantin.items.Item`), the cache key its HTML is stored under and its place in the site."""

    src_uri: str
    source: bytes
    key: str
    page: CachedPage


def cached_file(config: MkDocsConfig, src_uri: str, cached: str) -> CachedPage:
    """The page's stand-in among MkDocs' files, at the URL and destination a rendered page would have."""
    stand_in = CachedPage(
        src_uri,
        src_dir=None,
        dest_dir=config.site_dir,
        use_directory_urls=config.use_directory_urls,
        dest_uri=page_destination(src_uri, config.use_directory_urls),
        inclusion=InclusionLevel.NOT_IN_NAV,
    )
    stand_in.abs_src_path = cached
    stand_in.generated_by = "bantin"
    return stand_in


def page_destination(src_uri: str, use_directory_urls: bool) -> str:
    """Where MkDocs writes a Markdown page (File.dest_uri): `a/b.md` → `a/b/index.html`, `a/index.md` likewise."""
    parent, filename = posixpath.split(src_uri)
    name = filename.rsplit(".", 1)[0]
    if not use_directory_urls or name in ("index", "README"):
        name = "index" if name == "README" else name
        return posixpath.join(parent, name + ".html")
    return posixpath.join(parent, name, "index.html")


PLAIN_SITE = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9_~%+-][A-Za-z0-9._~%+-]*)*/?")
"""A `site_url` urljoin keeps as it is: lowercase scheme, host, a plain path; no query, fragment or dot segment."""


class GeneratedPage(Page):
    """MkDocs' page, its canonical URL joined without `urljoin` where the join is plain: `site_url` and the page's
    URL put end to end (a tenth of making a page was urljoin's parsing). Any other site_url takes MkDocs' way."""

    def _set_canonical_url(self, base: str | None) -> None:
        url = self.url
        if base and PLAIN_SITE.fullmatch(base) and (not url or PLAIN_PATH.fullmatch(url)):
            base = base if base.endswith("/") else base + "/"
            self.canonical_url = base + url
            self.abs_url = site_path(base) + url
        else:
            super()._set_canonical_url(base)


@functools.lru_cache(maxsize=16)
def site_path(site_url: str) -> str:
    """The path of a site's address (`https://example.vn/ban-tin/` → `/ban-tin/`), as MkDocs' `abs_url` starts."""
    return urlsplit(site_url).path


def render_page(
    job: Job,
    config: MkDocsConfig,
    files: Files,
    doc_files: Sequence[File],
    nav: Navigation,
    env: Environment,
    converter: Converter | None = None,
) -> bytes:
    """One page through MkDocs' own steps (mkdocs.commands.build: _populate_page, then _build_page)."""
    markdown = job.source.decode("utf-8")
    file = File.generated(config, job.src_uri, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV)
    page: Page = GeneratedPage(None, file, config)
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        (converter or Converter(config)).render(page, files)
        assert page.content is not None
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
        page.active = True
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = template.render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
    except Exception as error:
        logging.getLogger("mkdocs.commands.build").error(f"Error building page '{job.src_uri}': {error}")
        raise
    finally:
        page.active = False
        config._current_page = None
    return output.encode("utf-8", errors="xmlcharrefreplace")


def render_missing(
    jobs: Sequence[Job], store: Store, render: Callable[[Job], tuple[bytes, bool]], linked: LinkedEntries
) -> None:
    """Render every job into the site, and into the store the pages `render` calls clean, on as many processes as
    there are cores (one when forking is unsafe); the pages rendered need no copy from the cache afterwards.

    The store's entry of a page is a hard link of the site's file just written (one system call, where writing it
    again took four); `linked` keeps its size and time, so that an entry changed through a site is never used. A
    page with the preview's error panel, or where the cache cannot link to the site, is written into the store.

    A page that is not clean (its body lost markup to the sanitizer) is never cached, so each build finds its
    errors again; the pages a worker leaves out of the store are rendered again here, where errors are recorded.
    """

    def work(job: Job) -> None:
        data, clean = render(job)
        job.page.write(data)
        if clean and (job.page.panel or not store.link(job.key, job.page.abs_dest_path, ".html")):
            store.put_bytes(job.key, data, ".html")

    share_out(jobs, work)
    # A worker that stopped early (an error in a page) left pages out, and a page with body errors is never stored:
    # render them here, where the error surfaces and the body's errors reach the build.
    for job in jobs:
        if not linked.record(job.key):
            work(job)
            linked.record(job.key)
        job.page.published = True
    linked.save()


def publish(pages: Sequence[CachedPage]) -> None:
    """Copy the cached pages into site_dir on every core; MkDocs' own copy then leaves them alone."""
    failed = share_out(pages, CachedPage.publish)
    for page in failed:
        page.publish()


def copy_pair(pair: tuple[str, str]) -> None:
    """Copy one cached file into the site (its folder exists): one read, one write."""
    with open(pair[0], "rb") as source:
        data = source.read()
    replace_file(pair[1])
    with open(pair[1], "wb") as target:
        target.write(data)


def replace_file(path: str) -> None:
    """Remove a file about to be written: a site folder may share it with the published site (a hard link,
    bantin.output.linked), which must not change in place."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_new(path: str, data: bytes) -> None:
    """Write a file of a site folder as a new file, never into the one it replaces, which may be a hard link of the
    published site's (`replace_file`).

    Its folder is made first, as a page's own folder (`a/b/index.html`) is new in a cold build: four system calls
    for a new page (mkdir, open, write, close), where a makedirs, an unlink and Python's buffered file took seven.
    """
    make_folder(os.path.dirname(path))
    try:
        handle = os.open(path, NEW_FILE, 0o666)
    except FileExistsError:
        os.unlink(path)
        handle = os.open(path, NEW_FILE, 0o666)
    write_all(handle, data)


def make_folder(folder: str) -> None:
    """A folder that may exist already, made with one call when its parent exists."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def copy_all(pairs: Sequence[tuple[str, str]]) -> None:
    """Copy cached files (the search index) into the site on every core."""
    for pair in share_out(pairs, copy_pair):
        copy_pair(pair)


def share_out(tasks: Sequence[T], work: Callable[[T], object]) -> list[T]:
    """Do `work` for every task, split between this process and forked workers, one at a time per other core.

    Returns the tasks of workers that did not finish (the caller redoes them here, where an error is reported).
    The collection and everything built before are frozen out of the garbage collector meanwhile: its full
    passes over them were 7 % of a 10,000-article build, and in a forked worker they would copy every page
    of memory they touch.
    """
    workers = cores()
    if len(tasks) < PARALLEL_FROM or not can_fork():
        workers = 1
    gc.freeze()
    try:
        return run_shares(tasks, work, workers)
    finally:
        gc.unfreeze()


def gather_shares(tasks: Sequence[T], work: Callable[[Sequence[T]], list[R]], minimum: int) -> list[R]:
    """`work` over the tasks split between this process and forked workers, one per core, with every result
    brought back here (pickled); from `minimum` tasks on, and only where forking is safe.

    The tasks are cut into pieces that the workers take from the front and this process from the back (`Board`),
    so all finish together however unequal the pieces; each piece a worker finishes is read back here between
    this process's own pieces, not all at the end with one core idle. A piece a worker took and did not hand
    back (it failed, or its result did not read) is done again here, where an error is reported. Results come
    piece by piece, not in the tasks' order.
    """
    workers = cores()
    if len(tasks) < max(minimum, 2) or workers < 2 or not can_fork():
        return work(tasks)
    count = min(len(tasks), PIECES_PER_CORE * workers)
    bounds = [len(tasks) * number // count for number in range(count + 1)]
    pieces = [tasks[start:end] for start, end in itertools.pairwise(bounds)]
    board = Board(count)
    children = [fork_gatherer(board, pieces, work) for _ in range(workers - 1)]
    results: list[R] = []
    done: set[int] = set()
    try:
        while (number := board.take_last()) is not None:
            results.extend(work(pieces[number]))
            done.add(number)
            for child in children:
                results.extend(child.handed(done))
        for child in children:
            results.extend(child.finished(done))
    except BaseException:
        stop([(child.pid, child.scratch) for child in children])
        for child in children:
            child.close()
        raise
    for number in range(count):
        if number not in done:
            results.extend(work(pieces[number]))
    return results


class Board:
    """Which pieces are taken, shared by a process and the workers it forks: workers take from the front, the
    process from the back, each under one lock, so every piece is taken exactly once."""

    def __init__(self, count: int) -> None:
        self.lock = multiprocessing.get_context("fork").Lock()
        self.ends = mmap.mmap(-1, 16)  # shared with forked workers: the next piece from the front, one past the last
        struct.pack_into("qq", self.ends, 0, 0, count)

    def take(self, last: bool) -> int | None:
        with self.lock:
            front, back = (int(end) for end in struct.unpack_from("qq", self.ends))
            if front >= back:
                return None
            struct.pack_into("qq", self.ends, 0, front + (not last), back - last)
            return back - 1 if last else front

    def take_first(self) -> int | None:
        return self.take(last=False)

    def take_last(self) -> int | None:
        return self.take(last=True)


@dataclass
class Gatherer(Generic[R]):
    """A forked worker doing pieces of a `gather_shares`: it writes each piece's pickled results at the end of its
    scratch file, then says on a pipe which piece they are and where (PIECE: number, offset, length)."""

    pid: int
    scratch: Scratch
    said: int  # the pipe's end this process reads
    heard: bytes = b""

    def handed(self, done: set[int], wait: bool = False) -> list[R]:
        """The results of every piece the worker has said it finished (waiting for it to end when `wait`)."""
        os.set_blocking(self.said, wait)
        chunks = [self.heard]
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(self.said, 65536):
                chunks.append(chunk)
        heard = b"".join(chunks)
        whole = len(heard) - len(heard) % PIECE.size
        self.heard = heard[whole:]
        results: list[R] = []
        for number, offset, length in PIECE.iter_unpack(heard[:whole]):
            try:
                results.extend(pickle.loads(self.scratch.read_at(offset, length)))
            except (OSError, pickle.UnpicklingError, EOFError):
                continue  # done again by the caller
            done.add(number)
        return results

    def finished(self, done: set[int]) -> list[R]:
        """The rest of its results once it has ended; its file and pipe are closed."""
        try:
            results: list[R] = self.handed(done, wait=True)
            os.waitpid(self.pid, 0)
            return results
        finally:
            self.close()

    def close(self) -> None:
        if self.said != -1:
            os.close(self.said)
            self.said = -1
        self.scratch.close()


def fork_gatherer(board: Board, pieces: Sequence[Sequence[T]], work: Callable[[Sequence[T]], list[R]]) -> Gatherer[R]:
    """A worker taking pieces from the front of `board` until none is left (see `Gatherer`)."""
    scratch = Scratch()
    said, say = os.pipe()
    pid = os.fork()
    if pid:
        os.close(say)
        return Gatherer[R](pid, scratch, said)
    status = 1
    try:
        die_with_parent()
        os.close(said)
        offset = 0
        while (number := board.take_first()) is not None:
            data = pickle.dumps(work(pieces[number]), protocol=pickle.HIGHEST_PROTOCOL)
            scratch.write_at(offset, data)
            os.write(say, PIECE.pack(number, offset, len(data)))  # smaller than PIPE_BUF: written whole
            offset += len(data)
        status = 0
    finally:
        os._exit(status)


def run_shares(tasks: Sequence[T], work: Callable[[T], object], workers: int) -> list[T]:
    """Every task done once: this process takes them from the end, forked workers batches from the start; the tasks
    of workers that failed are returned.

    A worker lives for one batch, and batches shrink as the tasks run out. A forked worker shares the parent's
    memory only until either process writes to a page of it (a reference count is a write), so what they copy lasts
    only as long as a batch: one worker for half of 155,000 pages copied 1.7 GB at 100,000 items, one for a
    thousand copies about 60 MB. A batch is an equal share of the tasks left (at most BATCH_MAX), so every core is
    busy to the end; no smaller, since every fork also costs both processes a copy of each page they go on to
    write: a cold 10,000-item build forked 17-19 workers for quarter shares, 7-8 for whole ones, and its own
    process took 460,000-471,000 page faults against 377,000-391,000 (bench/README.md, "twelfth round").
    """
    front, back = 0, len(tasks)
    running: dict[int, tuple[Scratch, Sequence[T]]] = {}
    failed: list[T] = []

    def launch() -> None:
        nonlocal front
        left = back - front
        if left < 2 * BATCH_MIN:
            return  # fewer than a fork is worth: this process finishes them
        size = min(BATCH_MAX, max(BATCH_MIN, left // workers))
        batch, front = tasks[front : front + size], front + size
        pid, records = fork_worker(batch, work)
        running[pid] = (records, batch)

    def reap(pid: int, status: int) -> None:
        records, batch = running.pop(pid)
        replay(records)
        if os.waitstatus_to_exitcode(status) != 0:
            failed.extend(batch)

    try:
        for _ in range(workers - 1):
            launch()
        while back > front:
            back -= 1
            work(tasks[back])
            for pid in list(running):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    reap(pid, status)
                    launch()
        while running:
            pid = next(iter(running))
            _, status = os.waitpid(pid, 0)
            reap(pid, status)
    except BaseException:
        stop([(pid, records) for pid, (records, _) in running.items()])
        raise
    return failed


def cores() -> int:
    """How many cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def stop(children: Sequence[tuple[int, Scratch]]) -> None:
    """Kill forked workers and close the files they were to write."""
    for pid, scratch in children:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        scratch.close()


class Scratch:
    """A file a forked worker writes and its parent reads: at once after the worker has ended (`write`, `read`),
    or piece by piece while it runs (`write_at`, `read_at`). It never has a name (tempfile.TemporaryFile), so
    nothing is left behind however either process ends: named files in the temporary folder stayed there, one
    per worker, whenever a build was killed."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 -- outlives this call: read or close closes it

    def write(self, data: bytes) -> None:
        """In the worker: the file's offset is shared with the parent, which reads only after the worker ended."""
        self.file.seek(0)
        self.file.truncate()
        self.file.write(data)
        self.file.flush()  # the worker ends with os._exit, which flushes nothing

    def read(self) -> bytes:
        """In the parent: what the worker wrote (nothing when it wrote nothing); the file is closed."""
        try:
            self.file.seek(0)
            return self.file.read()
        finally:
            self.close()

    def write_at(self, offset: int, data: bytes) -> None:
        """In a worker that writes while its parent reads: at `offset`, never through the offset both share."""
        view = memoryview(data)
        while view:
            view = view[os.pwrite(self.file.fileno(), view, offset + len(data) - len(view)) :]

    def read_at(self, offset: int, length: int) -> bytes:
        """In the parent, while its worker may still write further on (`write_at`)."""
        return os.pread(self.file.fileno(), length, offset)

    def close(self) -> None:
        self.file.close()


def can_fork() -> bool:
    """Forking is safe only without other threads (`mkdocs serve` rebuilds beside its server threads)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def fork_worker(tasks: Sequence[T], work: Callable[[T], object]) -> tuple[int, Scratch]:
    """Start a worker process doing `work` for each task; returns its pid and the file its log records will be in."""
    records = Scratch()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid, records
    status = 1
    collected: list[tuple[str, int, str]] = []
    try:
        die_with_parent()
        collect_logs(collected)
        for task in tasks:
            if os.getppid() != parent:
                break
            work(task)
        else:
            status = 0
    except BaseException:  # the parent redoes what is missing and reports the error itself
        status = 1
    finally:
        with contextlib.suppress(Exception):
            records.write(pickle.dumps(collected))
        os._exit(status)


def die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies, however it dies."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def collect_logs(collected: list[tuple[str, int, str]]) -> None:
    """In a worker: keep log records (warnings and above) for the parent instead of printing them."""

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            collected.append((record.name, record.levelno, record.getMessage()))

    handler = Collect(logging.WARNING)
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.handlers = [handler]
    mkdocs_logger.propagate = False
    logging.getLogger().handlers = [handler]


def replay(records: Scratch) -> None:
    """Log in the parent what a worker logged, so it is printed once and counted by `--strict`."""
    try:
        data = records.read()
        collected = pickle.loads(data) if data else []
    except (OSError, pickle.UnpicklingError, EOFError):
        collected = []
    for name, level, message in collected:
        logging.getLogger(name).log(level, message)
