"""Spreadsheet import and export (django-import-export): the shared machinery and organizations.

Every resource here follows the same contract, which the admin, the staff import page
and the command-line benchmark all rely on:

- Files speak in natural keys (codes, numbers, exact names), never database ids.
- Headers are matched ignoring case, diacritics and punctuation, against the Vietnamese
  header or the column's code ("Hiệu lực từ", "hieu luc tu" and "valid_from" are the
  same column). Rows whose first cell starts with "#" are comments; blank rows are
  skipped; row numbers reported are the spreadsheet's own (the header is row 1).
- All or nothing: `run_import` (the staff page, through `import_rows`) and `import_data`
  (the admin, through django-import-export's loop) run in one transaction and roll
  everything back if any row is invalid.
- Related lookups are cached once per import in `before_import`; writes go through the
  domain services (or `full_clean()` + `save()`), so history records who changed what;
  new agreements are checked row by row and written together (AgreementBatch).
- A row that changes nothing is skipped, so re-importing an export is a no-op.
"""

import csv
import datetime
import functools
import io
import logging
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field

from units import organization_services
from units.formulas import SafeCSV, SafeXLSX, unguard
from units.models import AdministrativeUnit, Level, Organization
from units.scoping import restrict, scope_of
from units.text import fold, nfc

logger = logging.getLogger(__name__)

ROW_COLUMN = "_row"
COMMENT_MARK = "#"
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


# Cell values ---------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as clean text: numbers typed into Excel come back as floats (46.0 → "46")."""
    # str.split() splits on exactly the characters re's \s matches, at a fraction of
    # the cost: a ten-thousand-row file asks this some hundred thousand times, nearly
    # always of a string, so strings skip the type tests below.
    if type(value) is str:
        return " ".join(nfc(value).split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(nfc(str(value)).split())


def norm_header(value: Any) -> str:
    """Header comparison key: "Bên 1 – vai trò", "ben 1 vai tro", "party_1_role" collapse."""
    return _header_key(cell_text(value))


@functools.lru_cache(maxsize=4096)
def _header_key(text: str) -> str:
    # Kept: choice cells ("Chủ trì", "Quy chế phối hợp") repeat on every row of a file.
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def norm_name(value: Any) -> str:
    """Exact-name comparison key: case and extra spaces ignored, diacritics kept."""
    return cell_text(value).casefold()


_USUAL_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    text = text.split(" ")[0]  # "2025-01-12 00:00:00" from a CSV saved by Excel
    # The usual 31/12/2025 without strptime, which costs ten times as much; anything
    # else (and an impossible day) goes the long way, to the same message.
    usual = _USUAL_DATE.fullmatch(text)
    if usual:
        try:
            return datetime.date(*(int(part) for part in usual.group(3, 2, 1)))
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” không phải ngày hợp lệ (viết dạng 31/12/2025).") % {"value": text}
    )


def parse_int(value: Any) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationError(_("“%(value)s” không phải số nguyên.") % {"value": text}) from None


def parse_decimal(value: Any) -> Decimal | None:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    text = cell_text(value).replace(" ", "")
    if not text:
        return None
    # Vietnamese writes 1.570 for a thousand and 3,5 for a decimal; English the reverse.
    if "," in text and "." in text:
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    elif "," in text:
        text = text.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” không phải số.") % {"value": text}) from None


