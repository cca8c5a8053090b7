"""A person's data as a download: JSON (everything, as stored) or XLSX (one sheet per kind)."""

from __future__ import annotations

import io
import json

from lms.staff.exports.datasets import neutralize

SHEET_TITLES = {
    "account": "Akun", "profile": "Profil", "enrollments": "Pendaftaran", "consents": "Persetujuan",
    "survey_answers": "Jawaban survei", "business_snapshots": "Data usaha", "submissions": "Tugas",
    "quiz_attempts": "Kuis", "certificates": "Sertifikat", "deletion_requests": "Permintaan hapus",
    "knowledge_tests": "Tes pengetahuan",  # knowledge
}


def to_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _cell(value):
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return neutralize(value) if isinstance(value, str) else value


def to_xlsx(data: dict) -> bytes:
    """Write each section as a sheet; text cells are stored as text, never formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for key, title in SHEET_TITLES.items():
        section = data.get(key)
        rows = [section] if isinstance(section, dict) else list(section or [])
        sheet = workbook.create_sheet(title=title)
        columns = list(rows[0].keys()) if rows and rows[0] else []

        def cells(values, sheet=sheet):
            for value in values:
                cell = WriteOnlyCell(sheet, value=_cell(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                yield cell

        sheet.append(list(cells(columns)))
        for row in rows:
            if row:
                sheet.append(list(cells(row.get(column) for column in columns)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
