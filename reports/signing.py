"""The approved report's proof: a QR code and short URL to the public verification page, and, when the
institution has a PKCS#12 certificate configured, a PAdES signature made with pyHanko."""

import os
from io import BytesIO
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

SHORT_HASH = 12
SIGNATURE_FIELD = "FirmaMaximaAutoridad"
PX_TO_PT = 0.75


def verification_url(snapshot):
    """The short public URL whose page says whether this hash is an approved report, and which."""
    return settings.SIPLAN_BASE_URL + reverse("approvals:verify_short", args=[snapshot.sha256[:SHORT_HASH]])


def verification_qr(snapshot):
    """The verification URL as an SVG data URI, for an <img> in the PDF."""
    return segno.make(verification_url(snapshot), error="m").svg_data_uri(scale=3, border=1)


def certificate_for(code):
    """(path to the institution's .p12, passphrase) or None when it has no certificate configured."""
    folder = settings.SIPLAN_SIGNING_CERTIFICATES_DIR
    path = Path(folder) / f"{code}.p12" if folder else None
    if path is None or not path.is_file():
        return None
    return path, os.environ.get(f"SIPLAN_SIGNING_PASSPHRASE_{code}", "").encode() or None


def sign_pdf(content, code, anchor):
    """Sign `content` with the institution's certificate, the visible box at `anchor` (page index, box in
    points from the bottom left); unchanged when no certificate is configured."""
    certificate = certificate_for(code)
    if certificate is None:
        return content
    path, passphrase = certificate
    signer = signers.SimpleSigner.load_pkcs12(pfx_file=str(path), passphrase=passphrase)
    page, box = anchor
    spec = fields.SigFieldSpec(SIGNATURE_FIELD, on_page=page, box=tuple(round(value) for value in box))
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES, reason="Aprobación del reporte cuatrimestral"
    )
    output = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(content)), metadata, signer=signer, new_field_spec=spec)
    return output.getvalue()
