"""Build-time benchmark: cold, warm and one-edit builds of generated archives, beside Hugo + Pagefind and Material.

For each size, the same generated articles (../shared/bench/gen_corpus.py, one corpus in three layouts) are built
by Bản tin (this repo's site configuration), by Hugo followed by Pagefind over its HTML (the fastest thing a unit
could pick instead), and by a hand-configured Material blog (its blog, tags and search plugins). Each build runs
in a fresh process:

- cold: no cache and no previous output (Bản tin's `.cache/bantin/` and site moved aside, Hugo's `public/` and
  `resources/`; see `set_aside`);
- warm: the same build again, nothing changed;
- edit: one article's text changed (a different article and text each run), then built.

Runs alternate between the tools (cold of each, warm of each, edit of each, then again), so the machine's
background load falls on all of them alike; the medians are printed with the ratio of Bản tin's time to each
other tool's. Peak memory is the largest sum over the process and all its descendants (worker processes) of
their proportional set size (PSS, so pages shared after a fork are counted once), sampled from /proc at least
0.1 s apart; a sample is kept only when no process of the tree started, ended or was reaped while it was read (see
`tree_pss`). A reading walks every page table of the tree, so the readings are spaced to take at most
`SAMPLER_SHARE` of a core (at every 0.1 s they took 4-6 CPU s of a cold 10,000 build of ours, 6-8 s of Hugo +
Pagefind's, 137 s of a 100,000 build); each run's line says how much they took. The 1-minute load average is
printed at the start and end of each size.

    python bench/build.py                                   # 2,000 and 10,000 articles, all three tools
    python bench/build.py --sizes 100000 --tools bantin     # the 100,000-article figures
    python bench/build.py --sizes 2000 --runs 5 --tools bantin hugo
    python bench/build.py --sizes 2000 --tools bantin --engine properdocs   # Bản tin under ProperDocs
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"
OUT = REPO / "bench" / "out" / "build"
BIN = Path(sys.executable).parent
TRASH = "set-aside"  # beside the tools' folders: the outputs of earlier builds (set_aside)
REMOVED = OUT / "removed-at"  # when the bench last removed a working folder (seconds since the epoch)
RECENT_SECONDS = 361  # how long ext4 without a journal counts a freed inode as recent at most (set_aside)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}

# What a unit would configure by hand with Material alone: its blog, tags and built-in search.
MATERIAL_BLOG = """\
site_name: Bản tin
site_url: https://bantin.example.vn/
theme: {name: material, language: vi, font: false}
plugins: [blog, tags, search]
"""

# A plain Hugo site over the same posts: article pages, paginated lists, organization (units) and tag pages.
HUGO_CONFIG = """\
baseURL = "https://bantin.example.vn/"
languageCode = "vi"
title = "Bản tin"
[taxonomies]
  unit = "units"
  tag = "tags"
[pagination]
  pagerSize = 20
