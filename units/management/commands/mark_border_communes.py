import csv
import datetime
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from units.services import UnknownCodesError, border_communes_mark

_CODE = re.compile(r"^\d{1,5}$")


def read_codes(path: Path) -> list[str]:
    """Official commune codes from the first column of a CSV or text file.

    A header row and blank lines are skipped; anything else that is not a code is
    an error, so a wrong file is refused rather than half-applied.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc}") from exc
    codes, bad = [], []
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        value = row[0].strip() if row else ""
        if not value:
            continue
        if _CODE.match(value):
            codes.append(value)
        elif number != 1:
            bad.append(f"dòng {number}: {value!r}")
    if bad:
        raise CommandError("Tệp có giá trị không phải mã xã: " + "; ".join(bad[:20]))
    if not codes:
        raise CommandError("Tệp không có mã xã nào.")
    return codes


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: {value!r} (cần dạng YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = (
        "Mark border communes from a file of official commune codes (first column), "
        "as listed in the appendix of Nghị định 299/2025/NĐ-CP. With --from/--until, the "
        "codes are those of the communes of that period (legacy codes before 01/07/2025) "
        "and the mark holds for that period only."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Unmark communes that are not in the file (the appendix was reissued).",
        )
        parser.add_argument("--from", dest="valid_from", type=parse_day, help="YYYY-MM-DD")
        parser.add_argument("--until", dest="valid_until", type=parse_day, help="YYYY-MM-DD")

    def handle(self, *args, path, replace, valid_from, valid_until, **options):
        codes = read_codes(path)
        if valid_from and valid_until and valid_until <= valid_from:
            raise CommandError("Ngày kết thúc phải sau ngày bắt đầu; không thay đổi gì.")
        try:
            result = border_communes_mark(
                codes=codes, replace=replace, valid_from=valid_from, valid_until=valid_until
            )
        except UnknownCodesError as exc:
            raise CommandError(
                "Không có xã, phường nào của thời kỳ đã chọn mang các mã sau; không thay đổi gì: "
                + ", ".join(exc.codes[:50])
            ) from exc
        self.stdout.write(
            f"marked {result['marked']}, unmarked {result['unmarked']}, "
            f"border communes now {result['total_border']}"
        )
