"""Bar charts made at build time as HTML and CSS: no script, no external request, readable without colour.

HTML rather than SVG: the text keeps the page's font size at every width (an SVG scaled to a phone
shrank its labels to 5 px), wraps instead of being cut off, and prints like the rest of the page.
Every bar carries its value as text; the bars only help the eye.
"""
from __future__ import annotations

from html import escape


def _number(value: str) -> float | None:
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _width(value: float, largest: float) -> str:
    return f"{100 * value / largest:.1f}%" if largest else "0%"


def indicator_chart(rows) -> str:
    """Baseline and target of each indicator, as values with their units. Units differ between rows,
    so each row's two bars share that row's scale (the longer of the two fills the track)."""
    if not rows:
        return ""
    target_year = rows[0].indicator.get("target_year", "")
    parts = ['<ul class="ipp-bars ipp-bars--pairs">']
    for node in rows:
        values = node.indicator
        baseline, target = _number(values["baseline"]), _number(values["target"])
        unit = escape(values.get("unit", ""))
        parts.append(f'<li class="ipp-bar-row"><span class="ipp-bar-label">{escape(node.number)}. '
                     f'{escape(node.title)}</span><span class="ipp-bar-track">')
        largest = max(v for v in (baseline, target, 0.0) if v is not None)
        if baseline is not None:
            parts.append(f'<span class="ipp-bar ipp-bar--base" style="width:{_width(baseline, largest)}"></span>')
        if target is not None:
            parts.append(f'<span class="ipp-bar ipp-bar--target" style="width:{_width(target, largest)}"></span>')
        base_text = (f'基期 {escape(values["baseline"])}{unit}（{escape(values["baseline_year"])}年）'
                     if baseline is not None else "基期无数据")
        parts.append(f'</span><span class="ipp-bar-value">{base_text} → {escape(target_year)}年 '
                     f'{escape(values["target"])}{unit}</span></li>')
    parts.append("</ul>")
    return "".join(parts)


def department_chart(departments, limit: int = 15) -> str:
    """The departments named by most items: items they lead (dark) within all items naming them (light)."""
    busiest = sorted(departments, key=lambda d: (-d.named_count, -d.lead_count, d.name))[:limit]
    busiest = [d for d in busiest if d.named_count]
    if not busiest:
        return ""
    top = max(d.named_count for d in busiest)
    parts = ['<ul class="ipp-bars">']
    for department in busiest:
        parts.append(
            f'<li class="ipp-bar-row"><span class="ipp-bar-label">{escape(department.name)}</span>'
            f'<span class="ipp-bar-track"><span class="ipp-bar ipp-bar--base ipp-bar--stack" '
            f'style="width:{_width(department.named_count, top)}"><span class="ipp-bar ipp-bar--target" '
            f'style="width:{_width(department.lead_count, department.named_count)}"></span></span></span>'
            f'<span class="ipp-bar-value">牵头 {department.lead_count}／涉及 {department.named_count}</span></li>')
    parts.append("</ul>")
    return "".join(parts)
