"""Every CSV certif exports neutralises cells Excel would run as formulas (CSV injection)."""
import csv
import io

import pytest

from certif.csvsafe import csv_bytes, csv_text, safe_cell


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("Dupont-Durand", "Dupont-Durand"),  # only the first character matters
    ("a=b", "a=b"),
    (" =1", " =1"),
    ("66,7", "66,7"),
    ("'déjà", "'déjà"),
    ("", ""),
    (None, ""),
    (12, "12"),
])
def test_a_cell_starting_like_a_formula_gets_an_apostrophe(value, expected):
    assert safe_cell(value) == expected


def test_csv_text_is_for_excel_in_france_and_neutralises_every_cell():
    text = csv_text([["Nom", "Note"], ["=cmd|' /C calc'!A0", "12,5"], ["Zoé; \"Z\"", "-1"]])
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows == [["Nom", "Note"], ["'=cmd|' /C calc'!A0", "12,5"], ["Zoé; \"Z\"", "'-1"]]
    assert csv_bytes([["é"]]).startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads accents
