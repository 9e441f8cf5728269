"""`make bench`: build the real corpus and synthetic ones 30 and 100 times its size, and report.

The synthetic corpus is made from the real data (each document's tree repeated N times with
fresh ids and numbers, references kept inside each copy) and built through the same pipeline,
in a temporary folder, each size 3 times from nothing (full builds), then 3 times after an edit of
one task (incremental builds). Prints, for each size: pages, min and median wall seconds, CPU
seconds, ms per page (median), peak memory, the largest page of any kind, the incremental builds'
min and median and their ratio to a full build's median; with
--baseline REF the new/old time ratio at 30× (REF built alternately, on its own data made 30
times as large); `largest page: N KB` and last `scaling ratio: R` (ms per page, medians,
largest size / 1×).
"""
from __future__ import annotations

import copy
import os
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from . import background
from .load import walk_raw
from .pipeline import DATA_DIR, load_corpus

ROOT = Path(__file__).resolve().parent.parent
ITEM_KINDS = {"measure", "column", "task"}


def _suffix_tree(nodes, suffix: str, offsets: dict, copy_index: int):
    for node in nodes:
        node["id"] = f"{node['id']}{suffix}"
        if node.get("number"):
            if node["kind"] in offsets:
                node["number"] = str(int(node["number"]) + offsets[node["kind"]] * copy_index)
            elif copy_index:
                node["number"] = f"{node['number']}{copy_index}"
        for field in ("implements",):
            if node.get(field):
                node[field] = [f"{ref}{suffix}" for ref in node[field]]
        if node.get("belongs_to"):
            node["belongs_to"] = f"{node['belongs_to']}{suffix}"
        if copy_index:  # a copy's renumbered headings no longer read as the corrections say
            for note in node.get("notes") or []:
                if note["type"] == "correction":
                    note["type"] = "editorial"
        _suffix_tree(node.get("children") or [], suffix, offsets, copy_index)


def make_synthetic(target: Path, factor: int, source: Path = DATA_DIR) -> None:
    """Write data/ for a corpus `factor` times the real one (`source`: another tree's data/) into `target`."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("documents", "sources"))
    (target / "documents").mkdir()
    for path in sorted((source / "documents").glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        offsets = {}
        for node, _ in walk_raw(document["sections"]):
            if node["kind"] in ("task", "column", "indicator") and str(node.get("number", "")).isdigit():
                offsets[node["kind"]] = max(offsets.get(node["kind"], 0), int(node["number"]))
        sections = []
        for index in range(factor):
            tree = copy.deepcopy(document["sections"])
            _suffix_tree(tree, f"-r{index}" if index else "", offsets, index)
            sections.extend(tree)
        document["sections"] = sections
        (target / "documents" / path.name).write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=10**9), encoding="utf-8")


def _tree_pss(pid: int) -> int:
    """Memory of a process and all its descendants, now (Linux /proc): their proportional set size,
    so pages forked processes share are counted once, not once per process."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(rollup.split("\nPss:")[1].split()[0]) * 1024 if "\nPss:" in rollup else 0
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def timed_build(data_dir: Path, site_dir: Path, root: Path = ROOT, full: bool = True, wait: bool = True) -> dict:
    """One `python -m generator build` of `root`'s generator on `data_dir`: wall seconds, CPU seconds,
    the largest single process's peak RSS and the peak memory of the whole process tree (sampled), and
    what it printed. `full`: from an empty folder; else over the site built before (incremental).
    `wait`: for the last build's work in the background first, as an editor's next build would find it done."""
    import threading

    if wait:  # the old site deleted, the new one's files linked
        background.wait(site_dir)
    env = {**os.environ, "IPP_DATA_DIR": str(data_dir), "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(root),
           "IPP_BENCH_LARGE_FILES": "1"}  # the 100× plans are larger than a data file may be
    if full:  # from nothing: no site, no record of one (a full build), no templates compiled before
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.rmtree(site_dir.with_name(f".{site_dir.name}.cache"), ignore_errors=True)
    # A child that runs the build and reports its descendants' usage: our own process's
    # RUSAGE_CHILDREN would mix all the builds of this run.
    runner = ("import resource, subprocess, sys, json; r = subprocess.run(sys.argv[1:]); "
              "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
              "print(json.dumps([r.returncode, u.ru_utime + u.ru_stime, u.ru_maxrss * 1024]), file=sys.stderr)")
    command = [sys.executable, "-c", runner, sys.executable, "-m", "generator", "build", "--site-dir", str(site_dir)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_pss(process.pid))
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    import json

    returncode, cpu, largest = json.loads(stderr.strip().splitlines()[-1])
    if returncode != 0:
        raise SystemExit(stderr)
    return {"seconds": seconds, "cpu": cpu, "rss": largest, "tree_pss": peak[0], "output": stdout}


# One task's wording corrected (with the note the data requires of a correction), then put back: each
# step is an editor's edit of one task.
TASK_EDITS = [
    ("推动出台《民间文学艺术作品著作权保护条例》。（中央宣传部负责）\n",
     "推动制定《民间文学艺术作品著作权保护条例》。（中央宣传部负责）\n      notes:\n      - type: correction\n"
     "        reads: 推动出台《民间\n        published: 推动制定《民间\n        reason: 测试\n        public: 测试\n"),
]


