"""The organisation's seal: PAdES approval signatures on certif's PDFs (pyHanko), and their check.

The seal certificate comes from the configuration (SEAL_CERT_FILE + SEAL_KEY_FILE, PEM, or
SEAL_PKCS12_FILE, each with an optional passphrase); when none is configured, a self-signed
one (EC P-256, 10 years) is generated on first use and kept under FILES_DIR/seal/.

pyHanko, its certificate validator, cryptography and asn1crypto are imported inside the
functions that use them: together they weigh ~25 MB per worker and ~1 s at import, while
most requests never seal nor check a PDF (worker RSS is measured by `make bench`). The
layer test (tests/test_layers.py) allows these imports and no other inside a function.

The module stays past 400 lines on purpose: sealing and checking share the key material and
the lazily imported pyHanko stack, and the check's guards mirror exactly what the sealing wrote.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from ..files import open_private, write_private

FIELD_NAME = "CachetCertif"
CERT_NAME, KEY_NAME = "seal-cert.pem", "seal-key.pem"
VALIDITY_DAYS = 3652

MSG_INTACT = "Document intact : le cachet est valide et rien n'a été modifié depuis le scellement."
MSG_NOT_PDF = "Le fichier n'est pas un PDF lisible."
MSG_NO_SEAL = "Aucun cachet : ce PDF n'est pas signé."
MSG_ALTERED = "Le document a été modifié après son scellement."
MSG_BROKEN = "Le cachet est invalide : le document a été altéré."
MSG_OTHER_SIGNER = "Cachet d'un autre signataire : ce document n'a pas été scellé par l'organisme."
MSG_UNREADABLE_SEAL = "Le cachet de ce document est illisible."


class SealConfigError(RuntimeError):
    """The configured seal certificate or key cannot be loaded (an operator's mistake)."""


@dataclass(frozen=True)
class Verdict:
    intact: bool
    message: str  # French, for the user
    signer: str | None = None
    signed_at: dt.datetime | None = None  # naive UTC, like every stored time


# ---------------------------------------------------------------- the seal's key material

def _config(app) -> dict:
    cfg = app.config
    return {
        "cert": cfg.get("SEAL_CERT_FILE") or None,
        "key": cfg.get("SEAL_KEY_FILE") or None,
        "pkcs12": cfg.get("SEAL_PKCS12_FILE") or None,
        "key_pass": cfg.get("SEAL_KEY_PASSPHRASE") or None,
        "pkcs12_pass": cfg.get("SEAL_PKCS12_PASSPHRASE") or cfg.get("SEAL_KEY_PASSPHRASE") or None,
    }


def _generated_dir(app) -> Path:
    return Path(app.config["FILES_DIR"]) / "seal"


def _is_configured(conf: dict) -> bool:
    return bool(conf["pkcs12"] or (conf["cert"] and conf["key"]))


_generate_lock = threading.Lock()


def ensure_seal(app) -> None:
    """Make sure a seal exists: generate the self-signed one when nothing is configured."""
    conf = _config(app)
    if _is_configured(conf):
        return
    folder = _generated_dir(app)
    if (folder / CERT_NAME).exists() and (folder / KEY_NAME).exists():
        return
    with _generate_lock:
        # Several workers may start together: one generates, the others wait and reuse it.
        with open_private(folder / ".lock") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not ((folder / CERT_NAME).exists() and (folder / KEY_NAME).exists()):
                _generate_self_signed(folder, app.config.get("ORGANISATION_NAME") or "certif")


def _generate_self_signed(folder: Path, organisation: str) -> None:
    # heavy: loaded only when a seal is generated (see the module's docstring)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} — cachet des documents certif"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
    ])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    # Key first, then the certificate that says a seal exists (each written then renamed).
    write_private(folder / KEY_NAME, key_pem)
    write_private(folder / CERT_NAME, cert.public_bytes(serialization.Encoding.PEM))


def _source_files(app) -> tuple[str, tuple[Path, ...], dict]:
    conf = _config(app)
    if conf["pkcs12"]:
        return "pkcs12", (Path(conf["pkcs12"]),), conf
    if conf["cert"] and conf["key"]:
        return "pem", (Path(conf["cert"]), Path(conf["key"])), conf
    ensure_seal(app)
    folder = _generated_dir(app)
    return "pem", (folder / CERT_NAME, folder / KEY_NAME), {**conf, "key_pass": None}


_signers: dict[tuple, object] = {}
_signers_lock = threading.Lock()


def _signer(app=None):
    """The loaded pyHanko signer, cached per process on the files' paths and mtimes."""
    app = app or current_app._get_current_object()
    kind, paths, conf = _source_files(app)
    try:
        cache_key = (kind,) + tuple((str(p.resolve()), p.stat().st_mtime_ns) for p in paths)
    except OSError as exc:
        raise SealConfigError(f"Fichier du cachet introuvable : {exc.filename}") from exc
    with _signers_lock:
        signer = _signers.get(cache_key)
        if signer is None:
            signer = _load_signer(kind, paths, conf)
            _signers.clear()  # only the current seal is worth keeping
            _signers[cache_key] = signer
    return signer


