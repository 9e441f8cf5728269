"""Incremental builds: after an edit of some items' wording, rewrite only the pages that can show it.

A build leaves a record of itself beside the site folder (`.site.cache/`, never published):
- what the whole site depends on besides the items' wording (the *environment*: code, theme,
  hand-written pages, settings, package versions, version control's HEAD, every data file other
  than the documents) and the *structure* (every document's facts, every item's place, kind,
  departments, links, topics and years): two keys;
- each item's own fields, hashed: the items whose hash changed are the edit;
- the site's pages by group (an item's page; every page of one list), and the site folder's
  identity (the inode and time of its index.html), so that a record never describes another site.

The next build compares. When only items' wording changed (same environment, same structure) and
the site folder is the one recorded, the pages that cannot show the changed items are hard-linked
from the current site into the new one, and the others rendered as in a full build. Anything else
is a full build, with the reason printed. The suite builds both ways and compares every byte.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.metadata
import json
import os
import pickle
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import background, load, load_pieces, search_update
from .model import Corpus, Document, Node
from .parallel import Forked, WorkFailed, workers

ROOT = Path(__file__).resolve().parent.parent
VERSION = 2  # of the record's layout: another version's record is not read
PACKAGES = ("mkdocs", "mkdocs-material", "jinja2", "markdown", "pyyaml", "jieba")
# Files whose content the site is made of, besides data/ (whose documents are compared item by item).
CODE_FOLDERS = ("generator", "theme", "content")
# What places an item, with its parent and its order: any change there is a change of structure (a full build).
PLACING_FIELDS = ("id", "kind")
# Environment variables that change what a build writes.
SETTINGS = ("SITE_URL", "REPOSITORY_URL")


def cache_folder(site_dir: Path) -> Path:
    return site_dir.with_name(f".{site_dir.name}.cache")


@dataclass
class Record:
    """What one build leaves for the next (pickled in cache_folder/record.pickle)."""

    version: int
    site: tuple  # identity of the site folder it describes: see site_identity()
    environment: str
    structure: str
    items: dict[str, str]  # item ref → hash of its own fields
    # group ("item:" + an item page's address, "list:" + a list's first address) → the addresses of its
    # pages written below the top level (the top-level pages are always made again, by MkDocs)
    groups: dict[str, list[str]]
    search: list[str] = field(default_factory=list)  # hash of each search entry, in index order
    search_state: object = None  # what the index's update needs (search_update.State)
    entries: dict = field(default_factory=dict)  # item page address → its search entry (kept pages keep theirs)
    files: list[str] = field(default_factory=list)  # files kept whole when their document is unchanged (citations)

    def linked_paths(self, groups: Iterable[str] | None = None) -> tuple[list[str], list[str]]:
        """What a next build may keep of the site: the folders of the pages of `groups` (all by default),
        and other files by name."""
        names = search_update.index_files(self.search_state) if self.search_state is not None else []
        chosen = self.groups.values() if groups is None else (self.groups[group] for group in groups)
        return [url for urls in chosen for url in urls], names + self.files


@dataclass
class Plan:
    """An incremental build: the items that changed, and the groups whose pages are kept."""

    old_site: Path
    changed: set[str]
    kept: set[str]  # item pages ("item:" + address) linked from the old site; lists are judged by listing_unchanged
    record: Record  # the last build's: its groups, search entries and index, kept files
    documents: set[str] = field(default_factory=set)  # ids of the documents that hold a changed item
    affected: set[str] = field(default_factory=set)  # node refs whose wording a page may show
    # The changed items, everything below them and everything above them (a listing entry of one of
    # these may show a changed item's wording).
    near_changed: set[Node] = field(default_factory=set)
    linked: Path | None = None  # the tree of links to the current site's files (see link_tree)


def site_identity(site_dir: Path) -> tuple:
    try:
        index = (site_dir / "index.html").stat()
    except OSError:
        return ()
    return (index.st_dev, index.st_ino, index.st_mtime_ns, index.st_size)


def _hash_files(paths, root: Path, digest) -> None:
    """Each file's path and content, in order; compiled Python and dot files left out (they change as
    Python and editors come and go, not what a build writes)."""
    for path in sorted(paths):
        parts = path.relative_to(root).parts
        if path.is_file() and "__pycache__" not in parts and not any(p.startswith(".") for p in parts):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha1(path.read_bytes()).digest())


def _git_head(folder: Path) -> str:
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def environment_key(data_dir: Path, config_file: Path) -> str:
    """Everything a page depends on besides the documents' items."""
    digest = hashlib.sha1()
    for folder in CODE_FOLDERS:
        _hash_files((ROOT / folder).rglob("*"), ROOT, digest)
    _hash_files([config_file], config_file.parent, digest)
    _hash_files([p for p in data_dir.rglob("*") if p.parent != data_dir / "documents"], data_dir, digest)
    versions = []
    for package in PACKAGES:
        try:
            versions.append(importlib.metadata.version(package))
        except importlib.metadata.PackageNotFoundError:
            versions.append("")
    digest.update(repr((VERSION, sys.version, platform.machine(), versions,
                        [os.environ.get(s, "") for s in SETTINGS], str(data_dir.resolve()),
                        _git_head(data_dir))).encode())
    return digest.hexdigest()


