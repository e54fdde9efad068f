"""Validating a signed copy of an issued PDF with pyHanko, offline.

Offices sign with a USB token through the government CA's browser plugin; the server
holds no key and only checks what comes back: the signature is intact, covers the whole
file, was made over the very PDF that was issued, and its certificate chains to a root
an admin installed. Revocation is not checked: the server does not go online for it.
"""

import datetime
import io
from dataclasses import dataclass, field

from asn1crypto import pem, x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

# The words a signed copy is described with (document data, Vietnamese).
REVOCATION_NOT_CHECKED = "Chưa kiểm tra (máy chủ không kết nối mạng)"
PROBLEMS = {
    "unreadable": "Tệp không đọc được là PDF.",
    "unsigned": "Tệp không có chữ ký số.",
    "not_intact": "Nội dung đã bị sửa đổi sau khi ký.",
    "partial": "Chữ ký không bao toàn bộ tệp: có nội dung được thêm sau khi ký.",
    "other_document": "Chữ ký được ký trên một tệp PDF khác, không phải bản đã ban hành.",
    "untrusted": "Chứng thư số không chuỗi được về chứng thư gốc đã cài đặt.",
}


class CertificateError(ValueError):
    pass


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from a PEM or DER file, or CertificateError."""
    try:
        if pem.detect(data):
            _type, _headers, data = pem.unarmor(data)
        certificate = x509.Certificate.load(data)
        certificate.native  # noqa: B018  (parses it all now, not on first use)
    except Exception as error:
        raise CertificateError(str(error)) from error
    return certificate


@dataclass
class SignatureCheck:
    has_signature: bool = False
    intact: bool = False
    covers_whole: bool = False
    same_document: bool = False
    trusted: bool = False
    signer_name: str = ""
    certificate_subject: str = ""
    certificate_issuer: str = ""
    signed_at: datetime.datetime | None = None
    revocation: str = REVOCATION_NOT_CHECKED
    problems: list[str] = field(default_factory=list)


def validation_context(certificates: list[bytes]) -> ValidationContext:
    """Installed self-signed certificates are the roots; the others, intermediates."""
    loaded = [x509.Certificate.load(der) for der in certificates]
    roots = [c for c in loaded if c.self_signed]
    others = [c for c in loaded if not c.self_signed]
    return ValidationContext(
        trust_roots=roots,
        other_certs=others,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def check_signed_pdf(signed: bytes, issued: bytes, certificates: list[bytes]) -> SignatureCheck:
    """What a signed copy is: each property checked on its own, the problems listed."""
    check = SignatureCheck()
    try:
        reader = PdfFileReader(io.BytesIO(signed), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError):
        check.problems.append(PROBLEMS["unreadable"])
        return check
    if not signatures:
        check.problems.append(PROBLEMS["unsigned"])
        return check
    check.has_signature = True
    signature = signatures[0]
    try:
        status = validate_pdf_signature(signature, validation_context(certificates))
    except ValueError as error:  # pyHanko's SignatureValidationError among them
        check.problems.append(f"{PROBLEMS['not_intact']} ({error})")
        return check
    certificate = status.signing_cert
    check.intact = bool(status.intact)
    check.covers_whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    check.trusted = bool(status.trusted)
    check.signer_name = certificate.subject.native.get("common_name", "")
    check.certificate_subject = certificate.subject.human_friendly
    check.certificate_issuer = certificate.issuer.human_friendly
    check.signed_at = status.signer_reported_dt
    # A signature is added as an incremental update, which keeps the signed file's bytes
    # as they were: the file must begin with the issued PDF itself.
    check.same_document = signed.startswith(issued)
    for ok, problem in (
        (check.intact, "not_intact"),
        (check.covers_whole, "partial"),
        (check.same_document, "other_document"),
        (check.trusted, "untrusted"),
    ):
        if not ok:
            check.problems.append(PROBLEMS[problem])
    return check
