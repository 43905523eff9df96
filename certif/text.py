"""Text helpers: user text as stored, folded for comparisons, and slugs for file names.

No Flask, no database. Each caller keeps its own limits and messages; what the text
becomes is decided here once.
"""
import re
import unicodedata
from typing import Literal

Breaks = Literal["crlf", "all", "keep"]


def clean_text(raw: str | None, *, one_line: bool = False, breaks: Breaks = "crlf") -> str:
    """User text without the white space around it ("" for None).

    Browsers send a line break as CRLF but count it as one character, so by default
    ("crlf") "\\r\\n" becomes "\\n"; "all" also turns a lone "\\r" into "\\n"; "keep" leaves
    the breaks as sent. `one_line` folds every run of white space, breaks included, into
    one space (names, places).
    """
    text = raw or ""
    if breaks != "keep":
        text = text.replace("\r\n", "\n")
    if breaks == "all":
        text = text.replace("\r", "\n")
    text = text.strip()
    return " ".join(text.split()) if one_line else text


def fold(text: str | None) -> str:
    """Lower case without accents, to compare what people type: « Hélène » → "helene"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slug(text: str, *, fallback: str = "document", lower: bool = True) -> str:
    """ASCII letters and digits joined by "-" for a file name: « Dupré Éloïse » →
    "dupre-eloise"; `fallback` when nothing is left, `lower=False` keeps the case."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")
    return (plain.lower() if lower else plain) or fallback
