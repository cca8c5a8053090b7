"""Load every course and module under a repository root into a Library."""

from collections.abc import Callable
from pathlib import Path

from .courseparse import parse_course
from .frontmatter import decode_text
from .ids import id_rule, is_valid_id
from .knowledgeparse import parse_knowledge_test
from .moduleparse import KNOWLEDGE_FILE, load_module
from .report import Report
from .schema import Course, KnowledgeTest, Library, Module, Problem, frozen_mapping
from .surveyparse import Survey, parse_survey
from .versions import version_of

CONTENT_DIR = "content"
COURSES_DIR = "courses"
SURVEYS_DIR = "surveys"
MANIFEST_SUFFIXES = (".yaml", ".yml")


def load_library(root: Path, image_url_prefix: Callable[[str], str]) -> Library:
    """Parse, validate and render all content once; broken parts are left out."""
    problems: list[Problem] = []
    modules, broken = _load_modules(root, image_url_prefix, problems)
    status = {module_id: True for module_id in modules}
    status.update({module_id: False for module_id in broken})
    courses, broken_courses = _load_courses(root, status, problems)
    surveys = _load_surveys(root, problems)
    knowledge_tests = _load_knowledge_tests(root, problems)
    return Library(
        courses=frozen_mapping(courses),
        modules=frozen_mapping(modules),
        problems=tuple(sorted(problems)),
        broken_module_ids=frozenset(broken),
        broken_course_ids=frozenset(broken_courses),
        surveys=frozen_mapping(surveys),
        knowledge_tests=frozen_mapping(knowledge_tests),
    )


def _load_modules(
    root: Path, image_url_prefix: Callable[[str], str], problems: list[Problem]
) -> tuple[dict[str, Module], set[str]]:
    """Load each folder of content/; return good modules and broken ids."""
    content = root / CONTENT_DIR
    if not content.is_dir():
        problems.append(Problem(CONTENT_DIR, 0, "folder content/ tidak ditemukan"))
        return {}, set()
    modules: dict[str, Module] = {}
    broken: set[str] = set()
    for module_dir in _subdirectories(content):
        rel_dir = f"{CONTENT_DIR}/{module_dir.name}"
        if not is_valid_id(module_dir.name):
            problems.append(
                Problem(
                    rel_dir,
                    0,
                    f"nama folder modul '{module_dir.name}' tidak valid: {id_rule()}",
                )
            )
            continue
        try:
            module, found = load_module(module_dir, module_dir.name, rel_dir, image_url_prefix(module_dir.name))
        except OSError:
            # Files may be renamed or deleted by staff while the app reloads.
            module, found = None, [Problem(rel_dir, 0, "folder modul tidak bisa dibaca")]
        problems += found
        if module is None:
            broken.add(module_dir.name)
        else:
            modules[module.id] = module
    return modules, broken


def _load_courses(
    root: Path, module_status: dict[str, bool], problems: list[Problem]
) -> tuple[dict[str, Course], set[str]]:
    """Load each manifest in courses/; return good courses and broken ids."""
    folder = root / COURSES_DIR
    if not folder.is_dir():
        return {}, set()
    courses: dict[str, Course] = {}
    broken: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in MANIFEST_SUFFIXES or path.name.startswith("."):
            continue
        course_id = path.stem
        course, found = _load_course(path, course_id, module_status)
        problems += found
        if course is None:
            broken.add(course_id)
        elif course_id in courses:
            problems.append(Problem(f"{COURSES_DIR}/{path.name}", 0, f"kursus '{course_id}' ditulis di dua berkas"))
        else:
            courses[course_id] = course
    return courses, broken


def _load_course(path: Path, course_id: str, module_status: dict[str, bool]) -> tuple[Course | None, list[Problem]]:
    """Read and parse one manifest file."""
    report = Report(f"{COURSES_DIR}/{path.name}")
    try:
        raw = path.read_bytes()
    except OSError:
        report.add(0, "berkas tidak bisa dibaca")
        return None, report.problems
    text = decode_text(raw, report)
    if text is None:
        return None, report.problems
    course = parse_course(course_id, text, report, version=version_of(raw), module_status=module_status)
    return course, report.problems


def _load_surveys(root: Path, problems: list[Problem]) -> dict[str, Survey]:
    """Load each impact survey in courses/surveys/; a survey with any problem is left out."""
    folder = root / COURSES_DIR / SURVEYS_DIR
    surveys: dict[str, Survey] = {}
    if not folder.is_dir():
        return surveys
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in MANIFEST_SUFFIXES or path.name.startswith("."):
            continue
        report = Report(f"{COURSES_DIR}/{SURVEYS_DIR}/{path.name}")
        text = decode_text(path.read_bytes(), report)
        survey = parse_survey(path.stem, text, report) if text is not None else None
        problems += report.problems
        if survey is not None:
            surveys[survey.id] = survey
    return surveys


def _load_knowledge_tests(root: Path, problems: list[Problem]) -> dict[str, KnowledgeTest]:
    """Load each module's pengetahuan.md; one with any problem is left out (its module stays published)."""
    content = root / CONTENT_DIR
    tests: dict[str, KnowledgeTest] = {}
    if not content.is_dir():
        return tests
    for module_dir in _subdirectories(content):
        path = module_dir / KNOWLEDGE_FILE
        if not is_valid_id(module_dir.name) or not path.is_file():
            continue
        report = Report(f"{CONTENT_DIR}/{module_dir.name}/{KNOWLEDGE_FILE}")
        try:
            raw = path.read_bytes()
        except OSError:
            report.add(0, "berkas tidak bisa dibaca")
            raw = None
        text = decode_text(raw, report) if raw is not None else None
        test = None
        if text is not None:
            test = parse_knowledge_test(module_dir.name, text, report, version=version_of(raw))
        problems += report.problems
        if test is not None:
            tests[test.module_id] = test
    return tests


def _subdirectories(folder: Path) -> list[Path]:
    """List visible sub-folders in name order (hidden ones like .git are skipped)."""
    return sorted(child for child in folder.iterdir() if child.is_dir() and not child.name.startswith("."))
