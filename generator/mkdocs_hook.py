"""The only place MkDocs meets the generator: a hook that hands it our pages and data files.

Event order (mkdocs/commands/build.py): on_config → on_files → on_nav → for every page
on_page_markdown → on_page_content; then for every page on_page_context → template →
on_post_page; on_post_build. We run the core pipeline in on_config (so an edit under data/ is
picked up by every `mkdocs serve` rebuild), add virtual files in on_files (`File.generated`,
as mkdocs-gen-files does) and start the workers of generator/parallel.py, and put our escaped
HTML in place of the page's Markdown output in on_page_context, dropping it once written.
"""
from __future__ import annotations

import hashlib
import html
import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; make the package importable too
    sys.path.insert(0, str(ROOT))

from mkdocs.commands import build as mkdocs_build  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, InclusionLevel  # noqa: E402
from mkdocs.structure.toc import get_toc  # noqa: E402

from generator.pipeline import DataError, data_dir, load_corpus  # noqa: E402
from generator.history import data_history  # noqa: E402
from generator.parallel import Bodies, Share  # noqa: E402
from generator.render import RenderedPage, RenderedSite, Renderer  # noqa: E402
from generator.vcs import last_changed  # noqa: E402

_site: RenderedSite | None = None
_renderer: Renderer | None = None
_pages: dict = {}
# `mkdocs serve` keeps serving while the data is invalid: every page shows the problems instead
# (and live reload brings the site back once they are fixed); `mkdocs build` stops.
_serving = False
_problems: list[str] = []
_index: dict[str, int] = {}  # uri → position among the pages this process writes
_bodies: Bodies | None = None  # their bodies, rendered ahead in a worker process
_share: Share | None = None  # the process that writes every other generated page
_theirs: set[str] = set()  # the uris it writes
_inline = False  # True in that process: it renders its bodies itself
_nav = None
# A page the other process writes is given this (empty) template here: MkDocs then writes nothing.
ELSEWHERE = "ipp-built-elsewhere.html"
_ready: dict[str, str] = {}  # bodies fetched to fingerprint them, until the page is built
# `mkdocs build` uses worker processes; `mkdocs serve` (threads, a rebuild per edit) works in-process.
# IPP_WORKERS=0 turns them off (the suite checks both ways give the same site).
_parallel = os.environ.get("IPP_WORKERS", "1") != "0"
# Fingerprints of what the previous build generated. MkDocs loads this hook once per process, so
# under `mkdocs serve --dirty` an edit rebuilds only the pages whose output changed.
_fingerprints: dict[str, str] = {}


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


def _generated_file(config, uri: str, content, fingerprint: str, everything_changed: bool) -> File:
    file = _GeneratedFile.generated(config, uri, content=content)
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
    if uri in _ready:
        return _ready.pop(uri)
    return _pages[uri].body() if _inline or uri not in _index else _bodies.body(_index[uri])


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
    global _serving, _parallel
    _serving = command == "serve"
    _parallel = _parallel and not _serving


def _error_site(problems: list[str]) -> RenderedSite:
    """While the data is invalid under `mkdocs serve`: the problem list on every page we know."""
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    body = (f'<h1>数据有误，预览未更新</h1><p>数据中有 {len(problems)} 处问题。改正并保存后，本页自动刷新。</p>'
            f'<ol class="ipp-problems">{items}</ol>')
    error = RenderedSite()
    for uri in sorted({"index.md", *_pages}):
        error.pages.append(RenderedPage(uri=uri, url="", title="数据有误", html=body))
    return error


# Department, year and topic pages keep the right-hand column for their own contents.
AGGREGATE_PAGES = ("departments/", "years/", "topics/")


def on_config(config):
    global _site, _pages, _renderer, _problems
    folder = str(data_dir().resolve())
    if folder not in [str(Path(p).resolve()) for p in config["watch"]]:
        config["watch"].append(folder)  # `mkdocs serve` on other data (IPP_DATA_DIR) reloads on its edits
    try:
        corpus = load_corpus()
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
                         site_name=config["site_name"], history=data_history(data_dir()), lazy=True)
    _site = _renderer.render()
    _pages = {page.uri: page for page in _site.pages}
    # Material renders nav titles as HTML: escape ours. One entry per document, never per item.
    documents = ["documents/index.md"] + [{html.escape(title): uri} for title, uri in _site.nav]
    config["nav"] = [{"首页": "index.md"}, {"文件": documents}, *NAV_TAIL]
    return config


