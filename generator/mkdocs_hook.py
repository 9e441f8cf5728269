"""The only place MkDocs meets the generator: a hook that hands it our pages and data files.

Event order (mkdocs/commands/build.py): on_config → on_files → on_nav → for every page
on_page_markdown → on_page_content; on_env; then for every page on_page_context → template →
on_post_page; on_post_build. We run the core pipeline in on_config (so an edit under data/ is
picked up by every `mkdocs serve` rebuild) and add virtual files in on_files (`File.generated`,
as mkdocs-gen-files does). Only the top-level generated pages (documents, indexes: what the menu
and hand-written pages link to) go through MkDocs' reading; every page below them is written in
on_env by forked processes (generator/parallel.py): the first page of a folder through MkDocs'
own page writer, the others in Material's frame made once for that folder and checked against
it (generator/mkdocs_frame.py). The search index is made meanwhile in another process.
`build()` runs MkDocs in the calling process (generator/build.py hands it the checked corpus).
"""
from __future__ import annotations

import gzip
import hashlib
import html
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; make the package importable too
    sys.path.insert(0, str(ROOT))

from mkdocs.commands import build as mkdocs_build  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, InclusionLevel  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.structure.toc import get_toc  # noqa: E402
from mkdocs.utils import get_build_date  # noqa: E402

from generator import incremental, pipeline, render, search_update, timings  # noqa: E402
from generator.history import data_history  # noqa: E402
from generator.mkdocs_frame import Frames, page_values  # noqa: E402
from generator.parallel import Forked, WorkFailed, share, workers  # noqa: E402
from generator.pipeline import DataError, data_dir, load_corpus  # noqa: E402
from generator.render import RenderedPage, RenderedSite, Renderer  # noqa: E402
from generator.vcs import last_changed  # noqa: E402

_site: RenderedSite | None = None
_renderer: Renderer | None = None
_pages: dict = {}
# `mkdocs serve` keeps serving while the data is invalid: every page shows the problems instead
# (and live reload brings the site back once they are fixed); `mkdocs build` stops.
_serving = False
_dirty = False
_problems: list[str] = []
_direct: list[File] = []  # generated pages below the top level: written in on_env, not read by MkDocs
_writers: list[Forked] = []  # the processes writing them
_search: Forked | None = None  # the process making the search index
_open_data: Forked | None = None  # the process making the downloads
_open_data_folder: Path | None = None  # where it writes them, until on_files moves them into the site
_nav = None
_ready: dict[str, str] = {}  # bodies fetched to fingerprint them, until the page is built
# Fingerprints of what the previous build generated. MkDocs loads this hook once per process, so
# under `mkdocs serve --dirty` an edit rebuilds only the pages whose output changed.
_fingerprints: dict[str, str] = {}
SEARCH_PAGE = "search/index.md"
_phase = timings.phase  # IPP_TIMINGS=1: when each phase ends, on stderr


class _GeneratedFile(File):
    """A generated data file that tells a dirty build whether its content changed since the last build."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class _GeneratedPage(File):
    """A generated page that tells a dirty build whether its output changed since the last build.

    Asked only by dirty builds (`mkdocs serve --dirty`, twice a page: to read it, to write it), so
    a full build never renders a body to fingerprint it."""

    everything_changed = True
    changed: bool | None = None

    def is_modified(self) -> bool:
        if self.changed is None:
            rendered = _pages[self.src_uri]
            body = _body(self.src_uri)
            fingerprint = hashlib.sha1("\0".join([rendered.title, rendered.description, body, rendered.head]).encode()
                                       ).hexdigest()
            self.changed = self.everything_changed or _fingerprints.get(self.src_uri) != fingerprint
            _fingerprints[self.src_uri] = fingerprint
            if self.changed:
                _ready[self.src_uri] = body
        return self.changed


def _generated_file(config, uri: str, content, fingerprint: str, everything_changed: bool,
                    written: Path | None = None) -> File:
    """`written`: the file is already in the site folder (MkDocs then leaves it as it is)."""
    file = (_GeneratedFile.generated(config, uri, abs_src_path=str(written)) if written is not None
            else _GeneratedFile.generated(config, uri, content=content))
    file.changed = everything_changed or _fingerprints.get(uri) != fingerprint
    _fingerprints[uri] = fingerprint
    return file


def _claim(owners: dict[str, str], file: File, source: str) -> list[str]:
    """The clash, if another page or file already makes this file's output path."""
    if file.dest_uri in owners:
        return [f"{source}: makes {file.dest_uri}, which {owners[file.dest_uri]} makes too"]
    owners[file.dest_uri] = source
    return []


