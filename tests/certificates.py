"""A self-made signing certificate for an institution, as its IT office would configure a real one."""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder

SIGNER = "Lic. Alfredo Danilo Rivera (prueba)"


def configure_certificate(folder, settings, monkeypatch, code="IGM"):
    """Write <code>.p12 to `folder`, point the settings at it, and return the certificate to trust."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SIGNER)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, True, False, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    bundle = pkcs12.serialize_key_and_certificates(
        code.lower().encode(), key, cert, None, serialization.BestAvailableEncryption(b"secreto")
    )
    (folder / f"{code}.p12").write_bytes(bundle)
    settings.SIPLAN_SIGNING_CERTIFICATES_DIR = str(folder)
    monkeypatch.setenv(f"SIPLAN_SIGNING_PASSPHRASE_{code}", "secreto")
    pem = folder / f"{code}.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return load_cert_from_pemder(str(pem))
