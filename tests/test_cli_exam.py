"""``study exam`` and ``study plan``: sittings from piped input, paper exams, history, retakes."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, timedelta
from pathlib import Path

import pytest

import study.commands._common as common
from study.cli import main
from study.commands._exam_sitting import parse_response
from study.core.clock import Clock
from study.core.exams.questions import Question, QuestionKind
from tests.conftest import T0

DECK = """
title: Documents
id: docs
tags: [documents]
sources:
  - {id: vinh, title: Resolution 806 and its five focuses, author: Nguyen Chi Vinh}
cards:
  - {id: r806-date, type: typed, front: Date of Resolution 806-NQ/QUTW?, back: 31 December 2013,
     tags: [dates], source: {id: vinh, at: opening}, explain: The CMC issued it.}
  - {id: r34-date, type: typed, front: Date of Resolution 34-NQ/TW?, back: 9 January 2023, \
tags: [dates]}
  - {id: r59-date, type: typed, front: Date of Resolution 59-NQ/TW?, back: 24 January 2019, \
tags: [dates]}
  - {id: k53-date, type: typed, front: Date of Conclusion 53-KL/TW?, back: 28 April 2023, \
tags: [dates]}
  - {id: r806-no, type: typed, front: Number of the CMC resolution of 2013?, back: 806-NQ/QUTW, \
tags: [numbers]}
  - {id: r34-no, type: typed, front: Number of the Politburo resolution of 2023?, back: 34-NQ/TW, \
tags: [numbers]}
  - {id: body, type: choice, front: Which body issued Resolution 806-NQ/QUTW?, \
answer: The Central Military Commission,
     distractors: [The Politburo, The National Assembly, The Secretariat]}
  - {id: focuses, type: list, front: The three focuses, items: [research, cooperation, industry]}