def _body(uri: str) -> str:
    return _ready.pop(uri) if uri in _ready else _pages[uri].body()


def _through_mkdocs(page: RenderedPage) -> bool:
    """Top-level pages (documents, indexes, data.md) are MkDocs pages: the menu and content link them."""
    return page.url.count("/") <= 1  # "plan-2023/" yes, "plan-2023/t-1/" no


# Hand-written pages and generated index pages; documents are inserted after 首页. The editors' pages
# (editing.md, coverage/) stay out of the public menu: the footer links them.
NAV_TAIL = [
    {"部门": "departments/index.md"},
    {"年份": "years/index.md"},
    {"专题": "topics/index.md"},
    {"数据下载": "data.md"},
    {"更新记录": "changes/index.md"},
    {"关于本站": "about.md"},
]


def on_startup(command, dirty):
    global _serving, _dirty
    _serving = command == "serve"
    _dirty = dirty


def _error_site(problems: list[str]) -> RenderedSite:
    """While the data is invalid under `mkdocs serve`: the problem list on every page we know."""
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    body = (f'<h1>数据有误，预览未更新</h1><p>数据中有 {len(problems)} 处问题。改正并保存后，本页自动刷新。</p>'
            f'<ol class="ipp-problems">{items}</ol>')
    error = RenderedSite()
    for uri in sorted({"index.md", *_pages}):
        error.pages.append(RenderedPage(uri=uri, url="", title="数据有误", html=body))
    return error


# Department, year, topic and coverage pages keep the right-hand column for their own contents.
AGGREGATE_PAGES = ("departments/", "years/", "topics/", "coverage/")


def on_config(config):
    global _site, _pages, _renderer, _problems, _open_data, _open_data_folder
    folder = str(data_dir().resolve())
    if folder not in [str(Path(p).resolve()) for p in config["watch"]]:
        config["watch"].append(folder)  # `mkdocs serve` on other data (IPP_DATA_DIR) reloads on its edits
    plan, pipeline.handed_plan = pipeline.handed_plan, None  # an incremental build's, with the corpus
    try:
        corpus = load_corpus()
        _phase("data loaded and validated")
    except DataError as error:
        if not _serving:
            raise PluginError(f"{len(error.problems)} problem(s) in the data:\n{error}") from None
        _problems = [str(p) for p in error.problems]
        _site = _error_site(_problems)
        _pages = {page.uri: page for page in _site.pages}
        config["nav"] = [{"数据有误": "index.md"}]
        return config
    _problems = []
    # site_url: mkdocs.yml `!ENV [SITE_URL, ""]` (`mkdocs serve` sets its own address).
    _renderer = Renderer(corpus, site_url=config["site_url"] or "", data_date=last_changed(data_dir()),
                         site_name=config["site_name"], history=data_history(data_dir()), lazy=True, plan=plan)
    # The downloads, made meanwhile by another process, into a folder beside the site's (MkDocs empties
    # the site's before on_files); moved in by on_files. Only their names and hashes come back.
    site_dir = Path(config["site_dir"])
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _open_data_folder = folder = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}-downloads-", dir=site_dir.parent))
    _open_data = Forked(lambda: _write_open_data(folder), fork=_forking())
    _site = _renderer.render()
    _pages = {page.uri: page for page in _site.pages}
    _phase("pages planned")
    # Material renders nav titles as HTML: escape ours. One entry per document, never per item.
    documents = ["documents/index.md"] + [{html.escape(title): uri} for title, uri in _site.nav]
    config["nav"] = [{"首页": "index.md"}, {"文件": documents}, *NAV_TAIL]
    return config


