"""Parse a course manifest, courses/<id>.yaml."""

import re
from collections.abc import Mapping

from .fields import Fields
from .frontmatter import parse_yaml
from .ids import id_rule, is_valid_id
from .report import Report
from .schema import Course

MANIFEST_KEYS = ("judul", "deskripsi", "modul", "kelulusan", "sertifikat", "sertifikat_terbaik")
COMPLETION_KEYS = ("nilai_lulus_kuis", "modul_dibaca", "kuis_lulus", "tugas_diterima")
# Optional in `kelulusan`: the share of the cohort's held sessions a graduate must attend (lms.bootcamp).
ATTENDANCE_KEY = "kehadiran_minimal"
# Template names end up in file paths, so keep them to safe characters.
_TEMPLATE = re.compile(r"[a-z0-9][a-z0-9_-]*")


def parse_course(
    course_id: str,
    text: str,
    report: Report,
    *,
    version: str,
    module_status: Mapping[str, bool],
) -> Course | None:
    """Build a Course from manifest text; None if the manifest itself is invalid.

    ``module_status`` maps every module folder id to True (loaded) or False
    (has problems). Unknown or broken modules are reported but only drop out
    of ``module_ids``; the course itself is kept.
    """
    if not is_valid_id(course_id):
        report.add(0, f"id kursus '{course_id}' (nama berkas) tidak valid: {id_rule()}")
    doc = parse_yaml(text, report)
    if doc is None:
        return None
    fields = Fields(doc, report, anchor_line=1, where="manifest kursus")
    if not fields.is_mapping():
        return None
    fields.reject_unknown(MANIFEST_KEYS)
    title = fields.text("judul")
    description = _description(fields)
    listed = _module_ids(fields)
    completion = _completion(fields)
    certificate = _template(fields, "sertifikat", required=True)
    top_certificate = _template(fields, "sertifikat_terbaik", required=False)
    manifest_ok = report.ok
    if listed is None or completion is None or not manifest_ok:
        return None
    good = _check_modules(fields, listed, module_status)
    if title is None or description is None or certificate is None:
        return None
    pass_mark, require_read, require_quiz, require_assignment, attendance_minimum = completion
    return Course(
        id=course_id,
        title=title,
        description=description,
        module_ids=good,
        pass_mark=pass_mark,
        require_read=require_read,
        require_quiz=require_quiz,
        require_assignment=require_assignment,
        certificate_template=certificate,
        top_certificate_template=top_certificate,
        version=version,
        listed_module_ids=listed,
        attendance_minimum=attendance_minimum,
    )


def _description(fields: Fields) -> str | None:
    """Read ``deskripsi``, keeping blank-line paragraph breaks."""
    if not fields.present("deskripsi", required=True):
        return None
    value = fields.data["deskripsi"]
    if not isinstance(value, str) or not value.strip():
        fields.report.add(fields.line("deskripsi"), "'deskripsi' harus berupa teks")
        return None
    paragraphs = re.split(r"\n\s*\n", value.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def _module_ids(fields: Fields) -> tuple[str, ...] | None:
    """Read ``modul``: valid, unique module ids in order."""
    values = fields.text_list("modul")
    if values is None:
        return None
    seen: set[str] = set()
    for index, module_id in enumerate(values):
        line = fields.item_line("modul", index)
        if not is_valid_id(module_id):
            fields.report.add(line, f"id modul '{module_id}' tidak valid: {id_rule()}")
        elif module_id in seen:
            fields.report.add(line, f"modul '{module_id}' tercantum dua kali")
        seen.add(module_id)
    return values


def _completion(fields: Fields) -> tuple[int, bool, bool, bool, int | None] | None:
    """Read the ``kelulusan`` block."""
    if not fields.present("kelulusan", required=True):
        return None
    block = Fields(
        fields.doc, fields.report, anchor_line=fields.line("kelulusan"), where="kelulusan", prefix=("kelulusan",)
    )
    if not block.is_mapping():
        return None
    block.reject_unknown((*COMPLETION_KEYS, ATTENDANCE_KEY))
    pass_mark = block.integer("nilai_lulus_kuis", low=0, high=100)
    flags = [block.choice(key, ("semua", "tidak"), default="semua") for key in COMPLETION_KEYS[1:]]
    attendance = block.integer(ATTENDANCE_KEY, low=1, high=100, required=False)
    if pass_mark is None or None in flags:
        return None
    read, quiz, assignment = (flag == "semua" for flag in flags)
    return pass_mark, read, quiz, assignment, attendance


def _template(fields: Fields, key: str, *, required: bool) -> str | None:
    """Read a certificate template name."""
    name = fields.text(key, required=required)
    if name is None:
        return None
    if not _TEMPLATE.fullmatch(name):
        fields.report.add(
            fields.line(key), f"nama template '{name}' tidak valid: pakai huruf kecil, angka, '-' dan '_' saja"
        )
        return None
    return name


def _check_modules(fields: Fields, listed: tuple[str, ...], module_status: Mapping[str, bool]) -> tuple[str, ...]:
    """Report unknown or broken modules; return the ones that loaded."""
    good: list[str] = []
    for index, module_id in enumerate(listed):
        line = fields.item_line("modul", index)
        status = module_status.get(module_id)
        if status is None:
            fields.report.add(line, f"modul '{module_id}' tidak ditemukan di content/")
        elif not status:
            fields.report.add(
                line, f"modul '{module_id}' punya masalah dan belum bisa diterbitkan (lihat content/{module_id}/)"
            )
        else:
            good.append(module_id)
    return tuple(good)