def _passphrase(value) -> bytes | None:
    if value is None:
        return None
    return value if isinstance(value, bytes) else str(value).encode()


def _load_signer(kind: str, paths: tuple[Path, ...], conf: dict):
    from pyhanko.sign import signers  # heavy: loaded only when a PDF is sealed or checked

    try:
        if kind == "pkcs12":
            signer = signers.SimpleSigner.load_pkcs12_data(
                paths[0].read_bytes(), other_certs=[], passphrase=_passphrase(conf["pkcs12_pass"]))
        else:
            signer = signers.SimpleSigner.load(
                key_file=str(paths[1]), cert_file=str(paths[0]),
                key_passphrase=_passphrase(conf["key_pass"]))
    except (OSError, ValueError, TypeError) as exc:
        raise SealConfigError("Le certificat du cachet n'a pas pu être chargé.") from exc
    if signer is None:  # SimpleSigner.load logs and returns None on failure
        raise SealConfigError("Le certificat du cachet n'a pas pu être chargé.")
    return signer


def seal_certificate(app=None):
    """The organisation's current seal certificate (asn1crypto), the one verify_pdf accepts."""
    return _signer(app).signing_cert


def seal_pdf(data: bytes, *, reason: str) -> bytes:
    """`data` with an approval signature (field CachetCertif, SHA-256, PAdES) by the seal."""
    # heavy: loaded only when a PDF is sealed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer()
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", reason=reason,
        name=current_app.config.get("ORGANISATION_NAME"),
        subfilter=fields.SigSeedSubFilter.PADES)
    out = _outside_event_loop(signers.sign_pdf, writer, meta, signer=signer)
    return out.getvalue()


# ---------------------------------------------------------------- verification

def verify_pdf(data: bytes) -> Verdict:
    """Is `data` a PDF sealed by the organisation and unchanged since? Never raises."""
    try:
        return _verify(data)
    except Exception:  # whatever pyHanko trips on, the answer is "not intact"
        current_app.logger.info("verify_pdf: unreadable", exc_info=True)
        return Verdict(False, MSG_UNREADABLE_SEAL)


def _verify(data: bytes) -> Verdict:
    from pyhanko.pdf_utils.reader import PdfFileReader  # heavy: loaded only when a PDF is checked

    if not data.lstrip()[:5] == b"%PDF-":
        return Verdict(False, MSG_NOT_PDF)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except Exception:
        return Verdict(False, MSG_NOT_PDF)
    try:
        signatures = reader.embedded_signatures
    except Exception:  # a signature dictionary or its CMS blob does not parse
        return Verdict(False, MSG_BROKEN)
    if not signatures:
        return Verdict(False, MSG_NO_SEAL)
    last = signatures[-1]
    signer, signed_at = _signer_name(last), _signed_at(last)
    for sig in signatures:
        try:
            valid = _cryptographically_valid(sig)
        except Exception:
            valid = False
        if not valid:
            return Verdict(False, MSG_BROKEN, signer, signed_at)
    if last.signer_cert.dump() != seal_certificate().dump():
        return Verdict(False, MSG_OTHER_SIGNER, signer, signed_at)
    try:
        covered = _covers_exactly(last, data)
    except Exception:  # a /ByteRange or CMS blob that does not even parse
        covered = False
    if not covered:
        return Verdict(False, MSG_ALTERED, signer, signed_at)
    return Verdict(True, MSG_INTACT, signer, signed_at)


def _cryptographically_valid(sig) -> bool:
    """The digest matches the signed bytes and the signature matches the certificate's key."""
    # heavy: loaded only when a PDF is checked
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    # Trust is judged separately (the certificate must be the seal's); no network here.
    context = ValidationContext(trust_roots=[sig.signer_cert], allow_fetching=False)
    status = _outside_event_loop(validate_pdf_signature, sig, context, skip_diff=True)
    return bool(status.intact and status.valid)


