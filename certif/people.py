"""What users and candidates share: how a person's name is written."""


class PersonName:
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        """Prénom NOM, as in the interface."""
        return f"{self.first_name} {self.last_name.upper()}"



VOWELS = "aeiouàâäéèêëîïôöùûüœæ"


def of(name: str) -> str:
    """« de » before a name, elided before a vowel sound: d'ALLOKOM, d'Emma, d'Élodie, de Léa.

    An h is taken as mute (d'Hugo, d'Hélène: French first names almost all are); a y
    elides before a consonant (d'Yves) but not as a consonant before a vowel (de Yann).
    The one home of this rule: templates use it as the `of` filter ({{ name|of }})."""
    start = name.strip()[:2].lower()
    first = start[:1]
    if first == "y":
        elided = len(start) == 2 and start[1] not in VOWELS
    else:
        elided = bool(first) and (first in VOWELS or first == "h")
    return f"d'{name}" if elided else f"de {name}"
