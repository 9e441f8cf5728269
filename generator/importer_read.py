"""Read an official text as the importer needs it: any encoding an editor is likely to get, never a traceback.

UTF-8 (with or without BOM), UTF-16 with BOM, GB18030 (a superset of GBK and GB2312). The result is
the text with Unix line endings, without BOM or any U+FEFF, and a list of (line, problem) when it
cannot be used. Line numbers count "\\n" as editors' tools do.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

# Control characters that never occur in a text file (tab, line feed, carriage return and form feed do).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x85\u2028\u2029]")
_SIGNATURES = {
    b"%PDF": "a PDF file: extract its text first (for example `pdftotext -layout FILE.pdf FILE.txt`)",
    b"PK\x03\x04": "a zip archive (a Word .docx file?): save the document as plain text first",
    b"\xd0\xcf\x11\xe0": "an old Word/Excel file: save the document as plain text first",
}


@dataclass
class SourceText:
    text: str = ""
    encoding: str = ""
    changes: list[str] = field(default_factory=list)  # what was normalised, for the provenance record
    problems: list[tuple[int, str]] = field(default_factory=list)
    raw: bytes = b""


def _line_at(raw: bytes, position: int) -> int:
    return raw[:position].count(b"\n") + 1


def decode(raw: bytes) -> SourceText:
    result = SourceText(raw=raw)
    if not raw.strip():
        result.problems.append((1, "the file is empty"))
        return result
    for signature, what in _SIGNATURES.items():
        if raw.startswith(signature):
            result.problems.append((1, f"not a text file but {what}"))
            return result
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as error:
            result.problems.append((1, f"broken UTF-16 text near byte {error.start}"))
            return result
    else:
        if b"\x00" in raw:
            at = raw.index(b"\x00")
            result.problems.append((_line_at(raw, at), f"binary data (a NUL byte at byte {at}), not a text file"))
            return result
        try:
            text, encoding = raw.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError as utf8_error:
            try:
                text, encoding = raw.decode("gb18030"), "GB18030"
            except UnicodeDecodeError:
                at = utf8_error.start
                result.problems.append((_line_at(raw, at), f"neither UTF-8 nor GB18030/GBK text (byte 0x{raw[at]:02x} "
                                                           f"at byte {at}); save the text as UTF-8"))
                return result
        if raw.startswith(codecs.BOM_UTF8):
            result.changes.append("去除了UTF-8字节顺序标记（BOM）")
    if encoding != "UTF-8":
        result.changes.append(f"由{encoding}编码转为UTF-8")
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
        if encoding != "UTF-8" or not raw.startswith(codecs.BOM_UTF8):
            result.changes.append("去除了字节顺序标记（U+FEFF）")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        result.changes.append("换行统一为LF")
    if "\f" in text:
        text = text.replace("\f", "")
        result.changes.append("去除了分页符")
    for number, line in enumerate(text.split("\n"), start=1):
        if match := _CONTROL.search(line):
            result.problems.append((number, f"control character U+{ord(match[0]):04X}: binary data, not a text file"))
            break
    if not text.strip():
        result.problems.append((1, "the file is empty"))
    result.text, result.encoding = text, encoding
    return result


def read_source(path: Path) -> SourceText:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return SourceText(problems=[(1, "no such file")])
    except IsADirectoryError:
        return SourceText(problems=[(1, "a folder, not a text file")])
    except OSError as error:
        return SourceText(problems=[(1, f"cannot be read: {error.strerror or error}")])
    return decode(raw)
