"""`lms cohorts create` and `lms registrants import`: the import pages' checks for scripts."""

from pathlib import Path

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Cohort, Enrollment, ImportBatch, User

FIXTURES = Path(__file__).parent / "fixtures"


def test_cohorts_create_is_idempotent(runner):
    result = runner.invoke(args=["lms", "cohorts", "create", "--slug", "ftd-2027-1", "--name", "FTD 2027 Gelombang 1",
                                 "--course", "ftd-umkm", "--capacity", "850"])
    assert result.exit_code == 0, result.output
    cohort = db.session.scalar(select(Cohort).where(Cohort.slug == "ftd-2027-1"))
    assert (cohort.name, cohort.capacity, cohort.course_id) == ("FTD 2027 Gelombang 1", 850, "ftd-umkm")
    again = runner.invoke(args=["lms", "cohorts", "create", "--slug", "ftd-2027-1", "--name", "Lain"])
    assert again.exit_code == 0 and "already exists" in again.output
    assert db.session.scalar(select(func.count()).select_from(Cohort)) == 1


def test_cohorts_create_refuses_a_bad_slug_or_course(runner):
    assert runner.invoke(args=["lms", "cohorts", "create", "--slug", "FTD 2027", "--name", "X"]).exit_code == 2
    bad = runner.invoke(args=["lms", "cohorts", "create", "--slug", "x", "--name", "X", "--course", "tidak-ada"])
    assert bad.exit_code == 2 and "unknown course" in bad.output


def test_registrants_import_dry_run_then_import_twice(runner, app):
    runner.invoke(args=["lms", "cohorts", "create", "--slug", "gel-1", "--name", "Gelombang 1"])
    path = str(FIXTURES / "pendaftar_bom.csv")
    dry = runner.invoke(args=["lms", "registrants", "import", "--cohort", "gel-1", path, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Akun baru: 15" in dry.output and "Dry run: nothing imported." in dry.output
    assert "Kesalahan: Nomor HP tidak valid" in dry.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    first = runner.invoke(args=["lms", "registrants", "import", "--cohort", "gel-1", path])
    assert first.exit_code == 0 and "Imported: 15 new" in first.output
    second = runner.invoke(args=["lms", "registrants", "import", "--cohort", "gel-1", path])
    assert second.exit_code == 0 and "Imported: 0 new, 0 updated" in second.output
    assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 15
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 3


def test_registrants_import_exits_non_zero_when_the_file_cannot_be_read(runner, tmp_path):
    runner.invoke(args=["lms", "cohorts", "create", "--slug", "gel-1", "--name", "Gelombang 1"])
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = runner.invoke(args=["lms", "registrants", "import", "--cohort", "gel-1", str(broken)])
    assert result.exit_code == 1 and "cannot be read" in result.output
    missing = runner.invoke(args=["lms", "registrants", "import", "--cohort", "gel-1", str(tmp_path / "x.csv")])
    assert missing.exit_code == 1
    unknown = runner.invoke(args=["lms", "registrants", "import", "--cohort", "tidak-ada", str(broken)])
    assert unknown.exit_code == 2