def incremental_builds(data: Path, site_dir: Path, runs: int) -> tuple[list[dict], dict]:
    """`runs` builds over the site built last from `data`, each after one task's edit there (made, undone,
    made…; put back at the end), and one more started at once after the last: the work that build left
    in the background (linking its site's files for the next, deleting the old site) not yet done."""
    plan = data / "documents" / "plan-2023.yml"
    original = plan.read_text(encoding="utf-8")
    before, after = TASK_EDITS[0]
    assert before in original, "the bench's task edit no longer applies to plan-2023"
    builds = []
    for run in range(runs + 1):
        plan.write_text(original.replace(before, after, 1) if run % 2 == 0 else original, encoding="utf-8")
        build = timed_build(data, site_dir, full=False, wait=run < runs)
        if "incremental: 1 item(s) changed" not in build["output"]:
            raise SystemExit(f"the build after one task's edit was not incremental:\n{build['output']}")
        builds.append(build)
    plan.write_text(original, encoding="utf-8")
    return builds[:-1], builds[-1]


def site_facts(data_dir: Path, site_dir: Path) -> dict:
    """Pages, the largest page of any kind and of an item of a built site (the search: generator.search_bench)."""
    from . import load

    load.MAX_FILE_BYTES = 1 << 40  # the 100× plans are larger than a data file may be (as in timed_build)
    corpus = load_corpus(data_dir)
    sizes = {path: path.stat().st_size for path in site_dir.rglob("*.html")}
    largest = max(sizes, key=sizes.get)
    item_sizes = [sizes[site_dir / n.url / "index.html"] for n in corpus.nodes if n.kind in ITEM_KINDS]
    return {"pages": len(sizes), "largest_kb": sizes[largest] / 1024,
            "largest_page": str(largest.parent.relative_to(site_dir)) + "/",
            "largest_item_kb": max(item_sizes) / 1024}


def measure(data_dir: Path, site_dir: Path, runs: int = 3, baseline: tuple[Path, Path] | None = None) -> dict:
    """Build `runs` times, alternating with the baseline (its tree and its own data at the same size), if given."""
    builds, old = [], []
    for _ in range(runs):
        builds.append(timed_build(data_dir, site_dir))
        if baseline is not None:
            old_site = site_dir.with_name(site_dir.name + "-old")
            old.append(timed_build(baseline[1], old_site, root=baseline[0]))
            old_pages = sum(1 for _ in old_site.rglob("*.html"))
    row = site_facts(data_dir, site_dir)
    awaited, at_once = incremental_builds(data_dir, site_dir, runs)
    edits = sorted(b["seconds"] for b in awaited)
    row.update(edit_min=edits[0], edit_median=statistics.median(edits), edit_at_once=at_once["seconds"])
    seconds = sorted(b["seconds"] for b in builds)
    row.update(runs=runs, min=seconds[0], median=statistics.median(seconds),
               cpu=statistics.median(b["cpu"] for b in builds),
               rss_mb=max(b["rss"] for b in builds) / 2**20, tree_pss_mb=max(b["tree_pss"] for b in builds) / 2**20)
    row["ms_per_page"] = 1000 * row["median"] / row["pages"]
    if old:
        row["old_median"] = statistics.median(b["seconds"] for b in old)
        row["old_min"] = min(b["seconds"] for b in old)
        row["old_pages"] = old_pages
    return row


