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
from mkdocs.structure.toc import get_toc  # noqa: E402

from generator.pipeline import DataError, data_dir, load_corpus  # noqa: E402
from generator.render import RenderedSite, Renderer  # noqa: E402
from generator.vcs import last_changed  # noqa: E402

_site: RenderedSite | None = None
_renderer: Renderer | None = None
_pages: dict = {}
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
    {"关于本站": "about.md"},
]


def on_config(config):
    global _site, _pages, _renderer
    try:
        corpus = load_corpus()
    except DataError as error:
        raise PluginError(f"{len(error.problems)} problem(s) in the data:\n{error}") from None
    # site_url: mkdocs.yml `!ENV [SITE_URL, ""]` (`mkdocs serve` sets its own address).
    _renderer = Renderer(corpus, site_url=config["site_url"] or "", data_date=last_changed(data_dir()),
                         site_name=config["site_name"])
    _site = _renderer.render()
    _pages = {page.uri: page for page in _site.pages}
    # Material renders nav titles as HTML: escape ours. One entry per document, never per item.
    documents = ["documents/index.md"] + [{html.escape(title): uri} for title, uri in _site.nav]
    config["nav"] = [{"首页": "index.md"}, {"文件": documents}, *NAV_TAIL]
    folder = str(data_dir().resolve())
    if folder not in [str(Path(p).resolve()) for p in config["watch"]]:
        config["watch"].append(folder)  # `mkdocs serve` on other data (IPP_DATA_DIR) reloads on its edits
    return config


def on_files(files, config):
    # A changed navigation (a document added or renamed), theme or configuration shows on every page.
    theme_files = sorted(Path(config["theme"].custom_dir).rglob("*")) if config["theme"].custom_dir else []
    layout = repr(config["nav"]) + repr([(str(p), p.stat().st_mtime) for p in theme_files if p.is_file()])
    layout += repr(Path(config.config_file_path).stat().st_mtime)
    everything_changed = _fingerprints.get("(layout)") != layout
    _fingerprints["(layout)"] = layout
    for page in _site.pages:
        fingerprint = hashlib.sha1("\0".join([page.title, page.description, page.html, page.head]).encode()).hexdigest()
        files.append(_generated(config, page.uri, f"<!-- generated: {page.uri} -->\n", fingerprint, everything_changed))
    for path, content in _site.files.items():
        files.append(_generated(config, path, content, hashlib.sha1(content).hexdigest(), everything_changed))
    return files


def on_page_markdown(markdown, page, config, files):
    rendered = _pages.get(page.file.src_uri)
    if rendered is None:
        return markdown
    # Material prints page titles and meta values unescaped; give it escaped text.
    page.meta["title"] = html.escape(rendered.title)
    if rendered.description:
        page.meta["description"] = html.escape(rendered.description, quote=True)
    return ""


def on_page_content(content, page, config, files):
    rendered = _pages.get(page.file.src_uri)
    if rendered is None:
        return content
    if rendered.toc:  # Material's contents column; its titles are HTML, ours are text
        page.toc = get_toc([{"level": level, "id": anchor, "name": html.escape(title),
                             "children": [{"level": l, "id": a, "name": html.escape(t), "children": []}
                                          for l, a, t in children]}
                            for level, anchor, title, children in rendered.toc])
    return rendered.html


def on_page_context(context, page, config, nav):
    rendered = _pages.get(page.file.src_uri)
    title = rendered.title if rendered is not None else html.unescape(page.title or config["site_name"])
    context["ipp_footer"] = _renderer.footer(page.url, title)
    context["ipp_head"] = rendered.head if rendered is not None else _renderer.head(
        page.url, title, page.meta.get("description") or config["site_description"] or "")
    return context


def on_template_context(context, template_name, config):
    # Static pages (404.html) are served at any address: their footer links from the site root.
    root = urlsplit(config["site_url"] or "/").path
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
