"""What users and candidates share: how a person's name is written."""


class PersonName:
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        """Prénom NOM, as in the interface."""
        return f"{self.first_name} {self.last_name.upper()}"

