"""How names are written in French sentences."""
import pytest

from certif.people import of


@pytest.mark.parametrize("name, expected", [
    ("ALLOKOM", "d'ALLOKOM"), ("Emma GARNIER", "d'Emma GARNIER"), ("Élodie M", "d'Élodie M"),
    ("Hugo L", "d'Hugo L"), ("Léa DUBOIS", "de Léa DUBOIS"), ("", "de "),
    ("Alice MARTIN", "d'Alice MARTIN"), ("Ève", "d'Ève"), ("Îsa", "d'Îsa"), ("Océane", "d'Océane"),
    ("Ulysse", "d'Ulysse"), ("Isabelle", "d'Isabelle"), ("Œdipe", "d'Œdipe"), ("Hélène", "d'Hélène"),
    ("Yves", "d'Yves"), ("Yvonne B", "d'Yvonne B"), ("Yann", "de Yann"), ("Yasmine", "de Yasmine"),
    ("Y", "de Y"), ("Paul", "de Paul"), ("Zoé", "de Zoé"), ("Jean-Émile", "de Jean-Émile"),
    ("paule presidente", "de paule presidente"), ("EMMA", "d'EMMA"),
])
def test_de_is_elided_before_a_vowel(name, expected):
    assert of(name) == expected


def test_the_template_filter_elides_too(app):
    rendered = app.jinja_env.from_string("{{ a|of }} / {{ b|of }}").render(a="Alice", b="Paul")
    assert rendered == "d&#39;Alice / de Paul"
