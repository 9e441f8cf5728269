"""What a forced re-import changed: a short summary for the editor, by item id."""
from __future__ import annotations

from .load import walk_raw

KIND_NAMES = {"chapter": "parts", "section": "groups", "task": "tasks"}
METADATA = ("title", "short_title", "issuer", "number", "date", "year", "source", "preamble", "closing", "numbering")


def _listing(ids: list[str], limit: int = 12) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" … ({len(ids)} in all)" if len(ids) > limit else f" ({len(ids)})")


def summary(previous: dict, current: dict) -> list[str]:
    before = {n.get("id"): n for n, _ in walk_raw(previous.get("sections")) if isinstance(n, dict)}
    after = {n["id"]: n for n, _ in walk_raw(current.get("sections"))}
    lines = ["changes against the replaced file:"]
    for kind, label in KIND_NAMES.items():
        old = sum(1 for n in before.values() if n.get("kind") == kind)
        new = sum(1 for n in after.values() if n.get("kind") == kind)
        lines.append(f"  {label}: {old} → {new}")
    changed_fields = [name for name in METADATA if previous.get(name) != current.get(name)]
    if changed_fields:
        lines.append(f"  document fields changed: {', '.join(changed_fields)}")
    added = [i for i in after if i not in before]
    removed = [i for i in before if i not in after]
    wording = [i for i in after if i in before and (after[i].get("text"), after[i].get("title"))
               != (before[i].get("text"), before[i].get("title"))]
    duties = [i for i in after if i in before and (after[i].get("lead"), after[i].get("participants"))
              != (before[i].get("lead"), before[i].get("participants"))]
    for label, ids in (("added", added), ("removed", removed), ("wording changed", wording),
                       ("departments changed", duties)):
        if ids:
            lines.append(f"  {label}: {_listing(ids)}")
    lost = [i for i in removed if any(before[i].get(f) for f in ("implements", "notes", "belongs_to"))]
    if lost:
        lines.append(f"  links or notes of removed items are gone (see git diff): {_listing(lost)}")
    kept = sum(len(n.get("implements") or []) for n in after.values())
    lines.append(f"  kept from the replaced file: {kept} implements links"
                 + ("; check them on items whose wording changed" if wording and kept else ""))
    if not (added or removed or wording or duties or changed_fields):
        lines.append("  no change to the wording, structure or departments")
    return lines