def _outside_event_loop(function, *args, **kwargs):
    """Call one of pyHanko's sync functions, which run their own event loop (asyncio.run):
    from a worker thread when this thread already runs a loop (an async caller, or
    Playwright's sync API in the same test process), directly otherwise."""
    if not _event_loop_running():
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def _event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _covers_exactly(sig, data: bytes) -> bool:
    """The byte range runs from the first byte to the last, with only the signature between.

    pyHanko tolerates a few things (trailing bytes after %%EOF, padding in /Contents it
    does not read, lower-case hex): here every byte of `data` is either signed or is the
    exact hex encoding of the signature, zero-padded as written at sealing time.
    """
    byte_range = [int(x) for x in sig.sig_object["/ByteRange"]]
    if len(byte_range) != 4:
        return False
    start1, len1, start2, len2 = byte_range
    if start1 != 0 or start2 + len2 != len(data) or start2 < start1 + len1:
        return False
    gap = data[start1 + len1:start2]
    contents = sig.pkcs7_content
    if not (gap.startswith(b"<") and gap.endswith(b">")):
        return False
    # /Contents as read includes the zero padding: keep only the DER object itself.
    from asn1crypto import parser  # pyHanko's ASN.1 library: loaded with it, when a PDF is checked
    _class, _method, _tag, header, body, _trailer = parser.parse(contents)
    der = contents[:len(header) + len(body)]
    hex_part = gap[1:-1]
    expected = der.hex().upper().encode()  # pyHanko writes upper-case hex
    if hex_part != expected + b"0" * (len(hex_part) - len(expected)):
        return False
    return _is_canonical_cms(der, _seal_certificates())


def _is_canonical_cms(der: bytes, expected_certificates: set[bytes]) -> bool:
    """The CMS blob is exactly what pyHanko writes, byte for byte.

    Parts of a CMS SignedData are not signed (the digest algorithm list, the certificate
    set, tags and lengths around the signer info): asn1crypto reads some altered bytes
    there without complaint. Rebuilding the structure from what was read, keeping only
    the parts the signature protects (signed attributes, signature value, certificate),
    and comparing with the original closes that gap.
    """
    from asn1crypto import cms  # pyHanko's ASN.1 library: loaded with it, when a PDF is checked

    info = cms.ContentInfo.load(der)
    if info["content_type"].native != "signed_data":
        return False
    signed = info["content"]
    if len(signed["signer_infos"]) != 1:
        return False
    signer = signed["signer_infos"][0]
    # Values pyHanko ignores but always writes the same way: one changed byte there would
    # otherwise go unnoticed (a version number, the list of digest algorithms...).
    digest = signer["digest_algorithm"]["algorithm"].native
    if (signed["version"].native != "v1" or signer["version"].native != "v1"
            or signer["sid"].name != "issuer_and_serial_number"
            or digest != "sha256"
            or [a["algorithm"].native for a in signed["digest_algorithms"]] != [digest]
            or signed["encap_content_info"].native != {"content_type": "data", "content": None}
            or signer["unsigned_attrs"].native is not None):
        return False
    embedded = {c.chosen.dump() for c in signed["certificates"]}
    if not embedded or not embedded <= expected_certificates:
        return False
    certificates = [cms.CertificateChoices(name="certificate",
                                           value=cms.Certificate.load(c.chosen.dump()))
                    for c in signed["certificates"]]
    signer_dict = {
        "version": signer["version"].native,
        "sid": cms.SignerIdentifier(name="issuer_and_serial_number", value={
            "issuer": cms.IssuerAndSerialNumber.load(signer["sid"].chosen.dump())["issuer"],
            "serial_number": signer["sid"].chosen["serial_number"].native,
        }),
        "digest_algorithm": _rebuilt_algorithm(signer["digest_algorithm"]),
        "signed_attrs": cms.CMSAttributes.load(signer["signed_attrs"].untag().dump()),
        "signature_algorithm": signer["signature_algorithm"].native,
        "signature": signer["signature"].native,
    }
    rebuilt = cms.ContentInfo({
        "content_type": "signed_data",
        "content": cms.SignedData({
            "version": signed["version"].native,
            "digest_algorithms": [_rebuilt_algorithm(a) for a in signed["digest_algorithms"]],
            "encap_content_info": signed["encap_content_info"].native,
            "certificates": certificates,
            "signer_infos": [cms.SignerInfo(signer_dict)],
        }),
    })
    return rebuilt.dump() == der


def _rebuilt_algorithm(algorithm) -> dict:
    """An algorithm identifier from its OID, with NULL parameters or none, as written."""
    from asn1crypto import core  # pyHanko's ASN.1 library: loaded with it, when a PDF is checked

    rebuilt = {"algorithm": algorithm["algorithm"].native}
    parameters = algorithm["parameters"].dump()
    if parameters == b"\x05\x00":
        rebuilt["parameters"] = core.Null()
    elif parameters:
        raise ValueError("unexpected algorithm parameters")
    return rebuilt


def _seal_certificates() -> set[bytes]:
    """DER of every certificate a seal of ours embeds: the seal's and its configured chain."""
    signer = _signer()
    certificates = {signer.signing_cert.dump()}
    registry = getattr(signer, "cert_registry", None)
    if registry is not None:
        certificates |= {c.dump() for c in registry}
    return certificates


def _signer_name(sig) -> str | None:
    try:
        subject = sig.signer_cert.subject.native
        return subject.get("common_name") or sig.signer_cert.subject.human_friendly
    except Exception:
        return None


def _signed_at(sig) -> dt.datetime | None:
    try:
        when = sig.self_reported_timestamp
    except Exception:
        return None
    if when is None:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when
