"""The pieces of the candidate's file a referential declares (`deliverables` of its YAML file).

Pure: reads the referential's data (the file, or `Referential.details`) and checks it. What
each piece is (PDF, text, link, video, yes/no), who must hand it in (pathways) and when
(a yes/no answer it depends on) is data: a certification that asks for no file declares none.
"""
from __future__ import annotations

from dataclasses import dataclass

KINDS = {"pdf": "Document PDF", "text": "Texte", "url": "Lien", "video": "Vidéo (lien)",
         "yesno": "Oui / non"}
DOSSIERS = {"technique": "Dossier technique", "professionnel": "Dossier professionnel"}
PATHWAYS = ("training", "partner", "vae")


@dataclass(frozen=True)
class Piece:
    key: str
    label: str
    dossier: str
    kind: str
    pathways: tuple[str, ...]
    when: str | None = None  # the yes/no piece that must be answered yes
    words: tuple[int, int] | None = None  # text: (min, max)
    max_minutes: int | None = None  # video
    confidentiality: bool = False  # yes/no: "yes" closes the file until each juror signs

    @property
    def dossier_label(self) -> str:
        return DOSSIERS[self.dossier]

    @property
    def is_file(self) -> bool:
        return self.kind == "pdf"


@dataclass(frozen=True)
class Deliverables:
    pieces: tuple[Piece, ...]
    due_days_before: int | None
    plan: tuple[str, ...]

    def piece(self, key: str) -> Piece | None:
        return next((p for p in self.pieces if p.key == key), None)


def deliverables_of(details: dict | None) -> Deliverables:
    """The declared pieces (none when the referential declares none)."""
    data = (details or {}).get("deliverables") or {}
    pieces = tuple(
        Piece(key=p["key"], label=p["label"], dossier=p["dossier"], kind=p["kind"],
              pathways=tuple(p.get("pathways") or PATHWAYS), when=p.get("when"),
              words=tuple(p["words"]) if p.get("words") else None,
              max_minutes=p.get("max_minutes"), confidentiality=bool(p.get("confidentiality")))
        for p in data.get("pieces") or [])
    return Deliverables(pieces=pieces, due_days_before=data.get("technical_dossier_due_days_before"),
                        plan=tuple(data.get("technical_dossier_plan") or ()))


def check(data: dict, fail) -> None:
    """Refuse a `deliverables.pieces` list that the candidate's file could not follow."""
    section = data.get("deliverables")
    if section is None:
        return
    if not isinstance(section, dict):
        fail("« deliverables » doit décrire un objet")
    pieces = section.get("pieces") or []
    if not isinstance(pieces, list):
        fail("« deliverables.pieces » doit être une liste")
    if pieces and not isinstance(section.get("technical_dossier_due_days_before"), int):
        fail("des pièces sans « deliverables.technical_dossier_due_days_before » (entier)")
    seen: dict[str, str] = {}
    for piece in pieces:
        if not isinstance(piece, dict) or not piece.get("key") or not piece.get("label"):
            fail("chaque pièce demande « key » et « label »")
        key = piece["key"]
        if key in seen:
            fail(f"pièce « {key} » en double")
        if piece.get("kind") not in KINDS:
            fail(f"pièce « {key} » : « kind » inconnu (attendu : {', '.join(KINDS)})")
        if piece.get("dossier") not in DOSSIERS:
            fail(f"pièce « {key} » : « dossier » inconnu (attendu : {', '.join(DOSSIERS)})")
        if any(p not in PATHWAYS for p in piece.get("pathways") or []):
            fail(f"pièce « {key} » : parcours inconnu (attendu : {', '.join(PATHWAYS)})")
        when = piece.get("when")
        if when is not None and seen.get(when) != "yesno":
            fail(f"pièce « {key} » : « when » doit nommer une pièce oui/non déclarée avant elle")
        words = piece.get("words")
        if piece["kind"] == "text" and not (isinstance(words, list) and len(words) == 2
                                            and all(isinstance(w, int) for w in words)
                                            and 0 < words[0] <= words[1]):
            fail(f"pièce « {key} » : « words » doit être [minimum, maximum]")
        if piece["kind"] == "video" and not (isinstance(piece.get("max_minutes"), int)
                                             and piece["max_minutes"] > 0):
            fail(f"pièce « {key} » : « max_minutes » doit être un entier positif")
        if piece.get("confidentiality") and piece["kind"] != "yesno":
            fail(f"pièce « {key} » : « confidentiality » ne vaut que pour une pièce oui/non")
        seen[key] = piece["kind"]
