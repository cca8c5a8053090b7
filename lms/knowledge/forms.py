"""Reading the posted test form: one radio group per item, named after its module and question."""

from __future__ import annotations

from collections.abc import Sequence

from werkzeug.datastructures import MultiDict

from lms.content.schema import KnowledgeTest


def field_name(module_id: str, question_id: str) -> str:
    """The form field of one item (module ids and question ids never contain "--" twice)."""
    return f"{module_id}--{question_id}"


def read_posted_answers(tests: Sequence[KnowledgeTest], form: MultiDict) -> dict[str, dict[str, str]]:
    """Module id → question id → chosen choice id; anything not a choice of that item is left out."""
    answers: dict[str, dict[str, str]] = {}
    for test in tests:
        given = answers.setdefault(test.module_id, {})
        for question in test.questions:
            value = form.get(field_name(test.module_id, question.id), "")
            if value in {choice.id for choice in question.choices}:
                given[question.id] = value
    return answers
