"""Limits on what the data may hold: no value can blow up the site, hide invisible characters in
it or make a path the file system refuses. Every value of every file is visited once.

Also `where()`: a JSON path told by the ids it passes (`t-6 › indicator.unit`), not by list indexes.
"""
from __future__ import annotations

import datetime
import math
import re
import unicodedata

from .load import LocatedDict, LocatedList, Problem

# Longest text per field (characters). The real data stays far below: the longest `text` is
# 1,202 characters, the longest `title` 39, `short_title` 9. Every other field: DEFAULT_MAX_LENGTH.
ONE_LINE = 200
MAX_LENGTH = {
    "id": 64, "date": 10, "kind": 40, "type": 40, "category": 40, "title": 300, "full_name": 300, "english": 300,
    **{name: ONE_LINE for name in ("short_title", "name", "lead", "participants", "addressee", "aliases", "keywords",
                                    "number", "deadline", "unit", "baseline_year", "baseline", "target_year", "target",
                                    "increase", "attribute")},
    "text": 20_000, "preamble": 20_000, "closing": 20_000,
}
DEFAULT_MAX_LENGTH = 2_000
# Fields that hold paragraphs, one per line; every other field is a single line.
MULTILINE_FIELDS = {"text", "preamble", "closing", "reason", "note", "cite", "description", "reads", "published"}
# C0 and C1 controls (line feed aside: checked per field; a tab only in `reads`, which quotes an extraction), soft hyphen, Arabic letter mark, Mongolian
# vowel separator, zero-width and bidi controls (U+200B–U+200F, U+202A–U+202E, U+2060–U+206F),
# line and paragraph separators, byte order mark, interlinear annotation.
FORBIDDEN_CHARACTER = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Names Windows refuses as a file or folder, whatever the extension.
DEVICE_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
WHOLE_NUMBER_FIELDS = {"year", "period", "lines"}  # JSON Schema takes 2023.0 for an integer; YAML reads a decimal
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def where(value, path) -> str:
    """A readable place for a JSON path: the last item id passed, then the keys after it."""
    label, rest = "", []
    for key in path:
        rest.append(str(key))
        inside = (isinstance(value, dict) and key in value) or (
            isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value))
        if not inside:
            continue
        value = value[key]
        if isinstance(value, dict) and isinstance(value.get("id"), str) and SLUG.fullmatch(value["id"]) \
                and len(value["id"]) <= MAX_LENGTH["id"]:
            label, rest = value["id"], []
    if label and rest:
        return f"{label} › {'.'.join(rest)}"
    return label or ".".join(rest) or "(top level)"


def _character_name(character: str) -> str:
    return f"U+{ord(character):04X} {unicodedata.name(character, 'control character')}"


def _string_problem(text: str, field: str) -> str:
    """The first thing wrong with one text value (one cause, one line), or ''."""
    limit = MAX_LENGTH.get(field, DEFAULT_MAX_LENGTH)
    if field == "id":
        if text.endswith("\n") and SLUG.fullmatch(text.rstrip("\n")):
            return f"{text!r} ends in a line break"
        if len(text) > limit:
            return f"{len(text):,} characters long; at most {limit:,}"
        if text in DEVICE_NAMES:
            return f"'{text}' is a device name that Windows cannot store as a folder"
        return ""  # any other character is refused by the schema's pattern
    bad = FORBIDDEN_CHARACTER.search(text.replace("\t", " ") if field == "reads" else text)
    if bad:
        return (f"contains {_character_name(bad[0])} (an invisible or control "
                f"character) at character {bad.start() + 1}; delete it")
    if "\n" in text and field not in MULTILINE_FIELDS:
        return "contains a line break; this field is one line"
    if len(text) > limit:
        return f"{len(text):,} characters long; at most {limit:,}"
    if field == "date" and text and ISO_DATE.match(text):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return f"{text!r} is not a date written YYYY-MM-DD"
    return ""


def check_limits(root, file: str) -> list[Problem]:
    """Every value over a limit in one loaded file, `file:line: where: what`."""
    problems: list[Problem] = []
    stack = [(root, [], "", getattr(root, "line", 1))]
    while stack:
        value, path, field, line = stack.pop()
        if isinstance(value, LocatedDict):
            for key in reversed(list(value)):
                stack.append((value[key], path + [key], key, value.line_of(key)))
        elif isinstance(value, LocatedList):
            for index in reversed(range(len(value))):
                stack.append((value[index], path + [index], field, value.line_of(index)))
        elif isinstance(value, str):
            message = _string_problem(value, field)
            if message:  # its place is worked out only for a problem: most values have none
                problems.append(Problem(file, line, f"{where(root, path)}: {message}"))
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems.append(Problem(file, line, f"{where(root, path)}: not a finite number"))
            elif field in WHOLE_NUMBER_FIELDS and value.is_integer():
                problems.append(Problem(file, line, f"{where(root, path)}: must be a whole number "
                                                    f"such as {int(value)}, not {value}"))
    return problems


def check_indicator_values(indicator: dict, file: str, place: str) -> list[Problem]:
    """Values a chart reads as numbers must be plain decimals: no nan, inf, exponent or sign."""
    problems = []
    for field in ("baseline", "target", "increase"):
        value = indicator.get(field)
        if not isinstance(value, str):
            continue
        try:
            float(value.strip())
        except ValueError:
            continue  # text such as — is shown as printed
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", value.strip()):
            problems.append(Problem(file, indicator.line_of(field), f"{place}: {field} '{value}' must be written "
                                    f"as a plain number such as 12 or 3194.4 (not negative, no exponent, no nan)"))
    return problems
