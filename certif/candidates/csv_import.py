"""Candidates' data rules and the CSV import: pure Python, no Flask, no database.

The field rules below are the only ones: the candidate form and the CSV import
both call `clean_candidate`, so a value accepted in one is accepted in the other.
`parse` reads a whole file (UTF-8 with or without BOM, or Windows-1252 as Excel
exports it in France; `;` or `,`), checks every line and reports the errors per
line; the service then checks the rows against the database and writes all of
them or none.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date

from ..text import clean_text

MAX_NAME = 100
MAX_EMAIL = 254
MAX_PHONE = 40
MAX_ADDRESS = 300
MAX_CITY = 100
MAX_ACCOMMODATION = 2000
MAX_EXTRA_MINUTES = 240
MAX_LINES = 2000
MAX_BYTES = 1024 * 1024
OLDEST_YEAR = 1900

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
POSTAL_CODE_RE = re.compile(r"^\d{5}$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
FRENCH_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
PATHWAY_WORDS = {"formation": "training", "training": "training", "vae": "vae"}
MSG_EXTRA_NEEDS_ACCOMMODATION = ("des minutes supplémentaires exigent l'aménagement décidé avec "
                                 "le référent handicap")


class InvalidValue(ValueError):
    """A value that breaks a rule: `message` is a lower-case phrase, `value` what was given."""

    def __init__(self, message: str, value: str = ""):
        super().__init__(message)
        self.message = message
        self.value = value

    @property
    def sentence(self) -> str:
        """For a form: « Adresse e-mail invalide. »"""
        return self.message[:1].upper() + self.message[1:] + "."

    def for_line(self, line: int) -> str:
        """For an import: « Ligne 4 : adresse e-mail invalide (« jean@ ») »"""
        shown = f" (« {_shorten(self.value)} »)" if self.value else ""
        return f"Ligne {line} : {self.message}{shown}"


@dataclass(frozen=True)
class CandidateData:
    """A candidate's fields, checked and normalised, ready to be stored."""

    first_name: str
    last_name: str
    birth_date: date | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    training_end_date: date | None = None
    pathway: str = "training"
    accommodation: str | None = None
    extra_minutes: int = 0

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


FIELD_NAMES = tuple(f.name for f in fields(CandidateData))


# --- Field rules (shared by the form and the import) -------------------------------------

def _text(raw) -> str:
    return "" if raw is None else clean_text(str(raw), breaks="keep")


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


def clean_name(raw, what: str) -> str:
    value = " ".join(_text(raw).split())
    if not value:
        raise InvalidValue(f"{what} obligatoire")
    if len(value) > MAX_NAME:
        raise InvalidValue(f"{what} trop long ({MAX_NAME} caractères au plus)", value)
    return value


def clean_optional_text(raw, what: str, limit: int) -> str | None:
    value = _text(raw)
    if len(value) > limit:
        raise InvalidValue(f"{what} trop long ({limit} caractères au plus)", value)
    return value or None


def clean_email(raw) -> str | None:
    value = _text(raw).lower()
    if not value:
        return None
    if len(value) > MAX_EMAIL or not EMAIL_RE.match(value):
        raise InvalidValue("adresse e-mail invalide", _text(raw))
    return value


def clean_postal_code(raw) -> str | None:
    value = _text(raw).replace(" ", "")
    if not value:
        return None
    if not POSTAL_CODE_RE.match(value):
        raise InvalidValue("code postal invalide : 5 chiffres attendus", _text(raw))
    return value


def parse_date(raw, what: str) -> date | None:
    """A date as jj/mm/aaaa (also with - or .) or aaaa-mm-jj; None when empty."""
    value = _text(raw)
    if not value:
        return None
    iso, french = ISO_DATE_RE.match(value), FRENCH_DATE_RE.match(value)
    try:
        if iso:
            day = date(int(iso[1]), int(iso[2]), int(iso[3]))
        elif french:
            day = date(int(french[3]), int(french[2]), int(french[1]))
        else:
            raise ValueError
    except ValueError:
        raise InvalidValue(f"{what} invalide : date au format jj/mm/aaaa attendue", value) from None
    if day.year < OLDEST_YEAR:
        raise InvalidValue(f"{what} invalide : date trop ancienne", value)
    return day


def clean_birth_date(raw, today: date) -> date | None:
    day = parse_date(raw, "date de naissance")
    if day is not None and day >= today:
        raise InvalidValue("date de naissance invalide : elle doit être passée", _text(raw))
    return day


def clean_training_end_date(raw) -> date | None:
    day = parse_date(raw, "date de fin de formation")
    if day is not None and day.year > 2100:
        raise InvalidValue("date de fin de formation invalide", _text(raw))
    return day


def clean_pathway(raw) -> str:
    value = _text(raw)
    if not value:
        return "training"
    pathway = PATHWAY_WORDS.get(fold(value))
    if pathway is None:
        raise InvalidValue("parcours inconnu : « formation » ou « vae » attendu", value)
    return pathway


def clean_extra_minutes(raw) -> int:
    value = _text(raw)
    if not value:
        return 0
    if not re.fullmatch(r"\d{1,4}", value) or int(value) > MAX_EXTRA_MINUTES:
        raise InvalidValue(f"minutes supplémentaires invalides : un nombre entier de 0 à "
                         f"{MAX_EXTRA_MINUTES} attendu", value)
    return int(value)


