"""CSV files for Excel (France) whose cells never run as formulas.

Every CSV certif exports goes through `csv_text`: a text cell that starts with =, +, -, @
(or a tab or a carriage return, which some spreadsheets skip before reading a formula) is
prefixed with an apostrophe, so that a name or a title typed as « =HYPERLINK(…) » shows as
text instead of running (CSV injection). Numbers certif writes itself (« 12,5 ») never
start with one of these. No Flask, no database.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell as text, with an apostrophe before a leading formula character ("" for None)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """The CSV text: `;` separator, CRLF line ends, every cell neutralised (encode it
    utf-8-sig, so that Excel reads the accents)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def csv_bytes(rows: Iterable[Iterable[object]]) -> bytes:
    """`csv_text` encoded for Excel: UTF-8 with a byte-order mark."""
    return csv_text(rows).encode("utf-8-sig")