def on_files(files, config):
    # A changed navigation (a document added or renamed), theme or configuration shows on every page.
    theme_files = sorted(Path(config["theme"].custom_dir).rglob("*")) if config["theme"].custom_dir else []
    layout = repr(config["nav"]) + repr([(str(p), p.stat().st_mtime) for p in theme_files if p.is_file()])
    layout += repr(Path(config.config_file_path).stat().st_mtime)
    everything_changed = _fingerprints.get("(layout)") != layout
    _fingerprints["(layout)"] = layout
    if everything_changed:  # hand-written pages too (they showed the problems, or must stop showing them)
        for file in files:
            if file.is_documentation_page():
                file.is_modified = lambda: True
    global _bodies, _share
    _bodies = _share = None
    _theirs.clear()
    if _problems:  # the error pages stand in for the generated ones
        for page in _site.pages:
            if files.get_file_from_path(page.uri) is None:
                files.append(_generated_file(config, page.uri, "", "(error)", True))
        return files
    # One output path, one page: MkDocs would keep one of two files with the same path in silence.
    owners = {file.dest_uri: f"content/{file.src_uri}" if file.is_documentation_page() else f"theme file {file.src_uri}"
              for file in files}
    clashes = []
    for page in _site.pages:
        file = _GeneratedPage.generated(config, page.uri, content=f"<!-- generated: {page.uri} -->\n")
        file.everything_changed = everything_changed
        clashes += _claim(owners, file, page.origin)
        files.append(file)
    for path, content in _site.files.items():  # open data: MkDocs knows them, so links to them resolve
        file = _generated_file(config, path, content, hashlib.sha1(content).hexdigest(), everything_changed)
        clashes += _claim(owners, file, "the downloads")
        files.append(file)
    if clashes:
        raise PluginError(f"{len(clashes)} page(s) with the same address:\n" + "\n".join(clashes) +
                          "\nChange one of the ids: every page needs an address of its own.")
    # With workers, another process writes every other page (on_env); this one's bodies come from a worker.
    _ready.clear()
    pages = _site.pages
    mine = pages[0::2] if _parallel else pages
    _theirs.clear()
    _theirs.update(page.uri for page in pages[1::2] if _parallel)
    _index.clear()
    _index.update({page.uri: number for number, page in enumerate(mine)})
    _bodies = Bodies(mine, workers=1 if _parallel else 0)
    return files


def on_nav(nav, config, files):
    global _nav
    _nav = nav
    return nav


def on_env(env, config, files):
    """Every page is read; MkDocs is about to write them: fork the process that writes our other half."""
    global _share
    if _problems:
        return env
    documentation = files.documentation_pages(inclusion=InclusionLevel.is_included)
    theirs = [file for file in documentation if file.src_uri in _theirs]

    def write(file):
        global _inline
        _inline = True
        mkdocs_build._build_page(file.page, config, documentation, _nav, env)

    _share = Share(theirs, write, "mkdocs")
    if _share.process is not None:
        for file in theirs:
            file.page.meta["template"] = ELSEWHERE
        logging.getLogger("mkdocs.commands.build").addFilter(_written_elsewhere)
    return env


def _written_elsewhere(record) -> bool:
    """Silence MkDocs' note that such a page came out empty here: the other process writes it."""
    message = record.getMessage()
    return not (message.startswith("Page skipped: '") and message.split("'")[1] in _theirs)


def on_page_markdown(markdown, page, config, files):
    if _problems:
        page.meta["title"] = "数据有误"
        return ""
    rendered = _pages.get(page.file.src_uri)
    if rendered is None:
        return markdown
    # Material prints page titles and meta values unescaped; give it escaped text.
    page.meta["title"] = html.escape(rendered.title)
    if rendered.description:
        page.meta["description"] = html.escape(rendered.description, quote=True)
    if not rendered.url.startswith(AGGREGATE_PAGES):
        page.meta["hide"] = ["toc"]  # no Markdown headings to list: give the text the width
    return ""


def on_page_content(content, page, config, files):
    if _problems:
        return _site.pages[0].html
    rendered = _pages.get(page.file.src_uri)
    if rendered is None:
        return content
    if rendered.toc:  # Material's contents column; its titles are HTML, ours are text
        page.toc = get_toc([{"level": level, "id": anchor, "name": html.escape(title),
                             "children": [{"level": l, "id": a, "name": html.escape(t), "children": []}
                                          for l, a, t in children]}
                            for level, anchor, title, children in rendered.toc])
    return ""  # the body arrives just before the page is written (on_page_context), and leaves after it


def on_page_context(context, page, config, nav):
    if _problems:
        context["ipp_footer"] = ""
        return context
    if page.meta.get("template") == ELSEWHERE:  # the other process writes this page
        return context
    rendered = _pages.get(page.file.src_uri)
    if rendered is not None:
        page.content = _body(page.file.src_uri)
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
    if _bodies is not None:
        _bodies.close()
    status = _share.finish() if _share is not None else 0
    if status:
        raise PluginError("the pages written by the second process " +
                          ("raised an error (above)" if status == 1 else "logged warnings (above)"))
    # Without a public address a sitemap could only list localhost or path-only URLs: write none.
    if not config["site_url"]:
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (Path(config["site_dir"]) / name).unlink(missing_ok=True)


def on_build_error(error):
    # Pages fingerprinted but never written: the next dirty rebuild must write everything.
    _fingerprints.clear()
    _ready.clear()
    if _bodies is not None:
        _bodies.close()
    if _share is not None:
        _share.stop()
