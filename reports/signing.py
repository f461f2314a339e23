"""The approved report's proof: a QR code and short URL to the public verification page, and, when the
institution has a PKCS#12 certificate configured, a PAdES signature made with pyHanko."""

import functools
import os
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

SHORT_HASH = 12
SIGNATURE_FIELD = "FirmaMaximaAutoridad"
PX_TO_PT = 0.75
REPORT_REASON = "Aprobación del reporte cuatrimestral"


def verification_url(snapshot):
    """The short public URL whose page says whether this hash is an approved report, and which."""
    return settings.SIPLAN_BASE_URL + reverse("approvals:verify_short", args=[snapshot.sha256[:SHORT_HASH]])


def verification_qr_svg(snapshot):
    """The verification URL as a QR code in SVG, for the PDF."""
    output = BytesIO()
    segno.make(verification_url(snapshot), error="m").save(output, kind="svg", scale=3, border=1)
    return output.getvalue().decode()


def certificate_for(code):
    """(path to the institution's .p12, passphrase) or None when it has no certificate configured."""
    folder = settings.SIPLAN_SIGNING_CERTIFICATES_DIR
    path = Path(folder) / f"{code}.p12" if folder else None
    if path is None or not path.is_file():
        return None
    return path, os.environ.get(f"SIPLAN_SIGNING_PASSPHRASE_{code}", "").encode() or None


@functools.lru_cache(maxsize=16)
def loaded_signer(path, modified, passphrase):
    """The signer of the .p12 at `path` as it was at `modified` (its mtime in ns: a replaced file is read again).
    Opening a PKCS#12 costs ~40 ms of CPU (its key derivation), and an approval signs three PDFs with it."""
    return signers.SimpleSigner.load_pkcs12(pfx_file=path, passphrase=passphrase)


def sign_pdf(content, certificate, anchor, reason=REPORT_REASON):
    """Sign `content` with `certificate` (certificate_for's answer), the visible box at `anchor` (page index,
    box in points from the bottom left), for `reason` (printed in the signature's metadata)."""
    path, passphrase = certificate
    signer = loaded_signer(str(path), Path(path).stat().st_mtime_ns, passphrase)
    page, box = anchor
    spec = fields.SigFieldSpec(SIGNATURE_FIELD, on_page=page, box=tuple(round(value) for value in box))
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
    )
    output = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(content)), metadata, signer=signer, new_field_spec=spec)
    return output.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What pyHanko says of one embedded signature: the signed bytes unchanged (intact), the signature
    mathematically valid, covering the whole file (nothing appended after it), and who signed."""

    intact: bool
    valid: bool
    covers_whole_file: bool
    signer: str

    @property
    def holds(self):
        return self.intact and self.valid and self.covers_whole_file


def signer_name(certificate):
    """The certificate's common name ("Lic. Alfredo Danilo Rivera"), or its whole subject without one."""
    return certificate.subject.native.get("common_name") or certificate.subject.human_friendly


def check_signatures(content):
    """[SignatureCheck] of every signature embedded in a PDF, oldest first; [] when it has none.

    Trust in the signer's certificate chain is not judged here (no network fetch): whether the file is the
    one approved is answered by its SHA-256. Raises ValueError for bytes that are not a readable PDF."""
    try:
        signatures = PdfFileReader(BytesIO(content), strict=False).embedded_signatures
        statuses = [
            validate_pdf_signature(signature, ValidationContext(allow_fetching=False)) for signature in signatures
        ]
    except Exception as error:  # pyHanko raises many kinds of errors on hostile or broken input
        raise ValueError(str(error)) from error
    return [
        SignatureCheck(
            intact=status.intact,
            valid=status.valid,
            covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            signer=signer_name(status.signing_cert),
        )
        for status in statuses
    ]