def on_files(files, config):
    global _search, _open_data_folder
    # A changed navigation (a document added or renamed), theme or configuration shows on every page.
    theme_files = sorted(Path(config["theme"].custom_dir).rglob("*")) if config["theme"].custom_dir else []
    layout = repr(config["nav"]) + repr([(str(p), p.stat().st_mtime) for p in theme_files if p.is_file()])
    layout += repr(Path(config.config_file_path).stat().st_mtime)
    everything_changed = _fingerprints.get("(layout)") != layout
    _fingerprints["(layout)"] = layout
    _direct.clear()
    _writers.clear()
    _search = None
    if everything_changed:  # hand-written pages too (they showed the problems, or must stop showing them)
        for file in files:
            if file.is_documentation_page():
                file.is_modified = lambda: True
    if _problems:  # the error pages stand in for the generated ones
        for page in _site.pages:
            if files.get_file_from_path(page.uri) is None:
                files.append(_generated_file(config, page.uri, "", "(error)", True))
        return files
    # One output path, one page: MkDocs would keep one of two files with the same path in silence.
    owners = {file.dest_uri: f"content/{file.src_uri}" if file.is_documentation_page() else f"theme file {file.src_uri}"
              for file in files}
    clashes = []
    plan = _renderer.plan
    kept: list[RenderedPage] = []  # pages an incremental build links from the current site
    for page in _site.pages:
        if page.kept:
            kept.append(page)
            continue
        file = _GeneratedPage.generated(config, page.uri, content=f"<!-- generated: {page.uri} -->\n")
        file.everything_changed = everything_changed
        clashes += _claim(owners, file, page.origin)
        if _through_mkdocs(page):
            files.append(file)
            _site.files.update(page.files() if page.files else {})
        else:
            _direct.append(file)
    # The open data (made by another process) and our other files go straight into the site folder:
    # the processes forked later do not start with a copy of them (60 MB at 100×). MkDocs knows the
    # files, so links to them resolve.
    site_dir = Path(config["site_dir"])
    _record()
    if plan is not None:  # the current site's files, linked meanwhile; the pages made again taken out
        kept_groups = {page.group for page in kept}
        incremental.discard(plan.linked, [url for group, urls in plan.record.groups.items() if group not in kept_groups
                                          for url in urls])
        incremental.merge_into(plan.linked, site_dir)
        _phase(f"the files of {len(kept)} unchanged pages or lists kept")
    hashes, _site.package = _open_data.result()
    incremental.merge_into(_open_data_folder, site_dir)  # after the links: a file made again replaces its link
    _open_data_folder.rmdir()
    _open_data_folder = None
    missing = incremental.missing_kept(site_dir, plan, kept_groups) if plan is not None else []
    if missing:
        raise PluginError(f"{len(missing)} file(s) of the current site were not there to be kept, such as "
                          f"{missing[0]}; run the build again (it links them from the current site itself)")
    # Files kept as they were (an unchanged document's citations) are the site's too.
    for path, digest in {**dict.fromkeys(plan.record.files if plan else [], "(kept)"), **hashes}.items():
        file = _generated_file(config, path, None, digest, everything_changed, site_dir / path)
        clashes += _claim(owners, file, "the downloads")
        files.append(file)
    _write_files(site_dir, _site.files)
    for path, content in _site.files.items():
        file = _generated_file(config, path, content, hashlib.sha1(content).hexdigest(), everything_changed,
                               site_dir / path)
        clashes += _claim(owners, file, "the downloads")
        files.append(file)
    _site.files.clear()
    if clashes:
        raise PluginError(f"{len(clashes)} page(s) with the same address:\n" + "\n".join(clashes) +
                          "\nChange one of the ids: every page needs an address of its own.")
    _search = Forked(lambda: _write_search(site_dir), fork=_forking())
    # The site's HTML pages: MkDocs' (with 404.html), ours below the top level, and those kept.
    incremental.written["pages"] = (sum(1 for f in files if f.is_documentation_page()) + 1 + len(_direct)
                                    + sum(len(plan.record.groups[page.group]) for page in kept))
    _phase("files listed, search index started")
    return files


def _write_open_data(folder: Path) -> tuple[dict[str, str], dict]:
    """The downloads written into `folder`: their hashes by site path, and the data package's descriptor."""
    files, package = _renderer.open_data()
    _write_files(folder, files)
    return {path: hashlib.sha1(content).hexdigest() for path, content in files.items()}, package


def _record() -> None:
    """What the next build compares with: the pages below the top level by group, the search entries."""
    groups: dict[str, list[str]] = {}
    top_level = set()
    for page in _site.pages:
        if page.group:
            if _through_mkdocs(page):
                top_level.add(page.group)  # a list that starts on a MkDocs page is always made again
            elif page.kept:
                groups[page.group] = _renderer.plan.record.groups[page.group]
            else:
                groups.setdefault(page.group, []).append(page.url)
    for group in top_level:
        groups.pop(group, None)
    incremental.written = {"groups": groups, "search": [incremental.entry_hash(e) for e in _site.search_entries],
                           "entries": {p.url: p.search for p in _site.pages if p.group.startswith("item:")},
                           "files": [render.csl_path(d) for d in _renderer.corpus.documents]}


def _forking() -> bool:
    return not _serving and workers() > 0


