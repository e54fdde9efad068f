"""Signed copies: validated offline with pyHanko against the CA certificates installed.

A CA chain (root, intermediate, signer) and its keys are generated here; the signer
signs the issued PDF as the government CA's plugin would, in an incremental update.
"""

import datetime
import io
from dataclasses import dataclass

import pytest
from asn1crypto import keys, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from documents.models import SignedCopy
from documents.services import annual_summary_issue, signed_copy_upload, trust_root_install
from tests.documents.conftest import state_input

NOW = datetime.datetime.now(datetime.UTC)


@dataclass
class Chain:
    root: cx509.Certificate
    intermediate: cx509.Certificate
    signer: cx509.Certificate
    signer_key: ec.EllipticCurvePrivateKey


def _certificate(subject, issuer, key, issuer_key, *, ca: bool) -> cx509.Certificate:
    builder = (
        cx509.CertificateBuilder()
        .subject_name(cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=365))
        .add_extension(cx509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    usage = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    if ca:
        usage.update(key_cert_sign=True, crl_sign=True)
    else:
        usage.update(digital_signature=True, content_commitment=True)
    builder = builder.add_extension(cx509.KeyUsage(**usage), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def make_chain(name: str) -> Chain:
    root_key, mid_key, signer_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root = _certificate(f"{name} Root CA", f"{name} Root CA", root_key, root_key, ca=True)
    intermediate = _certificate(f"{name} CA", f"{name} Root CA", mid_key, root_key, ca=True)
    signer = _certificate("Lê Văn Bình", f"{name} CA", signer_key, mid_key, ca=False)
    return Chain(root, intermediate, signer, signer_key)


def der(certificate: cx509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def pem(certificate: cx509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def sign(pdf: bytes, chain: Chain) -> bytes:
    key = chain.signer_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = signers.SimpleSigner(
        signing_cert=x509.Certificate.load(der(chain.signer)),
        signing_key=keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs(
            [x509.Certificate.load(der(chain.intermediate))]
        ),
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)),
        signers.PdfSignatureMetadata(field_name="ChuKySo"),
        signer=signer,
    )
    return out.getvalue()


@pytest.fixture
def chain():
    return make_chain("Ban Cơ yếu Chính phủ")


@pytest.fixture
def installed(chain, admin_user):
    trust_root_install(user=admin_user, name="Root", data=pem(chain.root))
    trust_root_install(user=admin_user, name="Intermediate", data=der(chain.intermediate))
    return chain


@pytest.fixture
def document(world, people):
    return annual_summary_issue(
        user=people["command_official"],
        province=world.hue,
        year=2025,
        data=state_input(world.bg_command),
    )


def issued_bytes(document) -> bytes:
    with document.pdf.open("rb") as handle:
        return handle.read()


def upload(people, document, data) -> SignedCopy:
    return signed_copy_upload(user=people["command_official"], document=document, data=data)


def test_a_copy_signed_over_the_issued_pdf_validates_and_is_served(
    client, installed, document, people
):
    copy = upload(people, document, sign(issued_bytes(document), installed))
    assert (copy.intact, copy.covers_whole, copy.same_document, copy.trusted) == (
        True,
        True,
        True,
        True,
    )
    assert copy.valid and copy.problems == ""
    assert copy.signer_name == "Lê Văn Bình"
    assert "Ban Cơ yếu Chính phủ CA" in copy.certificate_issuer
    assert copy.signed_at is not None
    assert copy.revocation.startswith("Chưa kiểm tra")
    client.force_login(people["command_official"])
    served = b"".join(client.get(f"/documents/{document.pk}.pdf").streaming_content)
    with copy.file.open("rb") as signed:
        assert served == signed.read()
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "Hợp lệ" in page and "Lê Văn Bình" in page


def test_a_modified_signed_file_is_not_intact(installed, document, people):
    signed = bytearray(sign(issued_bytes(document), installed))
    at = signed.index(b"/Producer")
    signed[at + 1] = ord("Q")
    copy = upload(people, document, bytes(signed))
    assert not copy.valid
    assert not copy.intact
    assert "sửa đổi" in copy.problems


def test_a_file_signed_over_another_pdf_is_not_this_document(world, installed, document, people):
    other = annual_summary_issue(
        user=people["command_official"],
        province=world.hue,
        year=2025,
        data=state_input(world.bg_command),
    )
    copy = upload(people, document, sign(issued_bytes(other), installed))
    assert copy.intact and copy.trusted
    assert not copy.same_document and not copy.valid
    assert "PDF khác" in copy.problems


def test_a_certificate_of_another_ca_is_not_trusted(installed, document, people, client):
    stranger = make_chain("CA lạ")
    copy = upload(people, document, sign(issued_bytes(document), stranger))
    assert copy.intact and copy.same_document
    assert not copy.trusted and not copy.valid
    client.force_login(people["command_official"])
    served = b"".join(client.get(f"/documents/{document.pk}.pdf").streaming_content)
    assert served == issued_bytes(document)


def test_nothing_is_trusted_before_an_admin_installs_the_roots(chain, document, people):
    copy = upload(people, document, sign(issued_bytes(document), chain))
    assert copy.intact and not copy.trusted


def test_an_unsigned_pdf_is_shown_as_such(installed, document, people):
    copy = upload(people, document, issued_bytes(document))
    assert not copy.has_signature and not copy.valid
    assert "không có chữ ký" in copy.problems


def test_content_added_after_signing_leaves_the_signature_partial(installed, document, people):
    signed = sign(issued_bytes(document), installed)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/PageMode"] = generic.NameObject("/UseOutlines")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    copy = upload(people, document, out.getvalue())
    assert not copy.covers_whole and not copy.valid


def test_a_file_that_is_not_a_certificate_is_refused(admin_user):
    with pytest.raises(ValidationError):
        trust_root_install(user=admin_user, name="Sai", data=b"not a certificate")


def test_the_upload_page_refuses_a_file_that_is_not_a_pdf(client, document, people):
    client.force_login(people["command_official"])
    response = client.post(
        f"/documents/{document.pk}/signed/",
        {"file": io.BytesIO(b"hello")},
    )
    assert response.status_code == 400
    assert not SignedCopy.objects.exists()