def clean_candidate(raw: Mapping[str, object], today: date) -> tuple[CandidateData | None,
                                                                      dict[str, InvalidValue]]:
    """Every field of a candidate checked: the data, or the errors by field name."""
    rules = {
        "first_name": lambda v: clean_name(v, "prénom"),
        "last_name": lambda v: clean_name(v, "nom"),
        "birth_date": lambda v: clean_birth_date(v, today),
        "email": clean_email,
        "phone": lambda v: clean_optional_text(v, "téléphone", MAX_PHONE),
        "address": lambda v: clean_optional_text(v, "adresse", MAX_ADDRESS),
        "postal_code": clean_postal_code,
        "city": lambda v: clean_optional_text(v, "ville", MAX_CITY),
        "training_end_date": clean_training_end_date,
        "pathway": clean_pathway,
        "accommodation": lambda v: clean_optional_text(v, "aménagement", MAX_ACCOMMODATION),
        "extra_minutes": clean_extra_minutes,
    }
    values, errors = {}, {}
    for name, rule in rules.items():
        try:
            values[name] = rule(raw.get(name))
        except InvalidValue as error:
            errors[name] = error
    if values.get("extra_minutes") and not values.get("accommodation") \
            and "accommodation" not in errors:
        errors["accommodation"] = InvalidValue(MSG_EXTRA_NEEDS_ACCOMMODATION)
    if errors:
        return None, errors
    return CandidateData(**values), {}


# --- Identity, for duplicates -------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case without accents and with single spaces: « Éloïse  Dupré » → « eloise dupre »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("-", " ").split())


def identity_key(first_name: str, last_name: str, birth_date: date | None) -> tuple:
    """Two candidates with the same key are the same person (birth date missing on both counts)."""
    return fold(first_name), fold(last_name), birth_date


# --- The CSV file ---------------------------------------------------------------------------

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
    "amenagement": "accommodation",
    "minutes_supplementaires": "extra_minutes",
}
REQUIRED_COLUMNS = {"last_name": "nom", "first_name": "prénom"}
TEMPLATE_HEADER = ("nom", "prénom", "date_naissance", "email", "téléphone", "adresse",
                   "code_postal", "ville", "fin_formation", "parcours", "aménagement",
                   "minutes_supplementaires")
DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class LineError:
    line: int | None  # None: the whole file
    message: str


@dataclass(frozen=True)
class ImportRow:
    line: int
    data: CandidateData


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


def parse(data: bytes, today: date | None = None) -> ImportResult:
    """Read and check a whole CSV file; rows only count if `result.ok`."""
    today = today or date.today()
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
        columns = _columns(header, header_line, result)
        if result.errors:
            return result
        _read_rows(records, columns, today, result)
    except csv.Error as error:
        return result.fail(f"Ce fichier n'est pas un fichier CSV lisible (ligne "
                           f"{reader.line_num} : {error}).")
    if not result.rows and not result.errors:
        result.fail("Le fichier ne contient aucune ligne de candidat sous la ligne d'en-tête.")
    return result


def _records(reader):
    """(line number where the record starts, cells), counting lines from 1 as an editor does."""
    line = 1
    for record in reader:
        yield line, record
        line = reader.line_num + 1


def _columns(header: list[str], line: int, result: ImportResult) -> list[str | None]:
    """The field of each column (None: an empty header, ignored); errors go to `result`."""
    columns, seen = [], set()
    for cell in header:
        if not cell.strip():
            columns.append(None)
            continue
        name = COLUMNS.get(header_key(cell))
        if name is None:
            result.fail(f"Ligne {line} : colonne inconnue « {_shorten(cell.strip())} ». Colonnes "
                        f"possibles : {', '.join(TEMPLATE_HEADER)}.", line)
        elif name in seen:
            result.fail(f"Ligne {line} : colonne « {cell.strip()} » en double.", line)
        seen.add(name)
        columns.append(name)
    for name, label in REQUIRED_COLUMNS.items():
        if name not in seen:
            result.fail(f"Ligne {line} : colonne obligatoire « {label} » absente de l'en-tête.",
                        line)
    return columns


def _read_rows(records, columns: list[str | None], today: date, result: ImportResult) -> None:
    first_seen: dict[tuple, int] = {}
    email_seen: dict[str, int] = {}
    count = 0
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue  # a blank line (spreadsheets leave some at the end)
        count += 1
        if count > MAX_LINES:
            result.rows.clear()
            result.errors.clear()
            result.fail(f"Le fichier contient plus de {MAX_LINES} lignes de candidats : "
                        "découpez-le en plusieurs fichiers.")
            return
        raw, ok = _cells_to_fields(cells, columns, line, result)
        data, errors = clean_candidate(raw, today)
        for error in errors.values():
            result.fail(error.for_line(line), line)
        if data is None or not ok:
            continue
        if _duplicate_in_file(data, line, first_seen, email_seen, result):
            continue
        result.rows.append(ImportRow(line, data))


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
                        f"(« {_shorten(cell.strip())} »)", line)
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
