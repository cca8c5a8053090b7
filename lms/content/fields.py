"""Validate the keys of a YAML mapping, reporting each problem at its line."""

import difflib
from collections.abc import Collection
from typing import Any

from .frontmatter import YamlDoc
from .report import Report


class Fields:
    """Typed access to a YAML mapping that reports missing or invalid values.

    ``prefix`` locates nested mappings (e.g. ``("kelulusan",)``); missing keys
    are reported at ``anchor_line`` because they have no line of their own.
    """

    def __init__(
        self,
        doc: YamlDoc,
        report: Report,
        *,
        anchor_line: int,
        where: str,
        prefix: tuple[str | int, ...] = (),
    ) -> None:
        self.doc = doc
        self.report = report
        self.anchor_line = anchor_line
        self.where = where
        self.prefix = prefix
        self.data = _mapping_at(doc.data, prefix)

    def is_mapping(self) -> bool:
        """Report and return False unless the data is a ``key: value`` mapping."""
        if isinstance(self.data, dict):
            return True
        line = self.doc.line(*self.prefix, default=self.anchor_line)
        self.report.add(line, f"{self.where} harus berisi baris 'kunci: nilai'")
        return False

    def line(self, key: str) -> int:
        """Return the line of ``key``, or the anchor line when it is absent."""
        return self.doc.line(*self.prefix, key, default=self.anchor_line)

    def reject_unknown(self, allowed: Collection[str]) -> None:
        """Report every key that is not in ``allowed``, suggesting a near match."""
        for key in self.data:
            if key in allowed:
                continue
            name = str(key)
            guess = difflib.get_close_matches(name, list(allowed), n=1)
            hint = f" (maksudnya '{guess[0]}'?)" if guess else ""
            self.report.add(self.line(name), f"kunci '{name}' tidak dikenal di {self.where}{hint}")

    def present(self, key: str, *, required: bool) -> bool:
        """Return True if ``key`` has a value; report it when required and absent."""
        if self.data.get(key) is not None:
            return True
        if required:
            self.report.add(self.line(key), f"kunci '{key}' wajib diisi di {self.where}")
        return False

    def text(self, key: str, *, required: bool = True) -> str | None:
        """Return a non-empty one-line-or-more text value."""
        if not self.present(key, required=required):
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report.add(self.line(key), f"'{key}' harus berupa teks")
            return None
        result = " ".join(str(value).split())
        if not result:
            self.report.add(self.line(key), f"'{key}' tidak boleh kosong")
            return None
        return result

    def integer(self, key: str, *, low: int, high: int, required: bool = True) -> int | None:
        """Return a whole number between ``low`` and ``high`` inclusive."""
        if not self.present(key, required=required):
            return None
        value = self.data[key]
        # bool is a subclass of int in Python; "ya"/"true" must not pass as 1.
        if isinstance(value, bool) or not isinstance(value, int) or not (low <= value <= high):
            self.report.add(self.line(key), f"'{key}' harus bilangan bulat {low}–{high}")
            return None
        return value

    def text_list(self, key: str, *, required: bool = True) -> tuple[str, ...] | None:
        """Return a list of non-empty texts (a single text counts as one item)."""
        if not self.present(key, required=required):
            return None
        value = self.data[key]
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            self.report.add(self.line(key), f"'{key}' harus berupa daftar (baris diawali '- ')")
            return None
        result: list[str] = []
        for index, item in enumerate(items):
            text = _as_text(item)
            if text is None:
                line = self.doc.line(*self.prefix, key, index, default=self.line(key))
                self.report.add(line, f"isi daftar '{key}' harus teks yang tidak kosong")
                continue
            result.append(text)
        return tuple(result) if len(result) == len(items) else None

    def choice(self, key: str, options: Collection[str], *, default: str) -> str | None:
        """Return one of ``options`` (case-insensitive), or ``default`` if absent."""
        if not self.present(key, required=False):
            return default
        value = self.data[key]
        text = str(value).strip().lower() if not isinstance(value, bool) else ""
        if text in options:
            return text
        self.report.add(
            self.line(key),
            f"'{key}' harus salah satu dari: {', '.join(options)}",
        )
        return None

    def item_line(self, key: str, index: int) -> int:
        """Return the line of item ``index`` of list ``key``."""
        return self.doc.line(*self.prefix, key, index, default=self.line(key))


def _mapping_at(data: Any, prefix: tuple[str, ...]) -> Any:
    """Walk ``prefix`` into nested mappings; an empty document is an empty dict."""
    current = {} if data is None else data
    for key in prefix:
        if isinstance(key, int) and isinstance(current, list):
            current = current[key] if 0 <= key < len(current) else None
            continue
        if not isinstance(current, dict):
            return None
        current = current.get(key)
    return current


def _as_text(value: Any) -> str | None:
    """Return ``value`` as normalised text, or None if it is not usable text."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = " ".join(str(value).split())
    return text or None
