"""The XML file of the Caisse des Dépôts' schema (cpf-accrochage 1.1.2, a `flux`), built from
plain lines, and its validation against that schema (xmlschema). No Flask, no database.

One `certification` per (type, code), one `passageCertification` per line. Optional elements
certif cannot fill are left out; required nillable ones it cannot fill are written nil.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import xmlschema

NS = "urn:cdc:cpf:pc5:schema:1.0.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_FILE = Path(__file__).with_name("cpf-accrochage-1.1.2.xsd")
# The line's keys, as certif.cdc.queries.line_of gives them (the holder's from the candidate).
LINE_KEYS = ("technical_id", "cert_type", "cert_code", "exam_day", "remote", "award_day",
             "valid_until", "access_mode", "birth_name", "usage_name", "first_name",
             "first_name_2", "first_name_3", "birth_date", "sex", "birth_code", "birth_commune",
             "birth_country_code", "birth_country_name")

ET.register_namespace("cpf", NS)
ET.register_namespace("xsi", XSI)


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _add(parent: ET.Element, name: str, value=None, *, nil: bool = False) -> ET.Element:
    element = ET.SubElement(parent, _q(name))
    if value is None and nil:
        element.set(f"{{{XSI}}}nil", "true")
    elif value is not None:
        element.text = "true" if value is True else "false" if value is False else str(value)
    return element


def _optional(parent: ET.Element, name: str, value) -> None:
    if value not in (None, ""):
        _add(parent, name, value)


def stamp_text(moment: datetime) -> str:
    """`2026-12-03T19:00:00+01:00`: an aware moment to the second (the schema wants an offset)."""
    return moment.isoformat(timespec="seconds")


def build(lines: list[dict], *, id_client: str, id_contrat: str, flux_id: str,
          moment: datetime) -> bytes:
    """The flux as UTF-8 bytes, with its XML declaration."""
    root = ET.Element(_q("flux"))
    _add(root, "idFlux", flux_id)
    _add(root, "horodatage", stamp_text(moment))
    emitter = _add(root, "emetteur")
    _add(emitter, "idClient", id_client)
    certifier = _add(_add(emitter, "certificateurs"), "certificateur")
    _add(certifier, "idClient", id_client)
    _add(certifier, "idContrat", id_contrat)
    certifications = _add(certifier, "certifications")
    key = lambda line: (line["cert_type"], line["cert_code"])  # noqa: E731
    for (kind, code), group in groupby(sorted(lines, key=key), key=key):
        certification = _add(certifications, "certification")
        _add(certification, "type", kind)
        _add(certification, "code", code)
        _add(certification, "natureDeposant", "CERTIFICATEUR")
        passages = _add(certification, "passageCertifications")
        for line in group:
            _passage(_add(passages, "passageCertification"), line)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def _passage(passage: ET.Element, line: dict) -> None:
    _add(passage, "idTechnique", line["technical_id"])
    _add(passage, "obtentionCertification", "PAR_ADMISSION")
    _add(passage, "donneeCertifiee", True)
    _add(passage, "dateDebutExamen", line["exam_day"].isoformat())
    _add(passage, "dateFinExamen", line["exam_day"].isoformat())
    _add(passage, "modalitePassageExamen", "A_DISTANCE" if line["remote"] else "EN_PRESENTIEL")
    _add(passage, "dateDebutValidite", line["award_day"].isoformat())
    until = line["valid_until"]
    _add(passage, "dateFinValidite", until.isoformat() if until else None, nil=True)
    _add(passage, "presenceNiveauLangueEuro", False)
    _add(passage, "presenceNiveauNumeriqueEuro", False)
    _add(passage, "scoring", None, nil=True)
    _add(passage, "mentionValidee", None, nil=True)
    _add(_add(passage, "modalitesInscription"), "modaliteAcces", line["access_mode"] or None,
         nil=True)
    _holder(_add(_add(passage, "identificationTitulaire"), "titulaire"), line)


def _holder(holder: ET.Element, line: dict) -> None:
    _add(holder, "nomNaissance", line["birth_name"])
    _add(holder, "nomUsage", line["usage_name"] or None, nil=True)
    _add(holder, "prenom1", line["first_name"])
    _optional(holder, "prenom2", line["first_name_2"])
    _optional(holder, "prenom3", line["first_name_3"])
    born = line["birth_date"]
    _add(holder, "anneeNaissance", born.year)
    _add(holder, "moisNaissance", born.month, nil=True)
    _add(holder, "jourNaissance", born.day, nil=True)
    _add(holder, "sexe", line["sex"])
    place = _add(holder, "codeCommuneNaissance")
    kind, code = line["birth_code"]  # ("insee", "69123" or "99134" abroad) or ("postal", …)
    if kind == "insee":
        _add(_add(place, "codeInseeNaissance"), "codeInsee", code)
    else:
        _add(_add(place, "codePostalNaissance"), "codePostal", code)
    _optional(holder, "libelleCommuneNaissance", line["birth_commune"])
    _optional(holder, "codePaysNaissance", line["birth_country_code"])
    _optional(holder, "libellePaysNaissance", line["birth_country_name"])


@lru_cache(maxsize=1)
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_FILE))


def schema_errors(document: bytes, limit: int = 5) -> list[str]:
    """The first reasons the document breaks the CDC's schema (empty: valid)."""
    errors = []
    for error in schema().iter_errors(document.decode("utf-8")):
        errors.append(f"{error.path or ''} : {error.reason}".strip(" :"))
        if len(errors) >= limit:
            break
    return errors
