"""What readers see in a real browser (Debian's chromium): fonts, phones, tables, charts, copying, keyboard, print."""
from __future__ import annotations

import datetime
import functools
import http.server
import threading

import pytest

from conftest import PUBLISHED_URL
from test_browser import CHROMIUM, FLAGS, browser, server, visit  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CJK_FONTS = {"PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
             "WenQuanYi Micro Hei"}


def test_no_page_scrolls_sideways_on_a_phone(browser, server, site):  # noqa: F811
    """Every page of the built site at 390 px, in one browser page reused for all of them."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) > 400
    page = browser.new_page(viewport=PHONE)
    # Layout needs the HTML and CSS only: skip scripts and images to keep 400+ pages quick.
    page.route("**/*.{js,png,svg,ico}", lambda route: route.abort())
    wide = {}
    for path in pages:
        page.goto(server + path.removesuffix("index.html"), wait_until="domcontentloaded")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    page.close()
    assert wide == {}


def test_the_chinese_font_stack_really_applies(visit):  # noqa: F811
    v = visit("plan-2021/col-1/")
    paragraph = v.page.locator(".md-typeset p").first
    declared = paragraph.evaluate("p => getComputedStyle(p).fontFamily")
    assert declared.split(",")[0].strip().strip('"') in CJK_FONTS, declared
    # The font chromium really drew the text with (not only the declared one).
    cdp = v.context.new_cdp_session(v.page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".md-typeset p"})["nodeId"]
    used = {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    assert used and used <= CJK_FONTS, used
    # Chinese quotation marks are full-width, also where two meet (”“): each as wide as a Chinese character.
    widths = v.page.evaluate("""() => {
        const p = document.querySelector('.md-typeset p');
        const measure = text => { const d = document.createElement('div'), s = document.createElement('span');
            s.textContent = text; d.appendChild(s); p.after(d);
            const w = s.getBoundingClientRect().width; d.remove(); return w; };
        return [measure('中'), measure('“'), measure('”'), measure('中”“中')];
    }""")
    han, opening, closing, pair = widths
    assert opening >= 0.95 * han and closing >= 0.95 * han and pair >= 3.9 * han, widths


@pytest.mark.parametrize("width", [1366, 390])
def test_tables_and_charts_are_readable(browser, server, width):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(server + "plan-2021/s-3/", wait_until="domcontentloaded")
    facts = page.evaluate("""() => {
        const table = document.querySelector('table.ipp-indicators');
        const cells = [...table.querySelectorAll('tbody .ipp-num')].map(c => getComputedStyle(c));
        const headers = [...table.querySelectorAll('thead th')].map(th => {
            const r = document.createRange(); r.selectNodeContents(th);
            return [th.getBoundingClientRect().width, r.getBoundingClientRect().width, th.getClientRects().length]; });
        const chartText = [...document.querySelectorAll('.ipp-bars *')].filter(e => e.childNodes.length && e.textContent.trim())
            .map(e => parseFloat(getComputedStyle(e).fontSize));
        const values = [...document.querySelectorAll('.ipp-bar-value')].map(e => e.getBoundingClientRect().right);
        return {display: getComputedStyle(table).display, aligns: cells.map(c => c.textAlign),
                numeric: cells.map(c => c.fontVariantNumeric), headers, chartText, values,
                viewport: document.documentElement.clientWidth};
    }""")
    page.close()
    if facts["display"] == "table":  # desktop: a real table
        assert set(facts["aligns"]) == {"right"} and set(facts["numeric"]) == {"tabular-nums"}
        for cell_width, text_width, _ in facts["headers"]:
            assert text_width <= cell_width, "a column is narrower than its header"
    assert len(facts["chartText"]) >= 8 and min(facts["chartText"]) >= 12
    assert max(facts["values"]) <= facts["viewport"], "a chart value is cut off"


def test_keyboard_skip_link_and_focus_rings(visit):  # noqa: F811
    v = visit("plan-2023/t-1/")
    v.page.keyboard.press("Tab")
    v.page.wait_for_function("getComputedStyle(document.activeElement).opacity === '1'")  # after its fade-in
    focused = v.page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return [e.textContent.trim(), e.getAttribute('href'), s.opacity, s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    assert focused[0] == "跳到正文" and focused[1] == "#ipp-main" and focused[2] == "1"
    assert focused[3] != "none" and focused[4] >= 2
    v.page.keyboard.press("Enter")
    assert v.page.evaluate("document.activeElement.id") == "ipp-main"
    v.page.focus("#ipp-header-q")
    ring = v.page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert ring[0] != "none" and ring[1] >= 2
    link = v.page.locator(".ipp-cite a").first
    link.focus()
    v.page.keyboard.press("Shift+Tab")
    v.page.keyboard.press("Tab")
    style = link.evaluate("a => { const s = getComputedStyle(a); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert style[0] != "none" and style[1] >= 2


@pytest.fixture(scope="module")
def published_server(published_site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(published_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()


def test_copy_buttons_copy_the_address_and_the_citation(browser, published_server):  # noqa: F811
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(published_server + "plan-2023/t-17/", wait_until="networkidle")
    page.get_by_role("button", name="复制链接").click()
    assert page.evaluate("navigator.clipboard.readText()") == PUBLISHED_URL + "plan-2023/t-17/"
    page.get_by_role("button", name="复制引文").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    today = page.evaluate("(() => { const d = new Date(), p = n => String(n).padStart(2, '0');"
                          " return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()); })()")
    assert f"[{today}]" in copied and copied.endswith(PUBLISHED_URL + "plan-2023/t-17/.")
    assert "已复制" in page.locator(".ipp-copy-status").inner_text()
    context.close()
    assert datetime.date.fromisoformat(today)


def test_print_shows_the_full_address_once(browser, published_server):  # noqa: F811
    page = browser.new_page()
    page.goto(published_server + "plan-2023/t-17/", wait_until="networkidle")
    page.emulate_media(media="print")
    text = page.evaluate("document.body.innerText")
    assert text.count(PUBLISHED_URL + "plan-2023/t-17/") == 1
    assert "跳到正文" not in text and "复制" not in text
    page.close()