def _plain(value):
    """The raw YAML value without its line bookkeeping, for hashing."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _own_fields(raw_node: dict) -> dict:
    return {k: v for k, v in raw_node.items() if k != "children"}


def item_hashes(raw_documents: list) -> dict[str, str]:
    """item ref → hash of its own fields (its children excluded: they are items of their own)."""
    from .load import walk_raw

    hashes = {}
    for document in raw_documents:
        for node, _ in walk_raw(document.get("sections")):
            hashes[f"{document.get('id')}/{node.get('id')}"] = hashlib.sha1(_plain(_own_fields(node)).encode()).hexdigest()
    return hashes


def structure_key(raw_documents: list, corpus: Corpus) -> str:
    """The documents' facts and every item's place and links, as typed and as derived (departments,
    references, topics, years, campaigns): equal keys mean only items' own wording can differ."""
    from .index import years_of
    from .load import walk_raw

    digest = hashlib.sha1()
    for document in raw_documents:
        digest.update(_plain({k: v for k, v in document.items() if k != "sections"}).encode())
        for node, parent in walk_raw(document.get("sections")):
            digest.update(_plain([node.get(k) for k in PLACING_FIELDS] + [parent.get("id") if parent else None]).encode())
    for node in corpus.nodes:
        digest.update(repr((
            node.ref, [(r.department.id, r.printed, r.is_lead, r.as_addressee) for r in node.roles],
            [n.ref for n in node.implements], [n.ref for n in node.implemented_by],
            node.belongs_to.ref if node.belongs_to else "", [n.ref for n in node.placed_here],
            [t.id for t in node.topics])).encode())
    for year, entry in sorted(years_of(corpus).items()):
        digest.update(repr((year, [d.id for d in entry.issued],
                            [(d.id, [(p.ref, [t.ref for t in tasks]) for p, tasks in parts]) for d, parts in entry.scheduled],
                            [(t.label, t.document.id, t.source.ref if t.source else "",
                              [n.ref for n in t.indicators or []]) for t in entry.targets],
                            [(name, [n.ref for n in items]) for name, items in entry.campaigns.items()])).encode())
    for document in corpus.documents:
        comparison = document.comparison
        digest.update(repr(comparison.url if comparison else "").encode())
    return digest.hexdigest()


def affected_nodes(corpus: Corpus, changed: set[str]) -> set[Node]:
    """The items whose pages, lists and links can show the wording of a changed item: the item,
    everything above and below it (contents, breadcrumbs), the items it links or is linked from
    (with everything above them), and its neighbours in page order (上一条 / 下一条)."""
    found: set[Node] = set()
    for ref in changed:
        node = corpus.nodes_by_ref[ref]
        family = {node, *node.ancestors, *node.walk()}
        related = [*node.implements, *node.implemented_by, *node.placed_here, *filter(None, [node.belongs_to])]
        for other in related:
            family |= {other, *other.ancestors}
        found |= family
        if node.has_page:
            pages = [n for n in node.document.nodes if n.has_page]
            at = pages.index(node)
            found |= set(pages[max(0, at - 1):at + 2])
    return found


def nodes_in(value) -> list[Node]:
    """The items a listing entry shows (walking its tuples, lists and records)."""
    if isinstance(value, Node):
        return [value]
    if isinstance(value, (Document, str, int, float, type(None))):
        return []
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in nodes_in(v)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in nodes_in(v)]
    if dataclasses.is_dataclass(value):
        return [n for f in dataclasses.fields(value) for n in nodes_in(getattr(value, f.name))]
    raise TypeError(f"a listing entry holds {type(value).__name__}: say which items it shows")


def listed_nodes(groups) -> Iterator[Node]:
    """The items the entries of a listing's groups show."""
    for group in groups:
        for subgroup in group.subgroups:
            for entry in subgroup.entries:
                yield from nodes_in(entry.value)


def listing_unchanged(plan: Plan | None, url: str, shown: Iterable[Node]) -> bool:
    """True when an incremental build can keep every page of the list at `url` as it is: the list was
    recorded, and none of the items its entries show (`shown`) is a changed item or lies above or below one."""
    if plan is None or f"list:{url}" not in plan.record.groups:
        return False
    near = plan.near_changed
    return not any(node in near for node in shown)


