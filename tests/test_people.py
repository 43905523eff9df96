"""How names are written in French sentences."""
import pytest

from certif.people import of


@pytest.mark.parametrize("name, expected", [
    ("ALLOKOM", "d'ALLOKOM"), ("Emma GARNIER", "d'Emma GARNIER"), ("Élodie M", "d'Élodie M"),
    ("Hugo L", "d'Hugo L"), ("Léa DUBOIS", "de Léa DUBOIS"), ("", "de "),
])
def test_de_is_elided_before_a_vowel(name, expected):
    assert of(name) == expected
