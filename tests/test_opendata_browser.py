"""The open-data pages in Debian's chromium: readable on a phone, accessible."""
from __future__ import annotations

import pytest

from test_browser import AXE, browser, server, visit  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_column_names_are_never_broken_on_a_phone(visit):
    v = visit("data/")
    v.page.set_viewport_size({"width": 390, "height": 800})
    names = v.page.locator(".ipp-columns th code")
    assert names.count() > 30
    # An inline element broken over lines has one client rectangle per line.
    broken = v.page.evaluate("""() => [...document.querySelectorAll('.ipp-columns th code, .ipp-data-files th a')]
        .filter(e => e.getClientRects().length > 1).map(e => e.textContent)""")
    assert broken == []
    v.page.add_script_tag(path=str(AXE))
    violations = v.page.evaluate("async () => (await axe.run(document)).violations"
                                 ".map(v => v.id + ': ' + v.nodes.length + ' × ' + v.help)")
    assert violations == []
    assert v.errors == [] and v.foreign == []
