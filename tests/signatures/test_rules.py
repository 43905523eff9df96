"""The signer's mark and the content signed, checked without Flask."""
import base64
import hashlib
import io
import json

import pytest
from PIL import Image

from certif.signatures import rules

from ..factories.files import png_url


def test_canonical_json_is_one_text_for_one_content():
    a = rules.canonical_json({"b": 1, "a": "Élodie"})
    b = rules.canonical_json({"a": "Élodie", "b": 1})
    assert a == b == '{"a":"Élodie","b":1}'
    assert rules.sha256_text(a) == hashlib.sha256(a.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("typed, expected", [
    ("Paule Presidente", "Paule Presidente"),
    ("  Paule   Presidente ", "Paule Presidente"),
    ("Élodie Marchand-Œuvre", "Élodie Marchand-Œuvre"),
])
def test_typed_name_is_kept_with_spaces_collapsed(typed, expected):
    mark = rules.parse_mark("typed", None, typed)
    assert (mark.method, mark.typed_name, mark.image_png) == ("typed", expected, None)


@pytest.mark.parametrize("method, image, typed, message", [
    (None, None, "Paule", rules.MSG_CHOOSE),
    ("stamp", None, "Paule", rules.MSG_CHOOSE),
    ("typed", None, "   ", rules.MSG_EMPTY_TYPED),
    ("typed", None, "x" * 201, rules.MSG_LONG_TYPED),
    ("typed", None, "Paule\x00", rules.MSG_EMPTY_TYPED),
    ("drawn", None, None, rules.MSG_EMPTY_DRAWING),
    ("drawn", "", None, rules.MSG_EMPTY_DRAWING),
    ("drawn", "data:image/svg+xml;base64,PHN2Zz4=", None, rules.MSG_BAD_IMAGE),
    ("drawn", rules.DATA_URL_PREFIX + "not base64!", None, rules.MSG_BAD_IMAGE),
    ("drawn", rules.DATA_URL_PREFIX + base64.b64encode(b"GIF89a....").decode(), None, rules.MSG_BAD_IMAGE),
])
def test_refused_marks_say_why_in_french(method, image, typed, message):
    with pytest.raises(rules.InvalidSignature) as error:
        rules.parse_mark(method, image, typed)
    assert str(error.value) == message


def test_a_blank_canvas_is_not_a_signature():
    with pytest.raises(rules.InvalidSignature, match="vide"):
        rules.parse_mark("drawn", png_url(ink=False), None)


def test_an_oversized_image_is_refused():
    with pytest.raises(rules.InvalidSignature):
        rules.parse_mark("drawn", png_url(size=(4000, 100)), None)


def test_a_jpeg_under_a_png_label_is_refused():
    with pytest.raises(rules.InvalidSignature):
        rules.parse_mark("drawn", png_url(fmt="JPEG"), None)


def test_a_drawing_is_reencoded_and_cropped_to_its_ink():
    mark = rules.parse_mark("drawn", png_url(), None)
    assert mark.method == "drawn" and mark.image_png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(mark.image_png)) as image:
        assert image.format == "PNG" and image.size[0] < 300 and image.size[1] < 90
    assert rules.data_url(mark.image_png).startswith(rules.DATA_URL_PREFIX)


def test_canonical_json_round_trips():
    content = {"candidate": "Léa DUBOIS", "date": "2026-12-01", "n": [1, 2]}
    assert json.loads(rules.canonical_json(content)) == content


def test_seen_problem():
    content = {"b": 1, "a": "é"}
    right = rules.content_sha256(content)
    assert rules.seen_problem(right, content) is None
    assert rules.seen_problem(right.upper(), content) is None
    assert rules.seen_problem(right, '{"a":"é","b":1}') is None  # frozen canonical JSON
    assert rules.seen_problem(rules.content_sha256({"a": "é"}), content) == rules.SEEN_CHANGED
    for bad in (None, "", "abc", "g" * 64, right + "0"):
        assert rules.seen_problem(bad, content) == rules.SEEN_MISSING