def _write_search(site_dir: Path) -> tuple[dict, object]:
    """The search index's files, written; the search page's settings and what the next build needs to
    update the index returned. An incremental build updates the current site's index when it can."""
    plan, entries = _renderer.plan, _site.search_entries
    updated = None
    current = plan.record.search_state if plan is not None else None  # the current site's index
    if current is not None:
        updated = search_update.update(plan.old_site, plan.record.search, entries, current, incremental.entry_hash)
    if updated is None:
        if current is not None:  # the current site's index, linked: not this one
            for name in search_update.index_files(current):
                (site_dir / name).unlink(missing_ok=True)
        kept: dict = {}
        index, settings = _renderer.search_index(entries, kept)
        _write_files(site_dir, index)
        state = search_update.State(kept["common"], kept["sizes"], search_update.facets(entries), settings)
        _phase("search index written")
    else:
        changed, state = updated
        _write_files(site_dir, changed)  # the other files of the index are the current site's (linked)
        settings = state.settings
        _phase(f"search index updated: {len(changed)} files written, the others kept")
    return settings, state


def _write_files(site_dir: Path, files: dict[str, bytes]) -> None:
    # An incremental build's site holds links to the current site's files: never write through one.
    write = incremental.unlinked_write if _renderer is not None and _renderer.plan is not None else Path.write_bytes
    for path, content in files.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write(target, content)


def on_nav(nav, config, files):
    global _nav
    _nav = nav
    return nav


def on_env(env, config, files):
    """Every MkDocs page is read: the pages below the top level are written now, by the writers."""
    global _writers
    if _problems:
        return env
    if not _serving:  # a build's templates do not change while it runs: no file checks per page
        env.auto_reload = _renderer.env.auto_reload = False
    env.bytecode_cache = render.bytecode_cache(pipeline.template_cache)  # the theme's, compiled once
    documentation = files.documentation_pages(inclusion=InclusionLevel.is_included)
    site_dir = Path(config["site_dir"])

    # Material's frame, made once per folder (generator/mkdocs_frame.py); none for the reference build.
    frames = Frames(config, documentation, _nav, env) if _forking() else None

    def write(file: File) -> None:
        rendered = _pages[file.src_uri]
        key = None
        if frames is not None and not rendered.toc:
            folder = rendered.url.rstrip("/").rpartition("/")[0]
            meta = {"hide": ["toc"]} if not rendered.url.startswith(AGGREGATE_PAGES) else {}
            if rendered.description:
                meta["description"] = ""
            values = _values(rendered)
            key = f"{folder}|{meta}|{'<h1' in values['body']}"
            frame = frames.trusted(key)
            if frame is not None:
                frames.filled += 1
                page = frame.fill(values).encode("utf-8", errors="xmlcharrefreplace")  # as MkDocs writes
                _write_files(site_dir, {file.dest_uri: page, **(rendered.files() if rendered.files else {})})
                return
        if key is not None:
            _ready[rendered.uri] = values["body"]  # rendered once: on_page_context takes it from here
        page = Page(None, file, config)
        page.markdown = ""
        _set_meta(page, rendered)
        page.toc = _toc(rendered)
        if _renderer.plan is not None:  # never write through a link to the current site
            Path(file.abs_dest_path).unlink(missing_ok=True)
        mkdocs_build._build_page(page, config, documentation, _nav, env, dirty=_dirty)
        if key is not None and not frames.tried(key):
            frames.consider(key, folder, meta, values, Path(file.abs_dest_path).read_text(encoding="utf-8"))
        _write_files(site_dir, rendered.files() if rendered.files else {})
        file.page = None  # written: nothing of it is kept

    _phase("MkDocs pages read")
    _writers = share(_direct, write, processes=workers() if _forking() else 0, done=lambda: _phase(f"pages written, {frames.filled if frames else 0} in a frame made once"))
    return env


def _values(rendered: RenderedPage) -> dict[str, str]:
    """What one page brings to Material's frame (as on_page_context hands it over)."""
    return page_values(rendered.title, rendered.description, rendered.url, rendered.head, _body(rendered.uri),
                       _renderer.footer(rendered.url, rendered.title))


def _set_meta(page, rendered: RenderedPage) -> None:
    # Material prints page titles and meta values unescaped; give it escaped text.
    page.meta["title"] = html.escape(rendered.title)
    if rendered.description:
        page.meta["description"] = html.escape(rendered.description, quote=True)
    if not rendered.url.startswith(AGGREGATE_PAGES):
        page.meta["hide"] = ["toc"]  # no Markdown headings to list: give the text the width


def _toc(rendered: RenderedPage):
    """Material's contents column; its titles are HTML, ours are text."""
    return get_toc([{"level": level, "id": anchor, "name": html.escape(title),
                     "children": [{"level": l, "id": a, "name": html.escape(t), "children": []}
                                  for l, a, t in children]}
                    for level, anchor, title, children in rendered.toc])


