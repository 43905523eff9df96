"""Files users upload (jurors' CVs, evidence of corrective actions), kept out of static/.

Each domain keeps its files in its own folder under FILES_DIR; each file gets a random
name (the name it was sent with stays in the database) and is served only by a view that
checks who asks.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from ..files import write_private

PDF_TRAILER_WINDOW = 2048  # "%%EOF" must close a PDF (a few bytes of padding allowed)


def looks_like_pdf(data: bytes) -> bool:
    """The header opens the file and the trailer closes it (a PNG renamed .pdf has neither)."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-PDF_TRAILER_WINDOW:]


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} Mo".replace(".", ",")
    return f"{size // 1024} Ko"


class PrivateFolder:
    """One folder of uploaded files under FILES_DIR/uploads; `what` names them in logs."""

    def __init__(self, name: str, what: str):
        self.name, self.what = name, what

    @property
    def path(self) -> Path:
        return Path(current_app.config["FILES_DIR"]) / "uploads" / self.name

    def path_of(self, stored_name: str) -> Path:
        # Names are ours (random hex), but never trust a stored path blindly.
        if not stored_name or Path(stored_name).name != stored_name or stored_name.startswith("."):
            raise ValueError(f"bad {self.what} file name {stored_name!r}")
        return self.path / stored_name

    def write(self, data: bytes, extension: str) -> str:
        """Write a new file readable by certif only; return its random name."""
        stored_name = f"{secrets.token_hex(16)}.{extension}"
        write_private(self.path / stored_name, data, exclusive=True)
        return stored_name

    def delete(self, stored_name: str | None) -> None:
        """Remove a file nothing references; a missing file is not an error."""
        if not stored_name:
            return
        try:
            self.path_of(stored_name).unlink(missing_ok=True)
        except (OSError, ValueError):
            current_app.logger.warning("%s file %s could not be deleted", self.what, stored_name)