def hugo_seconds(pages: int, scratch: Path) -> float | None:
    """Hugo building `pages` trivial pages, for reference; None without `hugo`."""
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    site = scratch / "hugo"
    (site / "content").mkdir(parents=True, exist_ok=True)
    (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text('baseURL = "/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (site / "layouts" / "_default" / "single.html").write_text("<html><body>{{ .Content }}</body></html>")
    (site / "layouts" / "_default" / "list.html").write_text("<html><body>{{ .Content }}</body></html>")
    for number in range(pages):
        (site / "content" / f"p{number}.md").write_text(f"---\ntitle: p{number}\n---\n第{number}页。\n")
    started = time.perf_counter()
    subprocess.run([hugo, "--quiet", "-s", str(site)], check=True, capture_output=True)
    return time.perf_counter() - started


def start_serve(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """`mkdocs serve --dirty` (as `make serve` runs it) on a free local port; returns it and its base URL."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "IPP_DATA_DIR": str(data_dir), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return server, f"http://127.0.0.1:{port}/"


def serve_latency(data_dir: Path, trials: int = 3) -> list[float]:
    """Seconds from saving a YAML edit to the changed page being served by `make serve`."""
    import urllib.request

    server, base = start_serve(data_dir)
    url = base + "plan-2023/p-1/"
    plan = data_dir / "documents" / "plan-2023.yml"

    def served() -> str:
        try:
            return urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
        except OSError:
            return ""

    try:
        deadline = time.time() + 60
        while "完善知识产权制度" not in served() and time.time() < deadline:
            time.sleep(0.2)
        original = plan.read_text(encoding="utf-8")
        results = []
        for trial in range(trials):
            marker = f"serve-edit-{trial}"
            # A wording edit is recorded as a correction, as the fidelity check requires.
            plan.write_text(original.replace("\n  title: 完善知识产权制度\n", f"\n  title: 完善知识产权制度{marker}\n  notes:\n"
                                             f"  - {{type: correction, reads: 完善知识产权制度, published: 完善知识产权制度{marker}, reason: 测试, public: 测试}}\n", 1),
                            encoding="utf-8")
            started = time.perf_counter()
            while marker not in served() and time.perf_counter() - started < 30:
                time.sleep(0.05)
            results.append(time.perf_counter() - started)
            plan.write_text(original, encoding="utf-8")
            time.sleep(3)
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def baseline_tree(ref: str, scratch: Path) -> Path:
    """The repository at `ref` (a commit of main to compare with), unpacked into scratch."""
    target = scratch / "baseline"
    target.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m generator.bench", description=__doc__)
    parser.add_argument("--factors", default="1,30,100", help="corpus sizes to build (default 1,30,100)")
    parser.add_argument("--runs", type=int, default=3, help="builds per size (default 3)")
    parser.add_argument("--baseline", default="", help="a commit to build side by side at 30× (old/new ratio)")
    parser.add_argument("--no-serve", action="store_true", help="skip the make serve latency")
    args = parser.parse_args(argv)
    factors = [int(f) for f in args.factors.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="ipp-bench-") as scratch:
        scratch = Path(scratch)
        baseline = baseline_tree(args.baseline, scratch) if args.baseline else None
        for factor in factors:
            data = scratch / f"data-{factor}"  # the incremental builds edit it
            if factor == 1:
                shutil.copytree(DATA_DIR, data)
            else:
                make_synthetic(data, factor)
            old = None
            if baseline is not None and factor == 30:  # the old tree on its own data, at the same size
                make_synthetic(scratch / "data-30-old", 30, source=baseline / "data")
                old = (baseline, scratch / "data-30-old")
            row = measure(data, scratch / f"site-{factor}", args.runs, old)
            rows.append((f"{factor}×", row))
            print(f"measured {factor}×: {row}", file=sys.stderr, flush=True)  # kept should a later size fail
            background.wait(scratch / f"site-{factor}")
            background.wait(scratch / f"site-{factor}-old")
            shutil.rmtree(scratch / f"site-{factor}", ignore_errors=True)
            shutil.rmtree(scratch / f"site-{factor}-old", ignore_errors=True)
        latencies = []
        if not args.no_serve:
            real_copy = scratch / "real-data"
            shutil.copytree(DATA_DIR, real_copy)
            latencies = serve_latency(real_copy)
        hugo = hugo_seconds(rows[-1][1]["pages"], scratch)
    print(f"{'corpus':<7}{'pages':>7}{'min s':>8}{'median s':>10}{'CPU s':>8}{'ms/page':>9}{'peak MB':>9}"
          f"{'all MB':>8}{'largest KB':>12}  largest page")
    for name, row in rows:
        print(f"{name:<7}{row['pages']:>7}{row['min']:>8.1f}{row['median']:>10.1f}{row['cpu']:>8.1f}"
              f"{row['ms_per_page']:>9.2f}{row['rss_mb']:>9.0f}{row['tree_pss_mb']:>8.0f}{row['largest_kb']:>12.1f}"
              f"  {row['largest_page']}")
    print(f"({args.runs} builds each; peak MB: the largest process (its resident set); all MB: all processes of the "
          f"build together (proportional set sizes: memory they share counted once), sampled every 0.5 s)")
    if latencies:
        print(f"make serve: a YAML edit is served after {', '.join(f'{s:.2f}' for s in latencies)} s")
    for name, row in rows:
        if "old_median" in row:
            print(f"{name} against {args.baseline} ({row['old_pages']} pages of its own data at that size): "
                  f"median {row['old_median']:.1f} s → {row['median']:.1f} s, "
                  f"time new/old {row['median'] / row['old_median']:.2f}")
    for name, row in rows:
        print(f"{name} after one task's edit (incremental): min {row['edit_min']:.2f} s, median {row['edit_median']:.2f} s, "
              f"time incremental/full {row['edit_median'] / row['median']:.2f}; started at once after the last "
              f"(its background work not done): {row['edit_at_once']:.2f} s")
    if hugo is not None:
        print(f"hugo, {rows[-1][1]['pages']} trivial pages: {hugo:.1f} s "
              f"(ratio to ours {rows[-1][1]['median'] / hugo:.1f})")
    print(f"largest item page: {max(r['largest_item_kb'] for _, r in rows):.1f} KB")
    print(f"largest page: {max(r['largest_kb'] for _, r in rows):.1f} KB")
    if len(rows) > 1:
        for name, row in rows[1:]:
            print(f"scaling ratio {name}: {row['ms_per_page'] / rows[0][1]['ms_per_page']:.2f}")
        print(f"scaling ratio: {rows[-1][1]['ms_per_page'] / rows[0][1]['ms_per_page']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