def on_page_markdown(markdown, page, config, files):
    if _problems:
        page.meta["title"] = "数据有误"
        return ""
    rendered = _pages.get(page.file.src_uri)
    if rendered is None:
        return markdown
    _set_meta(page, rendered)
    return ""


def on_page_content(content, page, config, files):
    if _problems:
        return _site.pages[0].html
    rendered = _pages.get(page.file.src_uri)
    if rendered is None:
        return content
    if rendered.toc:
        page.toc = _toc(rendered)
    return ""  # the body arrives just before the page is written (on_page_context), and leaves after it


def on_page_context(context, page, config, nav):
    if _problems:
        context["ipp_footer"] = ""
        return context
    uri = page.file.src_uri
    rendered = _pages.get(uri)
    if rendered is not None:
        if uri == SEARCH_PAGE:  # its settings come from the index, made meanwhile in another process
            settings, incremental.written["search_state"] = _search.result()
            _site.search_config.update(settings)
        page.content = _body(uri)
    title = rendered.title if rendered is not None else html.unescape(page.title or config["site_name"])
    context["ipp_footer"] = _renderer.footer(page.url, title)
    context["ipp_head"] = rendered.head if rendered is not None else _renderer.head(
        page.url, title, page.meta.get("description") or config["site_description"] or "")
    return context


def on_template_context(context, template_name, config):
    # Static pages (404.html) are served at any address: their footer links from the site root.
    root = urlsplit(config["site_url"] or "/").path
    if _problems:
        context["ipp_footer"] = ""
        return context
    context["ipp_footer"] = _renderer.footer(template_name, "页面不存在", root=root)
    return context


def on_post_page(output, page, config):
    if page.file.src_uri in _pages:
        page.content = None  # written: a big site's bodies are never all in memory at once
    return output


def on_post_build(config):
    _phase("MkDocs pages written")
    failures = []
    for process in [*_writers, *([_search] if _search else [])]:
        try:
            process.result()
        except WorkFailed as failure:
            failures.append(str(failure))
    if failures:
        raise PluginError("a process of the build failed:\n" + "\n".join(failures))
    _phase("all processes done")
    site_dir = Path(config["site_dir"])
    if config["site_url"]:
        _write_sitemap(site_dir, config["site_url"])
    else:  # without a public address a sitemap could only list localhost or path-only URLs: write none
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (site_dir / name).unlink(missing_ok=True)


def _write_sitemap(site_dir: Path, site_url: str) -> None:
    """Every page, MkDocs' and ours, in MkDocs' sitemap format (its own lists only the pages it read)."""
    base = site_url.rstrip("/") + "/"
    urls = sorted(str(p.parent.relative_to(site_dir).as_posix()) + "/" for p in site_dir.rglob("index.html"))
    date = get_build_date()
    entries = "".join(f"\n    <url>\n         <loc>{html.escape(base + (u if u != './' else ''))}</loc>\n"
                      f"         <lastmod>{date}</lastmod>\n    </url>" for u in urls)
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}\n</urlset>'
    (site_dir / "sitemap.xml").write_text(text, encoding="utf-8")
    with open(site_dir / "sitemap.xml.gz", "wb") as handle, gzip.GzipFile(fileobj=handle, filename="sitemap.xml",
                                                                           mode="wb", mtime=0) as packed:
        packed.write(text.encode("utf-8"))


def on_build_error(error):
    global _open_data_folder
    # Pages fingerprinted but never written: the next dirty rebuild must write everything.
    _fingerprints.clear()
    _ready.clear()
    for process in [*_writers, *([_search] if _search else []), *([_open_data] if _open_data else [])]:
        process.stop()
    if _open_data_folder is not None:  # the downloads' folder, not moved into the site
        shutil.rmtree(_open_data_folder, ignore_errors=True)
        _open_data_folder = None


class _Lines(logging.Handler):
    """MkDocs' warnings and errors, as it prints them."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record) -> None:
        self.lines.append(f"{record.levelname:<8}-  {record.getMessage()}")


def build(config_file: Path, site_dir: Path, strict: bool) -> tuple[int, list[str]]:
    """`mkdocs build` in this process: its exit code and the warning and error lines it logged.

    MkDocs loads this file once more, by path, as its hook: the corpus reaches that copy through
    generator.pipeline.hand_over, not through this module's state."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collected = _Lines()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collected)
    code = 0
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:  # a configuration error, or a build aborted (errors, strict warnings)
        collected.lines.append(f"ERROR   -  {error}")
        code = 1
    finally:
        logger.removeHandler(collected)
    return code, collected.lines