_TRUE = {"co", "x", "yes", "true", "1", "dung"}
_FALSE = {"khong", "no", "false", "0", "sai", ""}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = fold(cell_text(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(_("Hãy ghi “Có” hoặc “Không”."))


def parse_choice(value: Any, choices) -> str | None:
    """A TextChoices value given as its code or its Vietnamese label."""
    text = cell_text(value)
    if not text:
        return None
    code = _choice_names(choices, translation.get_language()).get(norm_header(text))
    if code is not None:
        return code
    allowed = "; ".join(str(label) for _code, label in choices.choices)
    raise ValidationError(
        _("“%(value)s” không hợp lệ; chọn một trong: %(allowed)s.")
        % {"value": text, "allowed": allowed}
    )


@functools.cache
def _choice_names(choices, language) -> dict[str, str]:
    """Each choice's code by its code and labels (the language's and Vietnamese), compared
    as headers are; kept per language, as a file of ten thousand rows asks for every row."""
    names = {}
    for code, label in reversed(choices.choices):
        for name in (norm_header(code), norm_header(label), norm_header(_vi(label))):
            names[name] = code
    return names


def parse_version(value: Any) -> int | None:
    """The record's version as exported; blank for a new record."""
    text = cell_text(value)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral_value() or not 0 < number < 10**9:
        raise ValidationError(_("Phiên bản “%(value)s” không hợp lệ.") % {"value": text})
    return int(number)


def split_list(value: Any, separators: str = ";\n") -> list[str]:
    text = "" if value is None else nfc(str(value))
    parts = re.split("[" + re.escape(separators) + "]", text)
    return [re.sub(r"\s+", " ", p).strip() for p in parts if p.strip()]


def _vi(label) -> str:
    with translation.override("vi"):
        return str(label)


def date_out(value: datetime.date | None):
    """Dates stay dates (real date cells in XLSX, ISO text in CSV); both import back."""
    return value


def number_out(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# Reading files -------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is for the user."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def read_table(data: bytes, filename: str = "", *, check_header=None) -> tablib.Dataset:
    """Raw rows of an XLSX or CSV file, judged by content rather than by name.

    Every bound is checked before the costly part it protects: size and (for XLSX) the
    zip's entries and unpacked size and the XML before any sheet is parsed, then the
    header (`check_header(headers)` may raise) before any data row, then the number of
    rows while they stream in.
    """
    rows = iter_rows(data)
    header = next(rows, None)
    if header is None:
        raise ImportFileError(_("Tệp rỗng, không có dữ liệu để nhập."))
    width = len(header)
    while width and cell_text(header[width - 1]) == "":
        width -= 1
    dataset = tablib.Dataset()
    dataset.headers = [cell_text(h) for h in header[:width]]
    if check_header is not None:
        check_header(dataset.headers)
    limit = settings.IMPORT_MAX_ROWS
    body = []
    for number, row in enumerate(rows, start=2):
        if number - 1 > limit:
            raise too_many_rows()
        body.append(list(row))
    while body and all(cell_text(c) == "" for c in body[-1]):
        body.pop()
    for number, row in enumerate(body, start=2):
        extra = row[width:]
        if any(cell_text(c) for c in extra):
            raise ImportFileError(
                _("Dòng %(row)s có nhiều ô hơn số cột tiêu đề.") % {"row": number}
            )
        dataset.append(row[:width] + [None] * (width - len(row)))
    return dataset


def too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("Tệp có quá nhiều dòng: tối đa %(rows)s dòng mỗi lần nhập; hãy chia thành nhiều tệp.")
        % {"rows": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", ".")}
    )


def iter_rows(data: bytes):
    """The rows of the file, streamed; the checks that need no row run first."""
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportFileError(
            _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)}
        )
    if not data.strip():
        raise ImportFileError(_("Tệp rỗng, không có dữ liệu để nhập."))
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("Tệp Excel 97-2003 (.xls) không được hỗ trợ; hãy lưu lại thành .xlsx hoặc .csv.")
        )
    return _csv_rows(data)


SYSTEM_ERROR = _("Không thể nhập tệp do lỗi hệ thống; hãy báo quản trị viên.")
ROW_DATABASE_ERROR = _("Dữ liệu vi phạm ràng buộc của cơ sở dữ liệu; hãy kiểm tra lại dòng này.")
NOT_XLSX = _("Không đọc được tệp: đây không phải bảng tính Excel (.xlsx) hợp lệ.")


