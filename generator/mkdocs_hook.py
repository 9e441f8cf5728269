"""The only place MkDocs meets the generator: a hook that hands it our pages and data files.

Event order (mkdocs/commands/build.py): on_config → on_files → on_nav → per page
on_page_markdown → on_page_content → template. We run the core pipeline in on_config (so an
edit under data/ is picked up by every `mkdocs serve` rebuild), add virtual files in on_files
(`File.generated`, as mkdocs-gen-files does), and put our escaped HTML in place of the
page's Markdown output in on_page_content.
"""
from __future__ import annotations

import hashlib
import html
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; make the package importable too
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from generator.pipeline import DataError, data_dir, load_corpus  # noqa: E402
from generator.render import RenderedPage, RenderedSite, Renderer  # noqa: E402
from generator.history import data_history  # noqa: E402
from generator.vcs import last_changed  # noqa: E402

_site: RenderedSite | None = None
_renderer: Renderer | None = None
_pages: dict = {}
# `mkdocs serve` keeps serving while the data is invalid: every page shows the problems instead
# (and live reload brings the site back once they are fixed); `mkdocs build` stops.
_serving = False
_problems: list[str] = []
# Fingerprints of what the previous build generated. MkDocs loads this hook once per process, so
# under `mkdocs serve --dirty` an edit rebuilds only the pages whose output changed.
_fingerprints: dict[str, str] = {}


class _GeneratedFile(File):
    """A virtual file that tells a dirty build whether its content changed since the last build."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


def _generated(config, uri: str, content, fingerprint: str, everything_changed: bool) -> File:
    file = _GeneratedFile.generated(config, uri, content=content)
    file.changed = everything_changed or _fingerprints.get(uri) != fingerprint
    _fingerprints[uri] = fingerprint
    return file


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
    global _serving
    _serving = command == "serve"


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
                         site_name=config["site_name"], history=data_history(data_dir()))
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
    if _problems:  # the error pages stand in for the generated ones
        for page in _site.pages:
            if files.get_file_from_path(page.uri) is None:
                files.append(_generated(config, page.uri, "", "(error)", True))
        return files
    # One output path, one page: MkDocs would keep one of two files with the same path in silence.
    owners = {file.dest_uri: f"content/{file.src_uri}" if file.is_documentation_page() else f"theme file {file.src_uri}"
              for file in files}
    clashes = []
    generated = [(page.uri, page.origin, page) for page in _site.pages] + [(path, "the downloads", None) for path in _site.files]
    for uri, source, page in generated:
        fingerprint = hashlib.sha1("\0".join([page.title, page.description, page.html, page.head]).encode() if page
                                   else _site.files[uri]).hexdigest()
        content = f"<!-- generated: {uri} -->\n" if page else _site.files[uri]
        file = _generated(config, uri, content, fingerprint, everything_changed)
        if file.dest_uri in owners:
            clashes.append(f"{source}: makes {file.dest_uri}, which {owners[file.dest_uri]} makes too")
            continue
        owners[file.dest_uri] = source
        files.append(file)
    if clashes:
        raise PluginError(f"{len(clashes)} page(s) with the same address:\n" + "\n".join(clashes) +
                          "\nChange one of the ids: every page needs an address of its own.")
    return files


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
    return rendered.html if rendered is not None else content


def on_page_context(context, page, config, nav):
    if _problems:
        context["ipp_footer"] = ""
        return context
    rendered = _pages.get(page.file.src_uri)
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


def on_post_build(config):
    # Without a public address a sitemap could only list localhost or path-only URLs: write none.
    if not config["site_url"]:
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (Path(config["site_dir"]) / name).unlink(missing_ok=True)


def on_build_error(error):
    # Pages fingerprinted but never written: the next dirty rebuild must write everything.
    _fingerprints.clear()
