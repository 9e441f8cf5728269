"""SVG charts made at build time: no script, no external request, readable without colour."""
from __future__ import annotations

from html import escape


def _number(value: str) -> float | None:
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def indicator_chart(rows) -> str:
    """Target against baseline for each indicator, as a ratio (units differ between rows)."""
    bars = []
    for node in rows:
        baseline, target = _number(node.indicator["baseline"]), _number(node.indicator["target"])
        bars.append((node, baseline, target))
    width, row_h, left = 640, 34, 250
    scale_max = max([t / b for _, b, t in bars if b and t] + [1.0])
    height = row_h * len(bars) + 40
    unit = (width - left - 60) / scale_max
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="ind-chart-title" class="ipp-svg"><title id="ind-chart-title">主要指标：2025年目标相对基期值的倍数</title>']
    for index, (node, baseline, target) in enumerate(bars):
        y = 20 + index * row_h
        label = escape(f"{node.number}. {node.title}")
        parts.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" class="ipp-svg-label">{label}</text>')
        if baseline and target:
            ratio = target / baseline
            parts.append(f'<rect x="{left}" y="{y}" width="{unit:.1f}" height="9" class="ipp-svg-base"/>')
            parts.append(f'<rect x="{left}" y="{y + 11}" width="{unit * ratio:.1f}" height="9" class="ipp-svg-target"/>')
            parts.append(f'<text x="{left + unit * ratio + 6:.1f}" y="{y + 20}" class="ipp-svg-value">×{ratio:.2f}</text>')
        else:
            parts.append(f'<text x="{left}" y="{y + 14}" class="ipp-svg-value">基期无数据，目标 {escape(str(node.indicator["target"]))}</text>')
    parts.append(f'<text x="{left}" y="{height - 6}" class="ipp-svg-legend">上条：基期值（=1）　下条：2025年目标</text></svg>')
    return "".join(parts)


def department_chart(departments, limit: int = 15) -> str:
    """The departments named by most items, with the share they lead."""
    busiest = sorted(departments, key=lambda d: (-d.named_count, -d.lead_count, d.name))[:limit]
    busiest = [d for d in busiest if d.named_count]
    if not busiest:
        return ""
    width, row_h, left = 640, 22, 190
    top = max(d.named_count for d in busiest)
    unit = (width - left - 50) / top
    height = row_h * len(busiest) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="dept-chart-title" class="ipp-svg"><title id="dept-chart-title">涉及条目最多的{len(busiest)}个部门</title>']
    for index, department in enumerate(busiest):
        y = 10 + index * row_h
        parts.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end" class="ipp-svg-label">{escape(department.name)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{unit * department.named_count:.1f}" height="16" class="ipp-svg-base"/>')
        parts.append(f'<rect x="{left}" y="{y}" width="{unit * department.lead_count:.1f}" height="16" class="ipp-svg-target"/>')
        parts.append(f'<text x="{left + unit * department.named_count + 6:.1f}" y="{y + 13}" class="ipp-svg-value">'
                     f'{department.lead_count}／{department.named_count}</text>')
    parts.append(f'<text x="{left}" y="{height - 4}" class="ipp-svg-legend">深色：牵头条目　浅色：涉及条目（牵头／涉及）</text></svg>')
    return "".join(parts)
