"""Collect problems for one file while it is being parsed."""

from .schema import Problem


class Report:
    """Accumulate problems that all belong to one repository-relative path."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        """Record a problem at ``line`` (1-based; 0 = whole file)."""
        self.problems.append(Problem(self.path, line, message))

    @property
    def ok(self) -> bool:
        """Return True while no problem has been recorded."""
        return not self.problems
