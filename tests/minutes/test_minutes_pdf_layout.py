"""The minutes' pages: the individual minutes start their competencies on the first page and
keep "Nom et signature des jurés" on the page of the signatures, with the place, the date and
the visa; the general minutes keep their signatures together too."""
import io

import pypdf
import pytest

from certif.minutes import documents as minutes_documents

from ..factories.files import drawn_png
from ..factories.sessions import make_exam
from .helpers import close, exams_of, page_hash


def pages(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def page_of(texts: list[str], needle: str) -> int:
    found = [i for i, text in enumerate(texts) if needle in text]
    assert found, f"{needle!r} in no page"
    return found[0]


def signed_setup(code, make_web, comment):
    """A closed session whose minutes both jurors signed with a drawn signature."""
    setup = make_exam(code, candidates=2)
    for exam in exams_of(setup):
        close(setup, exam, comment=comment)
    path = f"/jury/sessions/{setup.session.id}/proces-verbal"
    for juror in (setup.president, setup.member):
        client = make_web(juror)
        response = client.post(f"{path}/signature", {"signature_method": "drawn",
                                                     "signature_image": drawn_png(),
                                                     "content_sha256": page_hash(client, path)})
        assert response.status_code == 303
    return setup


CASES = [
    # referential, president's comment, the first competency, expected number of pages
    ("RS6240", "Très bonne prestation.", "C1", 2),
    ("RS6240", "Très bonne prestation, " * 30, "C1", 2),
    ("RNCP-CM", "Très bonne prestation.", None, None),
]


@pytest.mark.parametrize("code, comment, first_competency, expected_pages", CASES)
def test_individual_minutes_keep_signatures_together(app, make_web, code, comment,
                                                      first_competency, expected_pages):
    setup = signed_setup(code, make_web, comment)
    texts = pages(minutes_documents.individual_minutes_pdf(exams_of(setup)[0]))
    if expected_pages is not None:
        assert len(texts) == expected_pages
    # The first page is not wasted: the competencies start on it.
    competencies = page_of(texts, "2. COMPETENCES EVALUEES")
    assert competencies == 0
    if first_competency:
        assert f"{first_competency} Utiliser" in texts[0]
    # The title of the signatures, both signatures, the place and date, the visa: one page.
    last = page_of(texts, "Nom et signature des jurés")
    closing = texts[last].split("Nom et signature des jurés")[1]
    assert closing.count("signé le") == 2
    assert setup.president.full_name in closing and setup.member.full_name in closing
    assert "Lieu :" in closing and "VISA du responsable" in closing
    assert last == len(texts) - 1


def test_general_minutes_keep_signatures_together(app, make_web):
    setup = signed_setup("RS6240", make_web, "Très bonne prestation.")
    texts = pages(minutes_documents.general_minutes_pdf(setup.session))
    first = page_of(texts, "Signature du président de la session")
    assert page_of(texts, "Signature des membres du jury") == first
    assert page_of(texts, "VISA du responsable") == first
    assert texts[first].count("signé le") == 2
