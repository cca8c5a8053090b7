"""Reading a registrant file (pure): CSV or XLSX bytes into a header and its non-empty rows.

Registration forms export in any encoding and delimiter a spreadsheet produces;
`read_table` accepts UTF-8, UTF-8 with BOM and Windows-1252 with , ; or tab, and
XLSX, and refuses everything else with a message staff can act on.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16 exports: refused with a clear message
_DELIMITER_NAMES = {",": ",", ";": ";", "\t": "tab"}


class ImportFileError(ValueError):
    """The uploaded file cannot be read as a registrant table; the message is for staff."""


@dataclass
class Table:
    """A registrant file as text: its header and its non-empty rows with their line numbers."""

    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    encoding: str = ""
    delimiter: str = ""
    skipped_empty: int = 0

    def samples(self, column: int, limit: int = 3) -> list[str]:
        """Return the first few non-empty values of a column, to help staff map it."""
        values = (cells[column] for _line, cells in self.rows if column < len(cells) and cells[column])
        return [value for value, _ in zip(values, range(limit), strict=False)]

    def facts(self) -> dict:
        """Return what the pages show about the file itself (encoding, delimiter, sizes)."""
        return {"encoding": self.encoding, "delimiter": self.delimiter, "rows": len(self.rows),
                "empty_rows": self.skipped_empty, "columns": len(self.header)}


def is_xlsx(data: bytes) -> bool:
    """Tell whether the bytes are a workbook (a zip), whatever the file is called."""
    return data.startswith(XLSX_MAGIC)


def read_table(data: bytes, filename: str = "") -> Table:
    """Read CSV (UTF-8, UTF-8 with BOM or Windows-1252; , ; or tab) or XLSX bytes into a Table."""
    if not data.strip():
        raise ImportFileError(_l("Berkas kosong."))
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(_l("Berkas lebih dari 10 MB. Pecah menjadi beberapa berkas."))
    if is_xlsx(data):
        return _read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xls")) or data.startswith(_OLE_MAGIC):
        raise ImportFileError(_l("Berkas Excel ini tidak bisa dibaca. Simpan sebagai .xlsx atau .csv lalu coba lagi."))
    text, encoding = _decode(data)
    return _read_csv(text, encoding)


def _decode(data: bytes) -> tuple[str, str]:
    """Decode text the way spreadsheets save it; refuse binary junk."""
    if data.startswith(_BOMS):
        raise ImportFileError(_l("Berkas memakai encoding UTF-16. Simpan ulang sebagai CSV UTF-8."))
    if b"\x00" in data[:65536]:
        raise ImportFileError(_l("Berkas ini bukan CSV atau XLSX (isinya data biner)."))
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 (BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise ImportFileError(_l("Encoding berkas tidak dikenali. Simpan ulang sebagai CSV UTF-8.")) from error


def _sniff_delimiter(text: str) -> str:
    """Pick , ; or tab: the one that splits the header line most consistently."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ","

    def score(delimiter: str) -> tuple[int, int]:
        try:
            counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
        except csv.Error:  # e.g. a field over the csv module's size limit: reading it says which line
            return (0, 0)
        header = counts[0]
        return (sum(count == header for count in counts) if header > 1 else 0, header)

    return max((",", ";", "\t"), key=score)


def _read_csv(text: str, encoding: str) -> Table:
    """Split CSV text into a header and non-empty rows."""
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # line_num is read after each row is parsed, so it names the row's last physical line.
        header, rows, skipped = _split_header((reader.line_num, [_clean_cell(c) for c in cells]) for cells in reader)
    except csv.Error as error:
        raise ImportFileError(_l("Baris %(line)s tidak bisa dibaca sebagai CSV.", line=reader.line_num)) from error
    return _finish_table(header, rows, encoding, _DELIMITER_NAMES[delimiter], skipped)


def _read_xlsx(data: bytes) -> Table:
    """Read the first sheet of a workbook; numbers that lost their leading zero get it back."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(_l("Berkas XLSX rusak atau bukan XLSX.")) from error
    try:
        numbered = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
        header, rows, skipped = _split_header((line, [_xlsx_cell(v) for v in values]) for line, values in numbered)
    finally:
        workbook.close()
    return _finish_table(header, rows, "XLSX", "", skipped)


def _split_header(numbered_rows: Iterable[tuple[int, list[str]]]):
    """Return (header, data rows, empty rows after the header) from cleaned (line, cells) pairs."""
    header, rows, skipped = None, [], 0
    for line, cells in numbered_rows:
        if not any(cells):
            skipped += header is not None
        elif header is None:
            header = cells
        else:
            rows.append((line, cells))
            if len(rows) > MAX_IMPORT_ROWS:
                raise ImportFileError(_l("Berkas berisi lebih dari 20.000 baris."))
    return header, rows, skipped


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        # Excel stores 0812… typed into a number cell as 812…; the zero is only formatting.
        return "0" + text if text.startswith("8") else text
    return _clean_cell(str(value))


def _clean_cell(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _finish_table(header, rows, encoding, delimiter, skipped) -> Table:
    if header is None:
        raise ImportFileError(_l("Berkas tidak berisi baris apa pun."))
    if not rows:
        raise ImportFileError(_l("Berkas hanya berisi judul kolom, tanpa data peserta."))
    return Table(header=header, rows=rows, encoding=encoding, delimiter=delimiter, skipped_empty=skipped)
