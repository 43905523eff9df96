"""What users and candidates share: how a person's name is written."""


class PersonName:
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        """Prénom NOM, as in the interface."""
        return f"{self.first_name} {self.last_name.upper()}"



def of(name: str) -> str:
    """« de » before a name, elided before a vowel or a mute h: d'ALLOKOM, d'Emma, de Léa."""
    first = name.strip()[:1].lower()
    return f"d'{name}" if first and first in "aeiouyhàâäéèêëîïôöùûüœæ" else f"de {name}"