# What the hook made of this build's pages (groups, search entries), for the record; set by the hook.
written: dict | None = None


def entry_hash(entry) -> str:
    """A search entry's fields, hashed (the index's update compares them)."""
    return hashlib.sha1(repr((entry.url, entry.title, entry.text, entry.context, entry.kind, entry.document,
                              entry.departments)).encode()).hexdigest()


def _read(site_dir: Path, name: str, kind: type):
    """A file of the cache, unpickled, if it holds a `kind`; else None (missing, damaged, another layout)."""
    try:
        with open(cache_folder(site_dir) / name, "rb") as handle:
            value = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return value if isinstance(value, kind) else None


def _write(site_dir: Path, name: str, value) -> None:
    """Pickled beside, renamed over: a killed build leaves the old file or the new one, never half of one."""
    path = cache_folder(site_dir) / name
    path.parent.mkdir(exist_ok=True)
    temporary = path.with_name(f"{name}.{os.getpid()}")
    temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    temporary.replace(path)


def load_record(site_dir: Path) -> Record | None:
    record = _read(site_dir, "record.pickle", Record)
    return record if record is not None and record.version == VERSION else None


def save_parsed(site_dir: Path, parsed: load.Parsed) -> None:
    """The data files this build parsed, by content, for the next build (generator/load.py `parsed`)."""
    if parsed.now != parsed.before:
        _write(site_dir, "parsed.pickle", parsed.now)


def save(site_dir: Path, new_site: Path, keys: Keys) -> Record | None:
    """The record of a build about to be swapped in at `site_dir` (it describes `new_site`). Without the
    hook's account of the pages (another site builder), no record."""
    if written is None:
        (cache_folder(site_dir) / "record.pickle").unlink(missing_ok=True)
        return None
    record = Record(VERSION, site_identity(new_site), keys.environment, keys.structure, keys.items, written["groups"],
                    written["search"], written.get("search_state"), written["entries"], written["files"])
    _write(site_dir, "record.pickle", record)
    return record


def load_printed(site_dir: Path) -> dict:
    """Each data file's normalised text as the last build kept it (synonyms.PrintedByFile)."""
    return _read(site_dir, "printed.pickle", dict) or {}


def save_printed(site_dir: Path, printed) -> None:
    if printed is not None and printed.changed:
        _write(site_dir, "printed.pickle", {name: value for name, value in printed.kept.items()
                                             if name in printed.digests})


def load_parsed(site_dir: Path) -> load.Parsed:
    """The data files parsed by the last build, by content (generator/load.py `parsed`)."""
    kept = _read(site_dir, "parsed.pickle", dict) or {}
    return load.Parsed({name: pieces for name, pieces in kept.items() if isinstance(pieces, load_pieces.Pieces)})


@dataclass
class Keys:
    """This build's side of the comparison."""

    environment: str
    structure: str
    items: dict[str, str]

    @classmethod
    def of(cls, raw, corpus: Corpus, data_dir: Path, config_file: Path) -> Keys:
        return cls(environment_key(data_dir, config_file), structure_key(raw.documents, corpus),
                   item_hashes(raw.documents))


def plan(site_dir: Path, record: Record | None, keys: Keys, corpus: Corpus) -> tuple[Plan | None, str]:
    """An incremental plan, or None and the reason for a full build."""
    environment, structure, items = keys.environment, keys.structure, keys.items
    if os.environ.get("IPP_FULL_BUILD"):
        return None, "IPP_FULL_BUILD is set"
    if record is None:
        return None, "no record of a previous build"
    if record.site != site_identity(site_dir) or not record.site:
        return None, "the site folder is not the one the last build wrote"
    if record.environment != environment:
        return None, "code, theme, pages, settings or data other than the documents changed"
    if record.structure != structure or record.items.keys() != items.keys():
        return None, "items were added, removed, moved or relinked"
    changed = {ref for ref, value in items.items() if record.items[ref] != value}
    affected = affected_nodes(corpus, changed)
    near = set()
    for ref in changed:
        node = corpus.nodes_by_ref[ref]
        near |= {*node.walk(), *node.ancestors}
    touched = {f"item:{n.url}" for n in affected if n.has_page}
    kept = {group for group in record.groups if group.startswith("item:") and group not in touched}
    return Plan(old_site=site_dir, changed=changed, kept=kept, record=record,
                documents={corpus.nodes_by_ref[ref].document.id for ref in changed},
                affected={n.ref for n in affected}, near_changed=near), f"{len(changed)} item(s) changed"


