"""A file's bytes as a table: a header of column names and rows of text cells.

CSV in UTF-8 (with or without a byte-order mark) is read as it is; any other
encoding (Windows-1251, KOI8-R, UTF-16 ...) is recognised by
charset-normalizer, since a list kept for years in Excel on a Russian
Windows is saved in Windows-1251 and says so nowhere. The delimiter (comma,
semicolon or tab) is found by the csv module's Sniffer. An .xlsx workbook is
read by openpyxl, its first sheet, values only (never formulas).

Limits: a file over MAX_FILE_BYTES or MAX_ROWS rows is refused whole, with a
message saying so, before any row is read into the database's terms; the
file is read into memory once (at most MAX_FILE_BYTES) and its rows one at a
time after that.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from charset_normalizer import from_bytes
from django.utils import formats
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
_XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(ValueError):
    """A file that cannot be imported at all, with the reason in words."""


@dataclass
class Table:
    header: list[str]
    # (line or row number in the file, cells), the header not counted among them
    rows: list[tuple[int, list[str]]]
    encoding: str


def read_table(data: bytes, name: str = "") -> Table:
    """The table in DATA, a CSV or xlsx file named NAME."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported at once. Split it.")
            % {
                "size": formats.number_format(len(data) / 2**20, 1),
                "limit": MAX_FILE_BYTES // 2**20,
            }
        )
    if not data.strip():
        raise UnreadableFile(_("The file is empty."))
    if data.startswith(_XLSX_MAGIC) or name.lower().endswith((".xlsx", ".xlsm")):
        table = _read_xlsx(data)
    else:
        table = _read_csv(data)
    if not any(cell.strip() for cell in table.header):
        raise UnreadableFile(_("The first row of the file must name the columns."))
    if len(table.rows) > MAX_ROWS:
        raise UnreadableFile(
            # Reading stopped at the first row past the limit: the count is not known.
            _(
                "The file has more than %(limit)s rows; at most %(limit)s can be imported at once. Split it."
            )
            % {"limit": formats.number_format(MAX_ROWS, force_grouping=True)}
        )
    return table


def _text(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[: 2 * 2**20]).best()
    if best is None or best.encoding is None:
        raise UnreadableFile(
            _(
                "The file's text encoding could not be recognised. "
                "Save it as CSV in UTF-8 (in Excel: “CSV UTF-8”) and import it again."
            )
        )
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        raise UnreadableFile(
            _("The file is not text in one encoding. Save it as CSV in UTF-8 and import it again.")
        ) from None


def _read_csv(data: bytes) -> Table:
    text, encoding = _text(data)
    if "\x00" in text:
        raise UnreadableFile(_("The file is not a CSV file or an Excel workbook (.xlsx)."))
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader, [])
        rows = []
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, cells))
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as error:
        raise UnreadableFile(
            _("The file is damaged near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    return Table(header=[cell.strip() for cell in header], rows=rows, encoding=encoding)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise UnreadableFile(
            _("The workbook is damaged or not an .xlsx file; open it in Excel and save it again.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [_cell(value) for value in next(lines, ())]
        rows = []
        for number, values in enumerate(lines, start=2):
            cells = [_cell(value) for value in values]
            if any(cell.strip() for cell in cells):
                rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                break
    finally:
        workbook.close()
    while header and not header[-1]:
        header.pop()
    return Table(header=[cell.strip() for cell in header], rows=rows, encoding="xlsx")


def _cell(value) -> str:
    """A workbook's value as the text a CSV would hold: a date as 2011-09-14."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