"""
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "docs.yaml").write_text(DECK, encoding="utf-8")
    return folder


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, decks: Path) -> Run:
    """``run("exam", ..., stdin="...")``: exit code, stdout and stderr (fixture decks and clock)."""
    monkeypatch.setattr(common, "Clock", lambda: Clock(lambda: T0, UTC))

    def runner(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([*argv, "--decks", str(decks)])
        out, err = capsys.readouterr()
        return code, out, err

    return runner


def questions_of(run: Run, *argv: str) -> list[dict[str, object]]:
    """The questions an exam would ask, read from its JSON result with no answers given."""
    code, out, _ = run("exam", *argv, "--json", stdin="\n" * 50)
    assert code == 0
    return json.loads(out)["answers"]  # type: ignore[no-any-return]


def test_sitting_from_piped_input(run: Run) -> None:
    code, out, err = run(
        "exam",
        "--seed",
        "1",
        "--questions",
        "3",
        "--kinds",
        "typed",
        stdin="31 December 2013\n\n806-NQ/QUTW\n",
    )
    assert code == 0, err
    assert "Question 1 of 3 · typed" in out and "3/3 (type the answer) > " in out
    assert "Score: " in out and "Mistakes:" in out and "Retake them: study exam --retake 1" in out


def test_the_json_result_gives_every_answer_and_the_prompts_go_to_stderr(run: Run) -> None:
    code, out, err = run(
        "exam",
        "docs",
        "--seed",
        "2",
        "--questions",
        "2",
        "--kinds",
        "typed",
        "--json",
        stdin="nothing\nnothing either\n",
    )
    assert code == 0
    result = json.loads(out)
    assert "Question 1 of 2" in err
    assert result["id"] == 1 and result["questions"] == 2 and result["score"] == 0
    assert [a["given"] for a in result["answers"]] == ["nothing", "nothing either"]
    assert all(a["expected"] for a in result["answers"])
    assert result["by_deck"] == [{"name": "docs", "questions": 2, "score": 0, "share": 0.0}]


def test_right_answers_score(run: Run) -> None:
    asked = questions_of(run, "--seed", "4", "--questions", "2", "--kinds", "typed")
    answers = "".join(f"{a['expected']}\n" for a in asked)
    code, out, _ = run(
        "exam", "--seed", "4", "--questions", "2", "--kinds", "typed", "--json", stdin=answers
    )
    assert code == 0 and json.loads(out)["score"] == 2


def test_flag_skip_and_come_back(run: Run) -> None:
    asked = questions_of(run, "--seed", "3", "--questions", "2", "--kinds", "typed")
    script = f"*\n\n{asked[1]['expected']}\n1\n{asked[0]['expected']}\n\n"
    code, out, err = run(
        "exam", "--seed", "3", "--questions", "2", "--kinds", "typed", "--json", stdin=script
    )
    assert code == 0
    result = json.loads(out)
    assert result["score"] == 2
    assert [a["flagged"] for a in result["answers"]] == [True, False]
    assert "End of the questions; unanswered: 1; flagged: 1." in err


def test_letters_answer_choices_and_p_goes_back(run: Run) -> None:
    code, out, err = run(
        "exam",
        "--seed",
        "1",
        "--questions",
        "2",
        "--kinds",
        "choice,truefalse",
        "--json",
        stdin="B\np\nA\nB\n",
    )
    result = json.loads(out)
    assert code == 0 and "Question 1 of 2" in err
    assert err.count("Question 1 of 2") == 2  # 'p' came back to it
    first = result["answers"][0]
    assert first["response"] in (0, True)  # the second answer replaced the first
    assert result["answers"][1]["response"] in (1, False)


def test_f_answers_false_on_a_true_false_question_and_star_flags(run: Run) -> None:
    args = ("exam", "--seed", "1", "--questions", "2", "--kinds", "truefalse", "--json")
    code, out, err = run(*args, stdin="*\nf\nt\n")
    assert code == 0 and "Flagged." in err
    answers = json.loads(out)["answers"]
    assert [a["response"] for a in answers] == [False, True]
    assert [a["flagged"] for a in answers] == [True, False]


def test_end_of_input_without_answers_keeps_nothing(run: Run) -> None:
    code, out, _ = run("exam", "--seed", "1", "--questions", "3")
    assert code == 0 and "the exam was not kept" in out
    code, out, _ = run("exam", "--history", "--json")
    assert code == 0 and json.loads(out) == []


def test_q_hands_the_exam_in(run: Run) -> None:
    code, out, _ = run(
        "exam", "--seed", "1", "--questions", "5", "--kinds", "typed", "--json", stdin="x\nq\n"
    )
    result = json.loads(out)
    assert code == 0 and [a["given"] for a in result["answers"]][:2] == ["x", None]


def test_history_show_and_retake(run: Run) -> None:
    run("exam", "--seed", "5", "--questions", "3", "--kinds", "typed", stdin="a\nb\nc\n")
    code, out, _ = run("exam", "--history")
    assert code == 0 and "exam" in out and "0%" in out and "all decks" in out
    code, out, _ = run("exam", "--history", "--json")
    history = json.loads(out)
    assert [(h["id"], h["questions"], h["score"]) for h in history] == [(1, 3, 0)]
    code, out, _ = run("exam", "--show", "1", "--json")
    first = json.loads(out)
    code, out, _ = run("exam", "--retake", "last", "--json", stdin="\n\n\n")
    retake = json.loads(out)
    assert code == 0
    assert [a["items"] for a in retake["answers"]] == [a["items"] for a in first["answers"]]
    assert retake["title"] == "mistakes of exam 1"


def test_markdown_paper_with_answer_key(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "exam.md"
    code, out, err = run("exam", "--seed", "1", "--questions", "8", "--markdown", str(target))
    assert code == 0 and "Wrote 8 questions" in err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Mock exam: all decks") and "## Answer key" in text
    assert text.count("\n### ") == 8
    assert "Source: “Resolution 806 and its five focuses”" in text or "Source:" not in text
    code, out, _ = run("exam", "--seed", "1", "--questions", "8", "--markdown", "-")
    assert code == 0 and out == text
    code, _, _ = run("exam", "--history", "--json")
    assert code == 0


@pytest.mark.parametrize("option", ["--markdown", "--html"])
def test_a_paper_never_replaces_a_file_without_force(run: Run, tmp_path: Path, option: str) -> None:
    target = tmp_path / "mine.txt"
    target.write_text("my notes", encoding="utf-8")
    code, out, err = run("exam", "--seed", "1", "--questions", "1", option, str(target))
    assert (code, out) == (1, "")
    assert (
        err == f"study: {target} already exists: give another FILE, or add --force to replace it\n"
    )
    assert target.read_text(encoding="utf-8") == "my notes"
    code, _, err = run("exam", "--seed", "1", "-n", "1", option, str(target), "--force")
    assert code == 0 and err.startswith("Wrote 1 question and the answer key")  # one question
    assert target.read_text(encoding="utf-8") != "my notes"


def test_printable_html_paper_matches_the_markdown(run: Run, tmp_path: Path) -> None:
    page, text = tmp_path / "exam.html", tmp_path / "exam.md"
    code, _, err = run(
        "exam", "--seed", "1", "--questions", "8", "--html", str(page), "--markdown", str(text)
    )
    assert code == 0 and err.count("Wrote 8 questions") == 2
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "@media print" in html
    assert html.count("<h3>") == 8 and "<h2>Answer key</h2>" in html
    assert '<div style="page-break-before: always"></div>' in html  # the key starts on a new page
    for line in text.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):  # every question of the same exam is on the page
            assert line[4:].split("“")[0].strip()[:20].replace("&", "&amp;") in html


def test_errors_are_one_line(run: Run, tmp_path: Path) -> None:
    code, _, err = run("exam", "nosuchdeck")
    assert code == 2 and "no deck or tag is called 'nosuchdeck'" in err and err.count("\n") == 1
    code, _, err = run("exam", "--kinds", "essay")
    assert code == 2 and "unknown question kind 'essay'" in err
    code, _, err = run("exam", "--show", "9")
    assert code == 2 and "there is no exam 9" in err
    code, _, err = run("exam", "--retake", "last")
    assert code == 1 and "no exam has been taken yet" in err
    code, _, err = run("exam", "--questions", "0")
    assert code == 2 and "must be more than 0" in err
    code, _, err = run("exam", "--markdown", str(tmp_path / "missing" / "x.md"))
    assert code == 1 and "cannot write" in err


def test_plan_sets_the_exam_date_and_prints_the_forecast(run: Run) -> None:
    code, out, _ = run("plan", "--exam", "2026-03-16")
    assert code == 0
    assert "Exam on Monday 16 March 2026: in 14 days." in out
    assert "8 items, 8 never studied." in out and "1 new item a day" in out
    code, out, _ = run("plan", "--json")
    data = json.loads(out)
    assert (
        data["exam_date"] == "2026-03-16"
        and data["days_left"] == 14
        and data["expected_score"] == 0
    )
    assert data["new_per_day"] == 1 and len(data["days"]) == 14
    assert [d["name"] for d in data["decks"]] == ["docs"]
    code, _, _ = run("plan", "--clear")
    code, _, err = run("plan")
    assert code == 1 and "no exam date is set" in err


def test_plan_errors(run: Run) -> None:
    code, _, err = run("plan", "--exam", "16/13/2026")
    assert code == 2 and "is not a date" in err
    code, out, err = run("plan", "--exam", "2026-01-01")  # a bad argument, as in the README
    assert (code, out) == (2, "") and err.strip().endswith(
        "--exam: the exam date 2026-01-01 is in the past; give a date from today on"
    )
    assert len(err.strip().splitlines()) == 1
    code, _, err = run("plan", "--exam", "01/03/2026")  # yesterday, in the other form
    assert code == 2 and "in the past" in err
    code, _, err = run("plan", "--exam", "2026-03-02")  # today is fine
    assert code == 0
    code, _, err = run("plan", "--exam", "9999-12-31")  # was 20 s, 420 MB, then OverflowError
    assert code == 2 and err.strip().endswith(
        "the exam date 9999-12-31 is more than 10 years away; give a date up to 2036-03-02"
    )
    assert len(err.strip().splitlines()) == 1
    code, _, err = run("plan", "--exam", "2026-03-16", "--target", "90")
    assert code == 2 and "between 0 and 1" in err
    code, out, _ = run("plan", "--exam", "2026-03-16", "--target", "0.95", "--json")
    assert code == 0 and json.loads(out)["target"] == 0.95


def test_a_kept_exam_date_that_has_passed_is_refused_with_what_to_do(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("plan", "--exam", "2026-03-04")[0] == 0
    monkeypatch.setattr(common, "Clock", lambda: Clock(lambda: T0 + timedelta(days=3), UTC))
    code, out, err = run("plan")
    assert (code, out) == (1, "") and err.strip().endswith(
        "the exam date 2026-03-04 has passed: set the next one with "
        "'study plan --exam DATE', or remove it with 'study plan --clear'"
    )
    assert run("plan", "--exam", "2026-03-20")[0] == 0


def test_plan_target_drives_the_plan_and_is_kept(run: Run) -> None:
    code, out, err = run("plan", "--exam", "16/03/2026", "--target", "0.8", "--json")
    assert (
        code == 0
        and err == "Target recall 80% saved: this plan, the app's and the next ones aim at it.\n"
    )
    low = json.loads(out)
    code, out, _ = run("plan", "--target", "0.97", "--json")
    high = json.loads(out)
    assert (low["target"], high["target"]) == (0.8, 0.97)
    assert high["planned_score"] > low["planned_score"]
    code, out, err = run("plan")  # the kept target
    assert code == 0 and err == "" and "Target recall 97%." in out


def test_parse_response_for_each_kind() -> None:
    choice = Question(
        QuestionKind.CHOICE, ("d/c",), "?", options=("a", "b", "c"), answers=("a",), solution=(0,)
    )
    assert parse_response(choice, "b") == 1 and parse_response(choice, "3") == 2
    with pytest.raises(ValueError):
        parse_response(choice, "d")
    tf = Question(QuestionKind.TRUE_FALSE, ("d/c",), "?", answers=("a",), solution=(1,))
    assert parse_response(tf, "A") is True and parse_response(tf, "false") is False
    order = Question(QuestionKind.ORDER, ("d/c",), "?", options=("x", "y", "z"), solution=(2, 0, 1))
    assert parse_response(order, "CAB") == (2, 0, 1) and parse_response(order, "c, a, b") == (
        2,
        0,
        1,
    )
    with pytest.raises(ValueError, match="once"):
        parse_response(order, "CAA")
    match = Question(
        QuestionKind.MATCH, ("d/c",), "?", options=("x", "y"), lefts=("1", "2"), solution=(1, 0)
    )
    assert parse_response(match, "B-") == (1, None)
    lst = Question(QuestionKind.LIST, ("d/c",), "?", answers=("x", "y"))
    assert parse_response(lst, "x; y ;") == ("x", "y")


def test_the_countdown_is_in_the_prompt(run: Run) -> None:
    code, out, _ = run(
        "exam",
        "--seed",
        "1",
        "--questions",
        "2",
        "--minutes",
        "5",
        "--kinds",
        "typed",
        stdin="a\nb\n",
    )
    assert code == 0 and "[5:00 left] 1/2" in out


def test_time_up_while_answering(
    decks: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    moment = [T0]
    monkeypatch.setattr(common, "Clock", lambda: Clock(lambda: moment[0], UTC))

    class SlowStudent(io.StringIO):
        """Takes 40 seconds to type each line."""

        def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
            moment[0] += timedelta(seconds=40)
            return super().readline()

    monkeypatch.setattr("sys.stdin", SlowStudent("a\nb\nc\n"))
    code = main(
        [
            "exam",
            "--seed",
            "1",
            "--questions",
            "3",
            "--minutes",
            "1",
            "--kinds",
            "typed",
            "--json",
            "--decks",
            str(decks),
        ]
    )
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert code == 0 and "Time is up: the exam was handed in." in err
    assert result["timed_out"] is True
    assert [a["given"] for a in result["answers"]] == [
        "a",
        None,
        None,
    ]  # 'b' came at 80 s: too late


MARKED = """\
title: Marked
id: marked
cards:
  - {id: a, type: choice, front: Pick one, answer: The **806** one, distractors: [A, X, Y]}
  - {id: b, front: Second, back: "**two**", explain: A **bold** note}
  - {id: c, front: Third, back: three}
"""


def test_the_paper_renders_light_markup(run: Run, decks: Path, tmp_path: Path) -> None:
    (decks / "marked.yaml").write_text(MARKED, encoding="utf-8")
    page, sheet = tmp_path / "exam.html", tmp_path / "exam.md"
    argv = ("exam", "marked", "--seed", "1", "--questions", "3")
    code, _, err = run(*argv, "--html", str(page), "--markdown", str(sheet))
    assert code == 0, err
    html, markdown = page.read_text(encoding="utf-8"), sheet.read_text(encoding="utf-8")
    assert "\\*" not in markdown and "The **806** one" in markdown
    assert "<strong>806</strong>" in html and "<strong>bold</strong>" in html
    assert "**" not in html.split("<body>")[1]
