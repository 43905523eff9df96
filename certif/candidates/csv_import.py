"""The candidates' CSV import: pure Python, no Flask, no database.

`parse` reads a whole file (UTF-8 with or without BOM, or Windows-1252 as Excel exports it
in France; `;` or `,`), checks every line with the field rules of `rules` and reports the
errors per line; the service then checks the rows against the database and writes all of
them or none. `read_table` is the reading itself, for another import with its own columns
(the livret's evaluations).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from .rules import CandidateData, clean_candidate, fold, identity_key
from .values import shorten

MAX_LINES = 2000
MAX_BYTES = 1024 * 1024

# Column headers (compared without case, accents, spaces or hyphens) and their field.
COLUMNS = {
    "nom": "last_name",
    "prenom": "first_name",
    "date_naissance": "birth_date",
    "date_de_naissance": "birth_date",
    "email": "email",
    "e_mail": "email",
    "courriel": "email",
    "telephone": "phone",
    "adresse": "address",
    "code_postal": "postal_code",
    "ville": "city",
    "fin_formation": "training_end_date",
    "date_fin_formation": "training_end_date",
    "parcours": "pathway",
    "organisme_partenaire": "partner_organisation",
    "amenagement": "accommodation",
    "minutes_supplementaires": "extra_minutes",
    # The holder's civil status (`holder`), all optional.
    "nom_naissance": "birth_name",
    "nom_de_naissance": "birth_name",
    "nom_usage": "usage_name",
    "nom_d'usage": "usage_name",
    "prenom_2": "first_name_2",
    "deuxieme_prenom": "first_name_2",
    "prenom_3": "first_name_3",
    "troisieme_prenom": "first_name_3",
    "sexe": "sex",
    "code_insee_naissance": "birth_insee_code",
    "code_commune_naissance": "birth_insee_code",
    "code_postal_naissance": "birth_postal_code",
    "commune_naissance": "birth_commune",
    "ville_naissance": "birth_commune",
    "code_pays_naissance": "birth_country_code",
    "pays_naissance": "birth_country_name",
    "modalite_acces": "access_mode",
}
REQUIRED_COLUMNS = {"last_name": "nom", "first_name": "prénom"}
TEMPLATE_HEADER = ("nom", "prénom", "date_naissance", "email", "téléphone", "adresse",
                   "code_postal", "ville", "fin_formation", "parcours", "organisme_partenaire", "aménagement",
                   "minutes_supplementaires", "nom_naissance", "nom_usage", "prénom_2", "prénom_3",
                   "sexe", "code_insee_naissance", "code_postal_naissance", "commune_naissance",
                   "code_pays_naissance", "pays_naissance", "modalité_accès")
DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class LineError:
    line: int | None  # None: the whole file
    message: str


@dataclass(frozen=True)
class ImportRow:
    line: int
    data: CandidateData  # or another import's checked line (see `read_table`)


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def messages(self) -> list[str]:
        return [e.message for e in self.errors]

    def fail(self, message: str, line: int | None = None) -> ImportResult:
        self.errors.append(LineError(line, message))
        return self


def header_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", fold(name.strip().strip("*").strip()))


def decode(data: bytes) -> str | None:
    """The text of an upload: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None  # a binary file (spreadsheet, PDF…), not text
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used most in the header line (names never contain one)."""
    return max(DELIMITERS, key=header_line.count)


@dataclass(frozen=True)
class Layout:
    """What a CSV import reads: its columns (header key → field), the required ones (field →
    header shown), the template header and the noun of a line, for the messages."""

    columns: dict[str, str]
    required: dict[str, str]
    template: tuple[str, ...]
    noun: str  # « candidat » → « aucune ligne de candidat », « lignes de candidats »
    max_lines: int = MAX_LINES


CANDIDATES = Layout(COLUMNS, REQUIRED_COLUMNS, TEMPLATE_HEADER, "candidat")


def parse(data: bytes, today: date | None = None) -> ImportResult:
    """Read and check a whole CSV file; rows only count if `result.ok`."""
    today = today or date.today()
    first_seen: dict[tuple, int] = {}
    email_seen: dict[str, int] = {}

    def check_line(line: int, raw: dict[str, str], ok: bool, result: ImportResult) -> None:
        data, errors = clean_candidate(raw, today)
        for error in errors.values():
            result.fail(error.for_line(line), line)
        if data is None or not ok:
            return
        if not _duplicate_in_file(data, line, first_seen, email_seen, result):
            result.rows.append(ImportRow(line, data))

    return read_table(data, CANDIDATES, check_line)


def read_table(data: bytes, layout: Layout, check_line) -> ImportResult:
    """Read a whole CSV file of `layout`: the file's own errors, then each non-blank line's
    cells by field given to `check_line(line, raw, ok, result)`, which adds the line's errors
    and row to `result` (`ok`: False when the cells themselves were wrong)."""
    result = ImportResult()
    if not data or not data.strip():
        return result.fail("Le fichier est vide.")
    if len(data) > MAX_BYTES:
        return result.fail(f"Le fichier est trop volumineux ({MAX_BYTES // 1024} Ko au plus) : "
                           "découpez-le en plusieurs fichiers.")
    text = decode(data)
    if text is None:
        return result.fail("Ce fichier n'est pas un fichier CSV lisible : enregistrez-le depuis "
                           "votre tableur au format « CSV (séparateur : point-virgule) ».")
    text = text.lstrip("\ufeff")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        records = _records(reader)
        header_line, header = next(((n, r) for n, r in records if any(c.strip() for c in r)),
                                   (None, None))
        if header is None:
            return result.fail("Le fichier est vide.")
        columns = _columns(header, header_line, result, layout)
        if result.errors:
            return result
        _read_rows(records, columns, layout, check_line, result)
    except csv.Error as error:
        return result.fail(f"Ce fichier n'est pas un fichier CSV lisible (ligne "
                           f"{reader.line_num} : {error}).")
    if not result.rows and not result.errors:
        result.fail(f"Le fichier ne contient aucune ligne de {layout.noun} sous la ligne "
                    "d'en-tête.")
    return result


def _records(reader):
    """(line number where the record starts, cells), counting lines from 1 as an editor does."""
    line = 1
    for record in reader:
        yield line, record
        line = reader.line_num + 1


def _columns(header: list[str], line: int, result: ImportResult,
             layout: Layout) -> list[str | None]:
    """The field of each column (None: an empty header, ignored); errors go to `result`."""
    columns, seen = [], set()
    for cell in header:
        if not cell.strip():
            columns.append(None)
            continue
        name = layout.columns.get(header_key(cell))
        if name is None:
            result.fail(f"Ligne {line} : colonne inconnue « {shorten(cell.strip())} ». Colonnes "
                        f"possibles : {', '.join(layout.template)}.", line)
        elif name in seen:
            result.fail(f"Ligne {line} : colonne « {cell.strip()} » en double.", line)
        seen.add(name)
        columns.append(name)
    for name, label in layout.required.items():
        if name not in seen:
            result.fail(f"Ligne {line} : colonne obligatoire « {label} » absente de l'en-tête.",
                        line)
    return columns


def _read_rows(records, columns: list[str | None], layout: Layout, check_line,
               result: ImportResult) -> None:
    count = 0
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue  # a blank line (spreadsheets leave some at the end)
        count += 1
        if count > layout.max_lines:
            result.rows.clear()
            result.errors.clear()
            result.fail(f"Le fichier contient plus de {layout.max_lines} lignes de "
                        f"{layout.noun}s : découpez-le en plusieurs fichiers.")
            return
        raw, ok = _cells_to_fields(cells, columns, line, result)
        check_line(line, raw, ok, result)


def _cells_to_fields(cells: list[str], columns: list[str | None], line: int,
                     result: ImportResult) -> tuple[dict[str, str], bool]:
    raw, ok = {}, True
    extra = [c for c in cells[len(columns):] if c.strip()]
    if extra:
        result.fail(f"Ligne {line} : {len(cells)} valeurs pour {len(columns)} colonnes "
                    "(un séparateur en trop dans une valeur ? mettez-la entre guillemets)", line)
        ok = False
    # Not strict: a short row leaves its last columns out, extra cells were reported above.
    for name, cell in zip(columns, cells, strict=False):
        if name is not None:
            raw[name] = cell
        elif cell.strip():
            result.fail(f"Ligne {line} : valeur dans une colonne sans en-tête "
                        f"(« {shorten(cell.strip())} »)", line)
            ok = False
    return raw, ok


def _duplicate_in_file(data: CandidateData, line: int, first_seen: dict, email_seen: dict,
                       result: ImportResult) -> bool:
    key = identity_key(data.first_name, data.last_name, data.birth_date)
    if key in first_seen:
        result.fail(f"Ligne {line} : même candidat que la ligne {first_seen[key]} (même nom, "
                    f"prénom et date de naissance : {data.first_name} {data.last_name})", line)
        return True
    if data.email and data.email in email_seen:
        result.fail(f"Ligne {line} : adresse e-mail déjà utilisée à la ligne "
                    f"{email_seen[data.email]} (« {data.email} »)", line)
        return True
    first_seen[key] = line
    if data.email:
        email_seen[data.email] = line
    return False