"""
HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "single.html": """{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "02/01/2006 15:04" }}{{ with .Params.author }} · {{ . }}{{ end }}</p>
{{ .Content }}
<p>{{ range .GetTerms "units" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Paginate .Pages }}
<ul>{{ range $pages.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ .Date.Format "02/01/2006" }}</li>{{ end }}</ul>
<nav>{{ if $pages.HasPrev }}<a href="{{ $pages.Prev.URL }}">Trang trước</a>{{ end }}
{{ if $pages.HasNext }}<a href="{{ $pages.Next.URL }}">Trang sau</a>{{ end }}</nav>{{ end }}
""",
}


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_mib: float
    cpu: float = 0.0  # user + system seconds of the process and its workers: moves less than wall time under load
    sampler_cpu: float = 0.0  # CPU seconds the memory sampler took from the machine meanwhile (its /proc readings)


SETTLE = 0.01  # seconds for a fork or exit under way during a reading to show in the tree (see tree_pss)
INTERVAL = 0.1  # seconds between memory readings, at the least
SAMPLER_SHARE = 0.05  # of one core, the most the readings take: at 100,000 items one walks 3.5 GB of page tables


def tree_pss(root: int, attempts: int = 100) -> int | None:
    """PSS in KiB of a process and all its descendants, from /proc, as of one moment; None if the tree never held
    still while it was read.

    The processes are read one after the other, and a fork or an exit moves pages between them: just after a fork
    the parent's pages count half in each of the two, so a parent read before a fork and its child read after it
    count those pages one and a half times (the sum of every reading of a 100,000-item build came to 7 GB where
    the processes never held 5), and a child that exits hands its share back to its parent. So the tree is listed
    before and after the reading, each process by its pid, start time, whether it has exited (a zombie holds no
    memory), its stack's address (changed by an exec) and the page faults of its reaped children (changed when a
    child, however short-lived, is reaped), and the reading is kept only if both lists are the same: then no page
    changed hands between processes, and what each process holds is its own (its allocations, frees and
    copy-on-write copies, at the moment it was read). Otherwise it is read again.
    """
    for _ in range(attempts):
        before = tree_of(root)
        total = sum(pss_of(pid) for pid in before)
        time.sleep(SETTLE)
        if before and tree_of(root) == before:
            return total
    return None


def tree_of(root: int) -> dict[int, tuple[object, ...]]:
    """Every process of the tree from `root`, by pid, with what changes when it forks, exits, execs or reaps."""
    found: dict[int, tuple[object, ...]] = {}
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            # state, cminflt and cmajflt (faults of reaped children), starttime, startstack (fields 3, 11, 13, 22, 28)
            found[pid] = (fields[0] == "Z", fields[8], fields[10], fields[19], fields[25])
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            found[pid] = ("gone",)
    return found


def pss_of(pid: int) -> int:
    """One process's PSS in KiB (0 once it has exited)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def sampler_check(mib: int = 64) -> list[str]:
    """What the sampler reads of processes whose memory is known, and where it is wrong (empty: right).

    A process holds `mib` MiB of its own, then forks children one after another for a while, each living 30 ms and
    only sharing it (the tree holds the same memory all along, however fast they come and go),
    then holds two children that each write over their copy (the tree holds `mib` MiB twice more)."""
    script = f"""
import os, sys, time
data = bytearray(os.urandom({mib} << 20))
print("ready", flush=True)
sys.stdin.readline()
end = time.monotonic() + 1.5
while time.monotonic() < end:
    pid = os.fork()
    if pid == 0:
        time.sleep(0.03)
        os._exit(0)
    os.waitpid(pid, 0)
children = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        for at in range(0, len(data), 4096):
            data[at] = 1
        print("copied", flush=True)
        sys.stdin.readline()
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
"""
    command = [sys.executable, "-c", script]
    problems = []
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1) as child:
        assert child.stdout is not None and child.stdin is not None
        output, lines = child.stdout, list[str]()
        reader = threading.Thread(target=lambda: lines.extend(iter(output.readline, "")), daemon=True)
        try:
            assert output.readline() == "ready\n"
            held = tree_pss(child.pid) or 0
            reader.start()
            child.stdin.write("go\n")
            forks, until = [], time.monotonic() + 1.4  # 1.5 s of forks, then the copies
            while time.monotonic() < until:
                sample = tree_pss(child.pid)
                if sample is not None and time.monotonic() < until:
                    forks.append(sample)
            while len(lines) < 2:  # until both copies are written
                time.sleep(0.01)
            if not forks or max(forks) > held * 1.05 or min(forks) < held * 0.95:
                low, high = min(forks or [0]) >> 10, max(forks or [0]) >> 10
                problems.append(f"while forking: read {low}–{high} MiB, held {held >> 10} MiB")
            copies, expected = tree_pss(child.pid) or 0, held + 2 * (mib << 10)
            if abs(copies - expected) > expected * 0.05:
                problems.append(f"two copies written: read {copies >> 10} MiB, held {expected >> 10} MiB")
        finally:
            child.stdin.write("end\nend\n")
            child.stdin.close()
            child.wait()
            if reader.is_alive():
                reader.join()
    return problems


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measure:
    """Wall time and peak memory (process tree PSS) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    sampler_cpu = [0.0]
    done = threading.Event()

    def sample() -> None:
        pause = INTERVAL
        while not done.wait(pause):
            used = time.thread_time()
            peak[0] = max(peak[0], tree_pss(child.pid) or 0)
            pause = max(INTERVAL, (time.thread_time() - used) * (1 - SAMPLER_SHARE) / SAMPLER_SHARE)
        sampler_cpu[0] = time.thread_time()

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = child.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{errors.decode('utf-8', 'replace')[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Measure(elapsed, peak[0] / 1024, cpu, sampler_cpu[0])


def generated(size: int, layout: str) -> Path:
    """The corpus in one layout, generated once into bench/out/build/ (git-ignored) and kept."""
    out = OUT / f"corpus-{size}-{layout}"
    if not (out / ("docs" if layout == "material-blog" else "content")).is_dir():
        if out.exists():
            shutil.rmtree(out)
        subprocess.run([sys.executable, str(GENERATOR), str(size), str(out), "--layout", layout], check=True)
    return out


def edit_one(folder: Path, number: int) -> None:
    """Change the text of one article (a different one each run), as an editor saving a correction would."""
    articles = sorted(folder.rglob("*.md"))
    path = articles[(number * 7919) % len(articles)]
    with path.open("a", encoding="utf-8") as stream:
        stream.write(f"\nĐính chính lần {number}: Ban Dân vận bổ sung thông tin về hội nghị.\n")


@dataclass
class Tool:
    """One way to build the articles, set up in its own working folder."""

    name: str
    work: Path
    build: Callable[[], Measure]
    outputs: tuple[str, ...]  # what a build leaves in `work`: moved aside before a cold build
    articles: Path
    indexed: Callable[[], int] | None = None  # how many articles its search index holds, read from its output
    results: dict[str, list[Measure]] = field(default_factory=dict)

    def measure(self, phase: str, number: int) -> None:
        if phase == "cold":
            set_aside(self.work, self.outputs, self.work.parent / TRASH / f"{self.work.name}-{number}")
        elif phase == "edit":
            edit_one(self.articles, number)
        measured = self.build()
        self.check_complete()
        self.results.setdefault(phase, []).append(measured)
        print(
            f"  {self.name} {phase}: {measured.seconds:.2f} s, {measured.peak_mib:.0f} MiB (load {load()},"
            f" sampler {measured.sampler_cpu:.1f} CPU s)",
            file=sys.stderr,
        )

    def check_complete(self) -> None:
        """Stop the bench when a build indexed fewer articles than it was given: a ratio against a tool that did less
        (a template its release no longer finds, an indexer that skipped pages) would say nothing."""
        if self.indexed is None:
            return
        given = sum(1 for _ in self.articles.rglob("*.md"))
        found = self.indexed()
        if found != given:
            raise SystemExit(f"{self.name} indexed {found} of {given} articles in {self.work}: its build is incomplete")


def set_aside(work: Path, outputs: tuple[str, ...], trash: Path) -> None:
    """Move a tool's outputs out of the way of its next cold build, to be removed once every build is timed.

    Removed here, they would slow the next builds: on ext4 without a journal (this machine's disk) the inode
    allocator passes over every inode freed in the last 60 s, 360 s while its inode table block is dirty, one buffer
    lookup each (`recently_deleted` in the kernel's fs/ext4/ialloc.c). Right after a site of 40,000 files was
    removed, creating a file or folder cost up to 1.5 ms of system time instead of 0.05 ms. Renaming frees no inode.
    """
    trash.mkdir(parents=True, exist_ok=True)
    for name in outputs:
        if (work / name).exists():
            os.rename(work / name, trash / name)


def removed(root: Path) -> None:
    """Remove a working folder, noting when: the next run of the bench waits for the disk (`settled`)."""
    shutil.rmtree(root)
    REMOVED.write_text(f"{time.time():.0f}\n", encoding="ascii")


def settled() -> None:
    """Wait until the inodes the last run of the bench freed no longer count as recent (see `set_aside`): its
    removal would otherwise slow the first cold build of this run."""
    try:
        left = float(REMOVED.read_text(encoding="ascii")) + RECENT_SECONDS - time.time()
    except (OSError, ValueError):
        return
    if left > 0:
        print(f"waiting {left:.0f} s for the files the last run removed to settle (bench/build.py, set_aside)")
        time.sleep(left)


def bantin_project(project: Path, size: int, content: Path) -> None:
    """This repo's site in `project`, over a copy of the generated articles in `content` (outside the repo, as a
    unit's archive would be; the site reads it through BANTIN_CONTENT_DIR)."""
    project.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("docs", "hooks", "content"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(generated(size, "bulletin") / "content", content)


def bantin(size: int, root: Path, engine: str = "mkdocs") -> Tool:
    project = root / "bantin"
    content = project / "archive"
    bantin_project(project, size, content)
    env = {**ENV, "BANTIN_CONTENT_DIR": str(content)}
    command = [sys.executable, "-m", engine, "build", "-q", "-d", str(project / "site")]

    def indexed() -> int:
        from bantin.search import INDEX_DIR  # here, not before the builds are timed: bantin imports numpy

        (meta,) = (project / "site" / INDEX_DIR).glob("*/meta.bin")
        return int(json.loads(gzip.decompress(meta.read_bytes()))["documents"])

    def build() -> Measure:
        return run(command, project, env)

    return Tool("Bản tin", project, build, (".cache", "site"), content, indexed)


def hugo(size: int, root: Path) -> Tool:
    site = root / "hugo"
    shutil.copytree(generated(size, "hugo"), site)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (site / "layouts").mkdir()
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    hugo_binary = str(BIN / "hugo")
    pagefind = [sys.executable, "-m", "pagefind", "--site", "public", "--silent"]

    def build() -> Measure:
        pages = run([hugo_binary, "--quiet"], site)
        index = run(pagefind, site)
        peak, sampler = max(pages.peak_mib, index.peak_mib), pages.sampler_cpu + index.sampler_cpu
        return Measure(pages.seconds + index.seconds, peak, pages.cpu + index.cpu, sampler)

    def indexed() -> int:
        """Pages Pagefind indexed (only article pages carry `data-pagefind-body`), once Hugo wrote each article."""
        pages = [
            page
            for page in (site / "public" / "posts").rglob("index.html")
            if b"data-pagefind-body" in page.read_bytes()
        ]
        entry = json.loads((site / "public" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        counted = sum(int(language["page_count"]) for language in entry["languages"].values())
        return min(len(pages), counted)

    outputs = ("public", "resources", ".hugo_build.lock")
    return Tool("Hugo + Pagefind", site, build, outputs, site / "content", indexed)


def material(size: int, root: Path) -> Tool:
    site = root / "material"
    shutil.copytree(generated(size, "material-blog"), site)
    (site / "mkdocs.yml").write_text(MATERIAL_BLOG, encoding="utf-8")
    command = [str(BIN / "mkdocs"), "build", "-q", "-d", str(site / "site")]
    return Tool("Material blog", site, lambda: run(command, site), ("site", ".cache"), site / "docs")


TOOLS = {"bantin": bantin, "hugo": hugo, "material": material}
PHASES = ("cold", "warm", "edit")


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def report(size: int, tools: list[Tool], load_before: str, phases: list[str]) -> None:
    print(f"\n{size:,} articles, {len(tools[0].results[phases[0]])} runs each (load average {load_before} → {load()})")
    header = "".join(f"{phase + ' s':>10}" for phase in phases)
    print(f"{'':<17}{header}{'peak MiB':>10}")
    medians: dict[str, dict[str, float]] = {}
    for tool in tools:
        medians[tool.name] = {phase: statistics.median(m.seconds for m in tool.results[phase]) for phase in phases}
        peak = max(m.peak_mib for runs in tool.results.values() for m in runs)
        cells = "".join(f"{medians[tool.name][phase]:>10.2f}" for phase in phases)
        cpu = "".join(f"{statistics.median(m.cpu for m in tool.results[phase]):>10.2f}" for phase in phases)
        print(f"{tool.name:<17}{cells}{peak:>10.0f}")
        print(f"{'  cpu s':<17}{cpu}")
    ours = medians[tools[0].name]
    for tool in tools[1:]:
        cells = "".join(f"{ours[phase] / medians[tool.name][phase]:>10.2f}" for phase in phases)
        print(f"{'  × ' + tool.name:<17}{cells}")


def compiled() -> None:
    """Bản tin's bytecode written before any build is timed, as pip writes it for a package it installs: an editable
    install leaves it to the first import, which writes none where PYTHONDONTWRITEBYTECODE is set, so that every
    timed build would compile bantin again."""
    compileall.compile_dir(REPO / "bantin", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000, 10000], help="generated corpus sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs of each phase per tool (median printed)")
    parser.add_argument("--tools", nargs="*", choices=sorted(TOOLS), default=["bantin", "hugo", "material"])
    parser.add_argument("--phases", nargs="*", choices=PHASES, default=list(PHASES), help="which builds to time")
    parser.add_argument("--keep", action="store_true", help="keep the working folders in bench/out/build/")
    parser.add_argument("--engine", choices=["mkdocs", "properdocs"], default="mkdocs", help="Bản tin's build command")
    parser.add_argument("--check-sampler", action="store_true", help="check the memory sampler on a known case")
    args = parser.parse_args()
    if args.check_sampler:
        problems = sampler_check()
        raise SystemExit("\n".join(problems) if problems else None)
    compiled()
    names = ["bantin", *[name for name in args.tools if name != "bantin"]]
    for size in args.sizes:
        root = OUT / f"work-{size}"
        if root.exists():
            removed(root)
        root.mkdir(parents=True)
        tools = [bantin(size, root, args.engine), *(TOOLS[name](size, root) for name in names[1:])]
        settled()
        before = load()
        for number in range(args.runs):
            for phase in args.phases:
                for tool in tools:
                    tool.measure(phase, number)
        report(size, tools, before, args.phases)
        if not args.keep:
            removed(root)


if __name__ == "__main__":
    main()
