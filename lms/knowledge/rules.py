"""Knowledge test rules: pure functions of the items, the answers and a participant's progress.

* A module's score is 100 × items answered right ÷ items (0–100); an item left
  empty earns nothing (the form asks for every item, so this happens only for a
  tampered or outdated form).
* The pre-test is open until the participant starts learning (marks a module read
  or submits a quiz): after that it would measure the course, not the starting point.
* The post-test opens when every module of the course is marked read, and stays open
  until it is taken.
* Pairing: a module's pre and post scores pair when both tests scored that module on
  the same version of its items. A participant's overall score of a test is
  100 × points ÷ items over the modules that pair for them, so pre and post are
  measured on the same items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from lms.content.schema import KnowledgeTest

PHASES = ("pre", "post")
# The URL words (Indonesian) for the two phases.
PHASE_BY_SLUG = {"awal": "pre", "akhir": "post"}
SLUG_BY_PHASE = {phase: slug for slug, phase in PHASE_BY_SLUG.items()}

Scores = Mapping[str, Mapping[str, object]]  # module id → {"version", "points", "items"}


def score_module(test: KnowledgeTest, answers: Mapping[str, object]) -> dict:
    """Score one module's items: {"version", "points", "items"}."""
    points = sum(1 for question in test.questions
                 if isinstance(answers.get(question.id), str) and answers[question.id] in question.correct_choice_ids)
    return {"version": test.version, "points": points, "items": len(test.questions)}


def score_answers(tests: Sequence[KnowledgeTest], answers: Mapping[str, Mapping[str, object]]) -> dict[str, dict]:
    """Score every module of a test: module id → {"version", "points", "items"}."""
    return {test.module_id: score_module(test, answers.get(test.module_id, {})) for test in tests}


def percent(points: float, items: float) -> float | None:
    """100 × points ÷ items, or None when there are no items."""
    return None if not items else 100 * points / items


def module_percent(entry: Mapping[str, object]) -> float | None:
    """A stored module score as 0–100."""
    return percent(float(entry["points"]), float(entry["items"]))


def overall_percent(scores: Scores, module_ids: Iterable[str] | None = None) -> float | None:
    """100 × points ÷ items over the given modules of one test (all of them when None)."""
    chosen = [scores[m] for m in (scores if module_ids is None else module_ids) if m in scores]
    return percent(sum(float(e["points"]) for e in chosen), sum(float(e["items"]) for e in chosen))


def unanswered(tests: Sequence[KnowledgeTest], answers: Mapping[str, Mapping[str, object]]) -> list[tuple[str, str]]:
    """(module id, question id) of every item without a valid choice, in page order."""
    missing = []
    for test in tests:
        given = answers.get(test.module_id, {})
        for question in test.questions:
            if given.get(question.id) not in {choice.id for choice in question.choices}:
                missing.append((test.module_id, question.id))
    return missing


def pretest_state(*, has_items: bool, taken: bool, started_learning: bool) -> str:
    """"none" (no items), "taken", "open", or "closed" (learning has started without it)."""
    if not has_items:
        return "none"
    if taken:
        return "taken"
    return "closed" if started_learning else "open"


def posttest_state(*, has_items: bool, taken: bool, finished_modules: bool) -> str:
    """"none" (no items), "taken", "open", or "not_yet" (some module is not marked read)."""
    if not has_items:
        return "none"
    if taken:
        return "taken"
    return "open" if finished_modules else "not_yet"


def paired_modules(pre: Scores, post: Scores) -> list[str]:
    """The modules both tests scored on the same version of the items, in the pre-test's order."""
    return [m for m in pre if m in post and pre[m]["version"] == post[m]["version"]]


def knowledge_gain(results: Iterable[tuple[Scores | None, Scores | None]], module_ids: Sequence[str]) -> dict:
    """Mean pre and post scores (0–100) per module and overall, over paired participants, with n.

    `results` has one (pre scores, post scores) per participant, None for a test not taken.
    A module whose items changed between a participant's two tests is not paired for
    them and is counted in `changed_items`, never silently.
    """
    per_module = {m: {"pre": [], "post": [], "changed_items": 0} for m in module_ids}
    overall_pre, overall_post = [], []
    respondents_pre = respondents_post = 0
    for pre, post in results:
        respondents_pre += pre is not None
        respondents_post += post is not None
        if pre is None or post is None:
            continue
        paired = {m for m in paired_modules(pre, post) if m in per_module}
        for module_id in module_ids:
            if module_id in paired:
                per_module[module_id]["pre"].append(module_percent(pre[module_id]))
                per_module[module_id]["post"].append(module_percent(post[module_id]))
            elif module_id in pre and module_id in post:
                per_module[module_id]["changed_items"] += 1
        if paired:
            overall_pre.append(overall_percent(pre, paired))
            overall_post.append(overall_percent(post, paired))
    return {
        "respondents_pre": respondents_pre,
        "respondents_post": respondents_post,
        **_means(overall_pre, overall_post),
        "modules": [{"module": m, **_means(v["pre"], v["post"]), "changed_items": v["changed_items"]}
                    for m, v in per_module.items()],
    }


def _means(pre: list[float], post: list[float]) -> dict:
    """n, mean pre, mean post and their difference (None when nobody is paired)."""
    if not pre:
        return {"n": 0, "pre_mean": None, "post_mean": None, "gain_mean": None}
    pre_mean, post_mean = sum(pre) / len(pre), sum(post) / len(post)
    return {"n": len(pre), "pre_mean": pre_mean, "post_mean": post_mean, "gain_mean": post_mean - pre_mean}


def one_decimal(value: float | None) -> float | None:
    """Round half up to one decimal, as the impact report prints its figures."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def rounded_gain(gain: dict) -> dict:
    """The same figures with every mean rounded to one decimal."""
    keys = ("pre_mean", "post_mean", "gain_mean")
    out = {key: one_decimal(value) if key in keys else value for key, value in gain.items() if key != "modules"}
    out["modules"] = [{key: one_decimal(value) if key in keys else value for key, value in row.items()}
                      for row in gain["modules"]]
    return out