class Linking:
    """The current site's files linked into a tree, when the record describes the current site: most
    of them are kept if only items' wording changed. The last build left the tree ready (`prelink`,
    in the background), or another process links it now, while the data is read (link_tree)."""

    def __init__(self, site_dir: Path, record: Record | None):
        self.tree: Path | None = None
        self.process: Forked | None = None
        self.failure: str | None = "no record of the current site"
        current = record is not None and record.site == site_identity(site_dir)
        ready = cache_folder(site_dir) / prelinked_name(record.site) if current else None
        for stale in cache_folder(site_dir).glob("link*-*"):  # trees of other sites, or unfinished
            if stale != ready:
                background.remove_later(stale, site_dir)
        if not current:
            return
        self.failure = None
        self.tree = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", suffix="-linked", dir=site_dir.parent))
        if ready.is_dir():
            # Taken whole, under this build's name: a build killed while it moves the files out leaves
            # a scratch folder (removed by the next), never a tree that looks ready and lacks files.
            with contextlib.suppress(OSError):
                ready.rename(self.tree)  # onto the empty folder just made
                return
        folders, names = record.linked_paths()
        try:
            self.process = Forked(lambda: link_tree(site_dir, folders, names, self.tree), fork=workers() > 0)
        except OSError as error:  # linked here and now (no fork), and it failed
            self.failure = str(error)

    def finish(self, plan: Plan | None, why: str) -> tuple[Plan | None, str]:
        """The plan with the linked tree; no plan (a full build) when it is not wanted or the links failed."""
        if plan is None:
            self.stop()
            return None, why
        try:
            if self.failure is not None:
                raise WorkFailed(self.failure)
            if self.process is not None:
                self.process.result()
        except WorkFailed as failure:  # a file system without hard links, a site changed by hand…
            return None, f"the current site's files could not be linked ({str(failure).strip().splitlines()[-1]})"
        plan.linked = self.tree
        return plan, why

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


def prelinked_name(site: tuple) -> str:
    """The name, in the cache, of the tree of links to the files of the site whose identity is `site`."""
    return "linked-" + hashlib.sha1(repr(site).encode()).hexdigest()[:16]


def prelink(site_dir: Path, record: Record, work: Path) -> None:
    """The site's files linked in `work` for the next build (in the background, after the swap); named
    for the site once complete, or removed."""
    try:
        folders, names = record.linked_paths()
        link_tree(site_dir, folders, names, work)
        if site_identity(site_dir) == record.site:  # still the site it was linked from
            work.rename(work.with_name(prelinked_name(record.site)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def link_tree(old_site: Path, folders: list[str], names: list[str], tree: Path) -> int:
    """Hard-link, from the current site into `tree`, the files of the recorded pages' folders (not their
    subfolders: other pages) and the named files. A forked process does it while the data is read;
    the pages the edit touches are taken out again (`discard`) once the plan knows them."""
    source, target = str(old_site), str(tree)
    made = {""}
    linked = 0

    def folder(path: str) -> None:
        if path not in made:
            folder(os.path.dirname(path))
            try:
                os.mkdir(f"{target}/{path}")
            except FileExistsError:
                pass
            made.add(path)

    for path in folders:
        path = path.rstrip("/")
        entries = list(os.scandir(f"{source}/{path}"))  # missing: the site is not the one recorded (a full build)
        folder(path)
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                os.link(entry.path, f"{target}/{path}/{entry.name}")
                linked += 1
    for name in names:
        folder(os.path.dirname(name))
        os.link(f"{source}/{name}", f"{target}/{name}")
        linked += 1
    return linked


def missing_kept(site_dir: Path, plan: Plan, kept_groups: set[str]) -> list[str]:
    """What an incremental build keeps of the current site and its new site lacks (links cut short): a
    site that lacks them is never swapped in."""
    folders, names = plan.record.linked_paths(kept_groups)
    return [path for path in [f"{url}index.html" for url in folders] + names if not os.path.exists(site_dir / path)]


def discard(tree: Path, folders: list[str]) -> None:
    """Take the files of these pages' folders out of the linked tree (they are made again)."""
    for path in folders:
        here = tree / path
        try:
            entries = list(os.scandir(here))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
        with contextlib.suppress(OSError):  # left when it holds other pages' folders
            here.rmdir()


def merge_into(tree: Path, site_dir: Path) -> None:
    """Move the linked tree into the new site: a folder the site lacks moves whole (one rename)."""
    for entry in os.scandir(tree):
        target = site_dir / entry.name
        if entry.is_dir(follow_symlinks=False) and target.is_dir():
            merge_into(Path(entry.path), target)
            os.rmdir(entry.path)
        else:
            os.rename(entry.path, target)  # a file replaces the one there (a link to the current site's)


def unlinked_write(path: Path, content: bytes) -> None:
    """Write a file of the new site that may be a link to the current site's: never through the link."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    path.write_bytes(content)
