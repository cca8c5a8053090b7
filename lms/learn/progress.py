"""Course progress as pure functions of what a participant has done."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ModuleProgress:
    module_id: str
    read: bool


@dataclass(frozen=True)
class CourseProgress:
    modules: tuple[ModuleProgress, ...]

    @property
    def done(self) -> int:
        return sum(1 for module in self.modules if module.read)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.modules)) if self.modules else 0

    def of(self, module_id: str) -> ModuleProgress | None:
        """Return the progress of one module."""
        return next((m for m in self.modules if m.module_id == module_id), None)


def course_progress(module_ids: list[str], read_module_ids: set[str]) -> CourseProgress:
    """Return per-module and overall progress for a course."""
    return CourseProgress(tuple(ModuleProgress(module_id, module_id in read_module_ids) for module_id in module_ids))
