"""The import graph of lms/ has no cycles, and views never import other views.

The graph is read from the source (every import statement, also those inside
functions, which only hide a cycle until the function runs). One edge is left
out on purpose: a module importing its own enclosing package, as in Flask's
"larger applications" pattern (the package's __init__ creates `bp`, then imports
its views, which take `bp` back). Python resolves that because the package is
already running, and lms.staff does without it (tested below).
"""

from __future__ import annotations

import ast
from pathlib import Path

import lms.staff

LMS_ROOT = Path(__file__).resolve().parent.parent / "lms"


def module_files(root: Path = LMS_ROOT) -> dict[str, Path]:
    """Map every module name under lms/ (migrations excepted) to its file."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _known(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the lms modules one module imports (a `from package import submodule` counts as the submodule)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(_known(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in modules else _known(base, modules))
    found.discard(None)
    found.discard(name)
    return found


def import_graph(modules: dict[str, Path] | None = None) -> dict[str, set[str]]:
    """Return module → imported modules, leaving out imports of the module's own enclosing packages."""
    modules = modules or module_files()
    graph = {}
    for name, path in modules.items():
        graph[name] = {target for target in imported_modules(name, path, modules)
                       if not name.startswith(target + ".")}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one import cycle as a path (first module repeated at the end), or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_and_passes_a_tree():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_reads_relative_and_submodule_imports(tmp_path):
    package = tmp_path / "lms" / "area"
    package.mkdir(parents=True)
    (tmp_path / "lms" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("from lms.area import views\n")
    (package / "views.py").write_text(
        "from lms.area import bp\nfrom . import rules\n\ndef later():\n    from lms import other\n")
    (package / "rules.py").write_text("")
    (tmp_path / "lms" / "other.py").write_text("import lms.area.rules\n")
    graph = import_graph(module_files(tmp_path / "lms"))
    assert graph["lms.area.views"] == {"lms.area.rules", "lms.other"}  # `from lms.area import bp`: own package
    assert graph["lms.area"] == {"lms.area.views"}
    assert graph["lms.other"] == {"lms.area.rules"}


def test_lms_has_no_import_cycle():
    assert find_cycle(import_graph()) is None


def test_nothing_in_the_staff_console_imports_its_package_or_another_views_module():
    modules = module_files()
    for name, path in modules.items():
        if not name.startswith("lms.staff."):
            continue
        targets = imported_modules(name, path, modules)
        assert "lms.staff" not in targets, f"{name} imports lms.staff (take bp from lms.staff.blueprint)"
        if name.endswith("views"):
            assert not {t for t in targets if t.endswith("views")}, f"{name} imports another views module"


# Known before the staff split (the home page shows the programme page); left to its owners.
VIEWS_IMPORTING_VIEWS = {("lms.main.views", "lms.registration.views")}


def test_views_modules_never_import_other_views_modules():
    modules = module_files()
    for name, path in modules.items():
        if name.rpartition(".")[2].endswith("views"):
            views = {t for t in imported_modules(name, path, modules) if t.rpartition(".")[2].endswith("views")}
            assert not views - {t for n, t in VIEWS_IMPORTING_VIEWS if n == name}, f"{name} imports {sorted(views)}"


def test_every_staff_views_module_is_attached_to_the_blueprint():
    on_disk = {name for name in module_files() if name.startswith("lms.staff.") and name.endswith(".views")}
    assert on_disk == {module.__name__ for module in lms.staff.VIEW_MODULES}