def _check_xlsx_package(data: bytes) -> None:
    """Refuse zip bombs and XML with a DTD before the workbook is unpacked and read.

    A spreadsheet never needs a DTD; one in any part is an entity attack (billion
    laughs, external entities), refused whatever it declares. The sizes checked are
    the ones the zip declares, and zipfile stops at the declared size when unpacking,
    so a lying entry fails its CRC check instead of growing.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        if len(entries) > settings.IMPORT_MAX_ZIP_ENTRIES:
            raise ImportFileError(_("Tệp Excel có quá nhiều thành phần; không thể nhập."))
        if sum(e.file_size for e in entries) > settings.IMPORT_MAX_UNPACKED_BYTES:
            raise ImportFileError(
                _("Tệp Excel khi giải nén quá lớn; hãy chia thành nhiều tệp nhỏ hơn.")
            )
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels")):
                continue
            with archive.open(entry) as part:
                # The DTD, if any, comes before the root element: stop at the first one.
                for _event in iterparse(part, events=("start",), forbid_dtd=True):
                    break
            if entry.filename.startswith("xl/worksheets/"):
                with archive.open(entry) as part:
                    if _count_rows(part) - 1 > settings.IMPORT_MAX_ROWS:
                        raise too_many_rows()
    except ImportFileError:
        raise
    except DefusedXmlException as exc:
        logger.warning("xlsx upload with a DTD refused: %s", exc)
        raise ImportFileError(
            _("Tệp Excel chứa khai báo XML không được phép (DTD, thực thể); không thể nhập.")
        ) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, SyntaxError, OSError, EOFError) as exc:
        logger.info("unreadable xlsx upload: %s", exc)
        raise ImportFileError(NOT_XLSX) from exc


# A row element, with or without a namespace prefix; text cannot hold "<", so no
# cell's content matches.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def _count_rows(part) -> int:
    """Row elements of a sheet, counted in its raw bytes: a fraction of parsing's cost.

    The sheet is then parsed whole, so this count (not its declared dimension, which
    may lie) is what keeps an oversized sheet from being parsed at all.
    """
    count, tail = 0, b""
    while chunk := part.read(1 << 20):
        window = tail + chunk
        # A tag cut by the chunk's end is counted with the next chunk: a tag holds no
        # "<", so every tag before the last "<" is whole.
        cut = window.rfind(b"<")
        if cut == -1 or len(window) - cut > 256:
            cut = len(window)
        count += len(_ROW_TAG.findall(window, 0, cut))
        tail = window[cut:]
    return count + len(_ROW_TAG.findall(tail))


def _xlsx_rows(data: bytes):
    """The first worksheet's rows from A1, read by calamine (Rust) in one pass.

    Ten times faster than openpyxl on the rows of an import, and its XML reader expands
    no entity; _check_xlsx_package has refused DTDs, zip bombs and excess rows before.
    Cells come back as values (cached results for formulas), "" for an empty cell.
    """
    import python_calamine

    _check_xlsx_package(data)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        index = next(
            (
                i
                for i, sheet in enumerate(book.sheets_metadata)
                if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
            ),
            0,
        )
        # Not skipping leading blank rows and columns: the header is row 1, as in Excel.
        rows = book.get_sheet_by_index(index).to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, ValueError, OSError, IndexError) as exc:
        logger.info("unreadable xlsx upload: %s", exc)
        raise ImportFileError(NOT_XLSX) from exc
    return iter(rows)


def _csv_rows(data: bytes):
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("Không đọc được tệp: chỉ nhận bảng tính Excel (.xlsx) hoặc CSV."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel on Vietnamese Windows saves "CSV" (not "CSV UTF-8") in code page 1258.
            text = data.decode("cp1258")
        except UnicodeDecodeError:
            raise ImportFileError(
                _("Không đọc được tệp CSV: hãy lưu dưới dạng “CSV UTF-8”.")
            ) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    return _csv_guarded(csv.reader(io.StringIO(text), delimiter=delimiter))


def _csv_guarded(reader):
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportFileError(_("Không đọc được tệp CSV: %(error)s") % {"error": exc}) from exc


def write_table(dataset: tablib.Dataset, fmt: str) -> bytes:
    """An export or template file, through the formats that neutralise formulas."""
    if fmt == "xlsx":
        return SafeXLSX().export_data(dataset)
    if fmt == "csv":
        # With a BOM, Excel opens the file as UTF-8 and shows Vietnamese correctly.
        return ("\ufeff" + SafeCSV().export_data(dataset)).encode("utf-8")
    raise ValueError(f"unknown format {fmt}")


# Columns -------------------------------------------------------------------------------


@dataclass
class Column:
    key: str
    header: Any
    help: Any = ""
    example: Any = ""
    required: bool = False
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {
            norm_header(n) for n in (self.key, self.header, _vi(self.header), *self.aliases) if n
        }


@dataclass
class RowProblem:
    row: int
    messages: list[str]


@dataclass
class RowDone:
    row: int
    action: str  # new, update, skip
    label: str


@dataclass
class ImportOutcome:
    """What the staff page shows: either every bad row, or what will be (was) written."""

    file_error: str | None = None
    problems: list[RowProblem] = field(default_factory=list)
    rows: list[RowDone] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.problems

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self) -> int:
        return self.count("new")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("skip")


class HeaderError(ValidationError):
    pass


@dataclass
class Parsed:
    """One row parsed into domain values; `present` lists the columns the file has."""

    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    def get(self, key, default=None):
        return self.values.get(key, default)

    def has(self, key) -> bool:
        return key in self.values

    def error(self, key, message) -> None:
        self.errors.setdefault(key, []).append(str(message))

    def read(self, row: dict, key: str, parser=cell_text) -> None:
        """Parse a cell if the column is in the file, recording any error under its key."""
        if key not in row:
            return
        try:
            self.values[key] = parser(row[key])
        except ValidationError as exc:
            for message in exc.messages:
                self.error(key, message)


class SpreadsheetResource(resources.ModelResource):
    """A resource described by `columns()`, parsed by `parse_row()`, written by `write()`."""

    extra_labels: dict = {}

    class Meta:
        fields: list = []
        skip_diff = True
        use_bulk = False  # bulk writes skip history and the services' rules
        clean_model_instances = False

    def __init__(self, user=None, **kwargs):
        super().__init__()
        self.user = user
        self.row_numbers: list[int] = []
        # Called with (rows done, rows in all) as the import goes: the job's progress bar.
        self.progress = None
        self._rows_done = 0
        self._seen_keys: dict = {}
        self._prepared = False
        self._set_fields(self.columns())

    # Column description ----------------------------------------------------------------

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def required_headers(self) -> list[Column]:
        return [c for c in self.columns() if c.required]

    def _set_fields(self, columns: list[Column]) -> None:
        self.fields = {
            c.key: Field(attribute=None, column_name=str(c.header), dehydrate_method=c.key)
            for c in columns
        }

    def get_export_order(self):
        return tuple(self.fields)

    def get_import_fields(self):
        return list(self.fields.values())

    def label(self, key: str) -> str:
        for column in self.columns():
            if column.key == key:
                return str(column.header)
        if key in self.extra_labels:
            return str(self.extra_labels[key])
        try:
            return str(self._meta.model._meta.get_field(key).verbose_name).capitalize()
        except Exception:
            return ""

    def match_header(self, name: str) -> str | None:
        wanted = norm_header(name)
        for column in self.columns():
            if wanted in column.names():
                return column.key
        return None

    # Preparing the dataset -------------------------------------------------------------

    def prepare_dataset(self, dataset: tablib.Dataset) -> None:
        """Canonical headers, comment and blank rows out, file row numbers kept.

        Raises HeaderError (and empties the dataset, so no row is attempted) when
        headers are missing, unknown or repeated.
        """
        if self._prepared:
            return
        self._prepared = True
        try:
            keys = self.header_keys(dataset.headers or [])
        except HeaderError:
            dataset.wipe()
            raise
        has_numbers = ROW_COLUMN in keys
        rows = []
        for number, values in enumerate(dataset, start=2):
            values = list(values)
            if not any(cell_text(v) for v in values):
                continue
            if values and cell_text(values[0]).startswith(COMMENT_MARK):
                continue
            if not has_numbers:
                values.append(number)
            # The apostrophe an export put before formula-like text goes (units.formulas).
            rows.append([unguard(value) for value in values])
        if not has_numbers:
            keys.append(ROW_COLUMN)
        dataset.wipe()
        dataset.headers = keys
        for values in rows:
            dataset.append(values)
        self.row_numbers = [int(v) for v in dataset[ROW_COLUMN]] if rows else []
        self.on_headers(keys)

    def header_keys(self, headers: list[str]) -> list[str]:
        """The column key of each header; HeaderError when one is missing, unknown or repeated."""
        keys, unknown, repeated = [], [], []
        for header in headers:
            if header == ROW_COLUMN:
                keys.append(ROW_COLUMN)
                continue
            key = self.match_header(header)
            if key is None:
                if cell_text(header):
                    unknown.append(cell_text(header))
                keys.append(f"_ignored_{len(keys)}")
                continue
            if key in keys:
                repeated.append(cell_text(header))
            keys.append(key)
        missing = [str(c.header) for c in self.required_headers() if c.key not in keys]
        messages = []
        if missing:
            messages.append(
                _("Thiếu cột bắt buộc: %(cols)s. Hãy dùng tệp mẫu.") % {"cols": ", ".join(missing)}
            )
        if unknown:
            messages.append(
                _("Cột không nhận ra: %(cols)s. Hãy dùng đúng tên cột như tệp mẫu.")
                % {"cols": ", ".join(unknown)}
            )
        if repeated:
            messages.append(_("Cột bị lặp: %(cols)s.") % {"cols": ", ".join(repeated)})
        if messages:
            raise HeaderError(messages)
        return keys

    def on_headers(self, keys: list[str]) -> None:
        """Hook: a resource with repeated column groups (the parties) learns them here."""

    # import-export hooks ---------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        if kwargs.get("user") is not None:
            self.user = kwargs["user"]
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def before_import(self, dataset, **kwargs):
        if self.user is None:
            raise ValueError("an import needs the importing user (for scope and history)")
        self.scope = scope_of(self.user)
        self.prepare_dataset(dataset)
        self.load_caches()
        self._rows_done = 0
        if self.progress is not None:
            self.progress(0, len(dataset))

    def after_import_row(self, row, row_result, **kwargs):
        self._row_done()

    def _row_done(self) -> None:
        self._rows_done += 1
        if self.progress is not None:
            self.progress(self._rows_done)

    def after_import(self, dataset, result, **kwargs):
        # A file with a bad row is rolled back whole, and a preview always is: what
        # finish_import would write is wasted there.
        if not (kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors()):
            self.finish_import()

    def finish_import(self) -> None:
        """Hook: write what the rows held back (AgreementResource's batch), once all passed."""

    def load_caches(self) -> None:
        raise NotImplementedError

    def row_number(self, row) -> int:
        return int(row.get(ROW_COLUMN) or 0)

    def claim_key(self, key, row) -> None:
        """Two rows of one file about the same record are an error, not a double write."""
        first = self._seen_keys.setdefault(key, self.row_number(row))
        if first != self.row_number(row):
            raise ValidationError(
                _("Trùng với dòng %(row)s (cùng một bản ghi xuất hiện hai lần).") % {"row": first}
            )

    def get_instance(self, instance_loader, row):
        return self.find_existing(row)

    def find_existing(self, row):
        raise NotImplementedError

    def import_instance(self, instance, row, **kwargs):
        parsed = self.parse_row(row, instance)
        instance._import_parsed = parsed
        if parsed.errors:
            raise ValidationError(parsed.errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None:
            return False
        return self.is_unchanged(instance, instance._import_parsed)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)
        self.check_scope(instance, instance._import_parsed)

    def save_instance(self, instance, is_create, row, **kwargs):
        saved = self.write(instance, instance._import_parsed, is_create)
        if saved is not instance:
            instance.pk = saved.pk
            instance.__dict__.update(
                {k: v for k, v in saved.__dict__.items() if not k.startswith("_")}
            )
        self.remember(saved, row)

    def save_m2m(self, instance, row, **kwargs):
        """Many-to-many values are written by `write()`, through the services."""

    def remember(self, saved, row) -> None:
        """Hook: make a record created by an earlier row findable by later rows."""

    def parse_row(self, row: dict, instance) -> Parsed:
        raise NotImplementedError

    def is_unchanged(self, instance, parsed: Parsed) -> bool:
        raise NotImplementedError

    def check_scope(self, instance, parsed: Parsed) -> None:
        raise NotImplementedError

    def write(self, instance, parsed: Parsed, is_create: bool):
        raise NotImplementedError

    def write_row(self, instance, parsed: Parsed, is_create: bool):
        """`write` in a savepoint: a row that fails halfway leaves nothing for the rows after.

        A resource whose row writes nothing yet (a batched new agreement) skips it.
        """
        with transaction.atomic():
            return self.write(instance, parsed, is_create)

    # The staff page's loop -------------------------------------------------------------

    def import_rows(self, dataset: tablib.Dataset, *, dry_run: bool) -> ImportOutcome:
        """Check and write every row of a prepared dataset in one transaction.

        The same hooks as import_data's (find_existing, parse_row, is_unchanged,
        check_scope, write), without django-import-export's row machinery: no savepoint
        for a row that writes nothing, no result objects or diffs. Any bad row, or a
        preview, rolls the whole transaction back.
        """
        report = ImportOutcome(total=len(dataset))
        with transaction.atomic():
            try:
                self.before_import(dataset)
            except ValidationError as exc:
                report.file_error = " ".join(self.messages_for(exc))
            except Exception:
                logger.exception("import failed")
                report.file_error = str(SYSTEM_ERROR)
            if report.file_error is None:
                self._import_rows(dataset, report)
            if report.ok and not dry_run:
                try:
                    self.finish_import()
                except Exception:
                    logger.exception("import failed")
                    report.file_error = str(SYSTEM_ERROR)
            if dry_run or not report.ok:
                transaction.set_rollback(True)
        report.problems.sort(key=lambda p: p.row)
        if not report.ok:
            report.rows = []
        return report

    def _import_rows(self, dataset: tablib.Dataset, report: ImportOutcome) -> None:
        headers = dataset.headers
        for index, values in enumerate(dataset):
            row = dict(zip(headers, values, strict=True))
            number = self.row_numbers[index] if index < len(self.row_numbers) else index + 2
            try:
                instance = self.find_existing(row) or self._meta.model()
                is_create = instance.pk is None
                parsed = self.parse_row(row, instance)
                if parsed.errors:
                    raise ValidationError(parsed.errors)
                if not is_create and self.is_unchanged(instance, parsed):
                    action, saved = "skip", instance
                else:
                    self.check_scope(instance, parsed)
                    saved = self.write_row(instance, parsed, is_create)
                    self.remember(saved, row)
                    action = "new" if is_create else "update"
                report.rows.append(RowDone(number, action, str(saved)))
            except ValidationError as exc:
                report.problems.append(RowProblem(number, self.messages_for(exc)))
            except Exception:
                logger.exception("import row %s failed", number)
                report.problems.append(RowProblem(number, [str(ROW_DATABASE_ERROR)]))
            self._row_done()

    # Export ------------------------------------------------------------------------------

    def export_queryset(self, queryset):
        return queryset

    def export(self, queryset=None, progress=None, **kwargs):
        """The rows as a dataset; `progress(done)` hears each row written, if given."""
        if queryset is None:
            queryset = self.get_queryset()
        queryset = self.export_queryset(queryset)
        selected = kwargs.get("export_fields")
        columns = [
            c
            for c in self.export_columns(queryset)
            if not selected or c.key in selected or self.follows_selection(c.key, selected)
        ]
        dataset = tablib.Dataset(headers=[str(c.header) for c in columns])
        for done, obj in enumerate(queryset, start=1):
            values = self.export_values(obj)
            dataset.append([values.get(c.key) for c in columns])
            if progress is not None:
                progress(done)
        return dataset

    def export_columns(self, queryset) -> list[Column]:
        return self.columns()

    def follows_selection(self, key: str, selected) -> bool:
        """Hook: columns that exist only at export time follow their selected siblings."""
        return False

    def export_values(self, obj) -> dict:
        raise NotImplementedError

    def template(self) -> tablib.Dataset:
        """Headers, a comment row explaining each column, and a commented example row."""
        columns = self.template_columns()
        dataset = tablib.Dataset(headers=[str(c.header) for c in columns])
        notes = [str(c.help) for c in columns]
        notes[0] = "# " + str(
            _(
                "Dòng bắt đầu bằng # được bỏ qua khi nhập. Dòng ví dụ dưới đây cũng bắt đầu "
                "bằng #: hãy nhập dữ liệu từ dòng 4 trở đi. (Cột này: %(help)s)"
            )
            % {"help": notes[0]}
        )
        example = [c.example for c in columns]
        example[0] = "# " + cell_text(example[0])
        dataset.append(notes)
        dataset.append(example)
        return dataset

    def template_columns(self) -> list[Column]:
        return self.columns()

    # Results -----------------------------------------------------------------------------

    def messages_for(self, error: ValidationError) -> list[str]:
        if not hasattr(error, "error_dict"):
            return [str(m) for m in error.messages]
        messages = []
        for key, errors in error.message_dict.items():
            label = "" if key == NON_FIELD_ERRORS else self.label(key)
            for message in errors:
                messages.append(f"{label}: {message}" if label else str(message))
        return messages

    def outcome(self, result) -> ImportOutcome:
        def file_row(index: int) -> int:
            if 0 < index <= len(self.row_numbers):
                return self.row_numbers[index - 1]
            return index + 1

        report = ImportOutcome(total=result.total_rows)
        for error in result.base_errors:
            if isinstance(error.error, ValidationError):
                report.file_error = " ".join(self.messages_for(error.error))
            else:
                logger.error("import failed", exc_info=error.error)
                report.file_error = str(SYSTEM_ERROR)
        for invalid in result.invalid_rows:
            report.problems.append(
                RowProblem(file_row(invalid.number), self.messages_for(invalid.error))
            )
        for number, errors in result.row_errors():
            for error in errors:
                logger.error("import row %s failed", number, exc_info=error.error)
            report.problems.append(RowProblem(file_row(number), [str(ROW_DATABASE_ERROR)]))
        report.problems.sort(key=lambda p: p.row)
        if report.ok:
            for index, row_result in enumerate(result.rows, start=1):
                action = {"new": "new", "update": "update"}.get(row_result.import_type, "skip")
                report.rows.append(RowDone(file_row(index), action, row_result.object_repr or ""))
        return report


def run_import(
    resource: SpreadsheetResource,
    data: bytes,
    *,
    user,
    dry_run: bool,
    filename="",
    progress=None,
):
    """Read, check and import a file; the one entry point for the staff page and scripts."""
    resource.user = user
    resource.progress = progress
    try:
        dataset = read_table(data, filename, check_header=resource.header_keys)
        resource.prepare_dataset(dataset)
    except ImportFileError as exc:
        return ImportOutcome(file_error=str(exc.message))
    except HeaderError as exc:
        return ImportOutcome(file_error=" ".join(exc.messages))
    if not len(dataset):
        return ImportOutcome(file_error=str(_("Tệp không có dòng dữ liệu nào để nhập.")))
    return resource.import_rows(dataset, dry_run=dry_run)


class _HeaderRead(Exception):
    pass


def check_file(resource: SpreadsheetResource, data: bytes) -> str | None:
    """What is wrong with the file as a whole, found without reading a data row; or None.

    Cheap enough for the request that uploads it: size, package and XML bounds, header.
    """

    def stop_after(headers):
        resource.header_keys(headers)
        raise _HeaderRead

    try:
        read_table(data, check_header=stop_after)
    except _HeaderRead:
        return None
    except ImportFileError as exc:
        return str(exc.message)
    except HeaderError as exc:
        return " ".join(exc.messages)
    return None


# Lookups shared by every resource --------------------------------------------------------


class UnitLookup:
    """Administrative units by GSO code; current units win over abolished ones.

    `provinces_only`: a file that names only provinces reads about a hundred rows
    instead of every commune since before the reform (some 14,000)."""

    def __init__(self, *, provinces_only: bool = False):
        self.by_code: dict[str, AdministrativeUnit] = {}
        self.by_id: dict[int, AdministrativeUnit] = {}
        units = AdministrativeUnit.objects.order_by("-valid_until").only(
            "id", "code", "name", "type", "parent_id", "valid_until"
        )
        if provinces_only:
            units = units.provinces()
        for unit in units:
            self.by_id[unit.pk] = unit
            current = self.by_code.get(unit.code)
            if current is None or current.valid_until is not None:
                self.by_code[unit.code] = unit

    def get(self, value, *, provinces_only=False) -> AdministrativeUnit:
        code = cell_text(value)
        unit = None
        if code.isdigit():
            for width in (2,) if provinces_only else (2, 5):
                unit = self.by_code.get(code.zfill(width))
                if unit and (not provinces_only or unit.is_province):
                    break
                unit = None
        else:
            unit = self.by_code.get(code)
        if unit is None or (provinces_only and not unit.is_province):
            message = (
                _("Không có tỉnh, thành phố mã “%(code)s”.")
                if provinces_only
                else _("Không có đơn vị hành chính mã “%(code)s”.")
            )
            raise ValidationError(message % {"code": code})
        return unit


class OrganizationLookup:
    """Organizations the user may see, by code or exact name, loaded in one query."""

    def __init__(self, user):
        self.by_code: dict[str, Organization] = {}
        self.by_name: dict[str, list[Organization]] = defaultdict(list)
        self.by_id: dict[int, Organization] = {}
        for organization in restrict(Organization.objects.all(), user):
            self.add(organization)

    def add(self, organization: Organization) -> None:
        old = self.by_id.get(organization.pk)
        if old is not None:
            if old.code:
                self.by_code.pop(old.code.casefold(), None)
            names = self.by_name.get(norm_name(old.name), [])
            self.by_name[norm_name(old.name)] = [o for o in names if o.pk != old.pk]
        self.by_id[organization.pk] = organization
        if organization.code:
            self.by_code[organization.code.casefold()] = organization
        self.by_name[norm_name(organization.name)].append(organization)

    def find(self, value) -> Organization | None:
        """The organization named by a code or an exact name; None when there is none."""
        text = cell_text(value)
        if not text:
            return None
        found = self.by_code.get(text.casefold())
        if found:
            return found
        named = self.by_name.get(norm_name(text), [])
        if len(named) > 1:
            raise ValidationError(
                _("Có %(n)s tổ chức cùng tên “%(name)s”; hãy ghi mã tổ chức.")
                % {"n": len(named), "name": text}
            )
        return named[0] if named else None

    def get_or_none(self, value) -> Organization | None:
        return self.get(value) if cell_text(value) else None

    def get(self, value) -> Organization:
        found = self.find(value)
        if found is None:
            raise ValidationError(
                _("Không tìm thấy tổ chức có mã hoặc tên “%(value)s”.")
                % {"value": cell_text(value)}
            )
        return found


# Organizations ---------------------------------------------------------------------------

_ORG_LINKS = ("parent", "area", "province", "party_of")


class OrganizationResource(SpreadsheetResource):
    """Organizations, matched by code, or by exact name when the row has no code."""

    class Meta(SpreadsheetResource.Meta):
        model = Organization
        name = _("Tổ chức")

    def columns(self):
        return [
            Column(
                "code",
                _("Mã"),
                _("mã tổ chức, duy nhất; để trống thì khớp theo tên"),
                "DBP-HUE-ALOI",
                aliases=("ma to chuc",),
            ),
            Column(
                "name",
                _("Tên"),
                _("bắt buộc"),
                "Đồn Biên phòng A Lưới",
                required=True,
                aliases=("ten to chuc",),
            ),
            Column("short_name", _("Tên viết tắt"), _("không bắt buộc"), "Đồn A Lưới"),
            Column(
                "kind",
                _("Loại tổ chức"),
                _("mã hoặc tên loại, xem danh mục"),
                Organization.Kind.BORDER_POST.label,
            ),
            Column(
                "level",
                _("Cấp"),
                _("Trung ương, Cấp tỉnh, Cấp huyện (trước 07/2025), Cấp xã"),
                Level.COMMUNE.label,
            ),
            Column(
                "parent",
                _("Cơ quan cấp trên"),
                _("mã hoặc tên chính xác của tổ chức đã có"),
                "BCH-BDBP-HUE",
            ),
            Column(
                "area", _("Địa bàn (mã ĐVHC)"), _("mã xã hoặc tỉnh theo Tổng cục Thống kê"), "19870"
            ),
            Column(
                "province",
                _("Tỉnh, thành phố (mã)"),
                _("mã tỉnh; để trống với cơ quan trung ương"),
                "46",
            ),
            Column("party_of", _("Đảng ủy của"), _("với đảng ủy: mã hoặc tên của cơ quan"), ""),
            Column(
                "covered_communes",
                _("Xã, phường phụ trách (mã)"),
                _("với đồn biên phòng: các mã xã, cách nhau bởi dấu ;"),
                "19870; 19873",
            ),
            Column("country", _("Quốc gia"), _("bắt buộc với đối tác nước ngoài"), ""),
            Column("founded_on", _("Ngày thành lập"), _("ngày/tháng/năm"), ""),
            Column("dissolved_on", _("Ngày giải thể"), _("ngày/tháng/năm"), ""),
            Column(
                "successors",
                _("Tổ chức kế thừa"),
                _("mã hoặc tên chính xác, cách nhau bởi dấu ;"),
                "",
                aliases=("successor",),
            ),
            Column(
                "version",
                _("Phiên bản"),
                _("để nguyên như khi xuất tệp; để trống với tổ chức mới"),
                "",
            ),
            Column("area_name", _("Tên địa bàn (chỉ để đọc)"), _("không cần khi nhập"), ""),
            Column(
                "province_name", _("Tên tỉnh, thành phố (chỉ để đọc)"), _("không cần khi nhập"), ""
            ),
        ]

    def get_queryset(self):
        return restrict(Organization.objects.all(), self.user)

    def load_caches(self):
        self.units = UnitLookup()
        self.organizations = OrganizationLookup(self.user)
        # Codes of organizations the user may not see: a row using one is refused with
        # the same words whichever province holds it, never "already exists".
        self.hidden_codes = {
            code.casefold()
            for code in Organization.objects.exclude(code=None).values_list("code", flat=True)
        } - set(self.organizations.by_code)
        self.covered: dict[int, list[int]] = defaultdict(list)
        through = Organization.covered_communes.through.objects.filter(
            organization_id__in=list(self.organizations.by_id)
        ).order_by("administrativeunit_id")
        for org_id, unit_id in through.values_list("organization_id", "administrativeunit_id"):
            self.covered[org_id].append(unit_id)

    def find_existing(self, row):
        code = cell_text(row.get("code"))
        name = cell_text(row.get("name"))
        if code:
            key = ("code", code.casefold())
            found = self.organizations.by_code.get(code.casefold())
        else:
            key = ("name", norm_name(name))
            found = self.organizations.find(name) if name else None
        if code or name:
            self.claim_key(key, row)
        return found

    def parse_row(self, row, instance):
        parsed = Parsed()
        parsed.read(row, "code")
        parsed.read(row, "name")
        parsed.read(row, "short_name")
        parsed.read(row, "country")
        parsed.read(row, "kind", lambda v: parse_choice(v, Organization.Kind))
        parsed.read(row, "level", lambda v: parse_choice(v, Level))
        for key in ("parent", "party_of"):
            parsed.read(row, key, self.organizations.get_or_none)
        parsed.read(
            row,
            "successors",
            lambda v: [self.organizations.get(c) for c in split_list(v, ";\n")],
        )
        parsed.read(row, "version", parse_version)
        parsed.read(row, "area", lambda v: self.units.get(v) if cell_text(v) else None)
        parsed.read(
            row,
            "province",
            lambda v: self.units.get(v, provinces_only=True) if cell_text(v) else None,
        )
        parsed.read(
            row,
            "covered_communes",
            lambda v: sorted({self.units.get(c).pk for c in split_list(v, ";,\n")}),
        )
        parsed.read(row, "founded_on", parse_date)
        parsed.read(row, "dissolved_on", parse_date)
        if not parsed.get("name"):
            parsed.error("name", _("Hãy ghi tên tổ chức."))
        if instance.pk is None:
            for key in ("kind", "level"):
                if not parsed.get(key):
                    parsed.error(key, _("Bắt buộc với tổ chức mới."))
            if parsed.get("province") is None and not self.scope.everything:
                # A province's staff create organizations of their own province.
                parsed.values["province"] = self.units.by_id.get(self.scope.province_id)
        return parsed

    def changes(self, parsed: Parsed) -> dict:
        """Attribute values the row sets; a blank kind or level keeps the current one."""
        values = {}
        for key in ("code", "name", "short_name", "country", "founded_on"):
            if parsed.has(key):
                values[key] = parsed.get(key) or (None if key in ("code", "founded_on") else "")
        for key in ("kind", "level"):
            if parsed.get(key):
                values[key] = parsed.get(key)
        for key in _ORG_LINKS:
            if parsed.has(key):
                values[key] = parsed.get(key)
        return values

    def is_unchanged(self, organization, parsed):
        if any(getattr(organization, k) != v for k, v in self.changes(parsed).items()):
            return False
        if parsed.has("dissolved_on") and parsed.get("dissolved_on") != organization.dissolved_on:
            return False
        if parsed.has("successors") and {o.pk for o in parsed.get("successors")} != set(
            organization.successors.values_list("pk", flat=True)
        ):
            return False
        return not parsed.has("covered_communes") or parsed.get(
            "covered_communes"
        ) == self.covered.get(organization.pk, [])

    def check_scope(self, organization, parsed):
        if self.scope.everything:
            return
        code = parsed.get("code") or ""
        if organization.pk is None and code.casefold() in self.hidden_codes:
            raise ValidationError(
                {"code": _("Mã “%(code)s” không dùng được; hãy dùng mã khác.") % {"code": code}}
            )
        province = parsed.get("province") if parsed.has("province") else organization.province
        province_id = province.pk if province else None
        if organization.pk is not None and organization.province_id != self.scope.province_id:
            raise ValidationError(
                _("Tổ chức này không thuộc phạm vi của bạn; bạn không thể sửa nó.")
            )
        if province_id != self.scope.province_id:
            raise ValidationError(
                {"province": _("Bạn chỉ có thể nhập tổ chức thuộc tỉnh, thành phố của mình.")}
            )

    def write(self, organization, parsed, is_create):
        """Through the organization services, with the row's version checked."""
        data = (
            organization_services.OrganizationInput(name="", kind="", level="")
            if is_create
            else organization_services.organization_input_from(organization)
        )
        for attr, value in self.changes(parsed).items():
            setattr(data, attr, value)
        if parsed.has("covered_communes"):
            data.covered_communes = list(
                AdministrativeUnit.objects.filter(pk__in=parsed.get("covered_communes"))
            )
        if is_create:
            saved = organization_services.organization_create(user=self.user, data=data)
        elif parsed.get("version") is None:
            raise ValidationError(
                {
                    "version": _(
                        "Hãy ghi phiên bản của tổ chức như trong tệp xuất ra (cột “Phiên bản”), "
                        "để không ghi đè thay đổi mới hơn."
                    )
                }
            )
        else:
            saved = organization_services.organization_update(
                organization=organization,
                user=self.user,
                data=data,
                expected_version=parsed.get("version"),
            )
        dissolved_on = parsed.get("dissolved_on") if parsed.has("dissolved_on") else None
        if dissolved_on is not None and (
            dissolved_on != saved.dissolved_on
            or (
                parsed.has("successors")
                and set(parsed.get("successors")) != set(saved.successors.all())
            )
        ):
            organization_services.organization_dissolve(
                organization=saved,
                user=self.user,
                on=dissolved_on,
                successors=parsed.get("successors") or [],
                expected_version=saved.version,
            )
        if parsed.has("covered_communes"):
            self.covered[saved.pk] = parsed.get("covered_communes")
        return saved

    def remember(self, saved, row):
        self.organizations.add(saved)

    def export_queryset(self, queryset):
        return queryset.select_related("parent", "area", "province", "party_of").prefetch_related(
            "covered_communes", "successors"
        )

    def export_values(self, o):
        def ref(other):
            return (other.code or other.name) if other else ""

        return {
            "code": o.code or "",
            "name": o.name,
            "short_name": o.short_name,
            "kind": o.get_kind_display(),
            "level": o.get_level_display(),
            "parent": ref(o.parent),
            "area": o.area.code if o.area else "",
            "province": o.province.code if o.province else "",
            "party_of": ref(o.party_of),
            "covered_communes": "; ".join(sorted(c.code for c in o.covered_communes.all())),
            "country": o.country,
            "founded_on": date_out(o.founded_on),
            "dissolved_on": date_out(o.dissolved_on),
            "successors": "; ".join(sorted(ref(s) for s in o.successors.all())),
            "version": o.version,
            "area_name": str(o.area) if o.area else "",
            "province_name": o.province.name if o.province else "",
        }
