"""Keys and how studying works."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# study: keys

## Home
| key | |
|---|---|
| ↑ ↓, click | choose a deck, a folder, or *All decks* |
| Enter | study the highlighted deck: due reviews, then new cards (20 a day by default) |
| a | study everything due |
| c | cram the highlighted deck: practise every card; the schedule is not changed |
| h | cram the hard cards: studied, lowest recall, most lapses and Agains (never unseen) |
| n | add a card to the highlighted deck (checked as you type; the rest of the file is kept) |
| b | browse the cards of the highlighted deck: search, sort, unsuspend, unbury, forget, history |
| t | statistics of the highlighted deck (or everything); c there crams the hardest cards |
| x | mock exam on the highlighted deck: questions, time limit, question kinds, instant feedback |
| d / p | set or clear the exam date / the full exam-day forecast and daily plan |
| r | reload the deck files (they are also watched: edits are picked up within a second) |
| s | settings: retention and its workload, steps, limits, day start, theme, deck folders |
| ctrl+p | command palette: every action |
| q | quit |

## Studying
| key | |
|---|---|
| Space / Enter | show the answer (basic and cloze cards) |
| type + Enter | typed cards: graded for you (case, accents, punctuation, date forms don't matter) |
| 1-9 or ↑ ↓ Enter | choice cards: pick an option |
| Enter per line, Enter on an empty line | list cards: type the items you remember |
| Shift+↑ ↓ (or K J), Enter | order cards: move the highlighted item, then check |
| 1 2 3 4 | Again, Hard, Good, Easy; each button shows when the card comes back |
| Enter after answering | accept the suggested rating (marked ◂) |
| o | "I was right": count a graded answer as Good |
| u | undo what was done last: the answer on screen, else the last answer, flag, bury or suspend |
| e | edit the card in $EDITOR at its line; the deck reloads when you return |
| s | the card's source and note |
| * | flag the card |
| - | bury the card until tomorrow |
| @ | suspend the card |
| Esc | end the session |

## Browsing cards (b)
| key | |
|---|---|
| type | search as you type: words (all of them), `"a phrase"`, `-` excludes a term |
| | `deck:admm` (or a folder: `deck:asean`), `tag:dates` (`*` is a wildcard) |
| | `is:new` `learning` `review` `due` `suspended` `buried` `flagged` `leech` |
| ↓ or Enter / `/` | from the search box to the list / back to the box |
| click a title, o / O | sort by that column (again: reversed) / by the next column / reverse |
| Space / a | mark the card / every card found (again: none) |
| s / U / b / f | suspend / unsuspend / unbury / unflag the marked cards (or the highlighted) |
| u | undo the last of these or a forget, and say what |
| F | forget: reset to new (asks first); the answers stay in the log |
| e / c / h or Enter | edit in $EDITOR / cram the cards found (or marked) / the card's history |
| Esc | back |

The list holds the first 200 cards found; the line above it counts them all.

## Mock exam
| key | |
|---|---|
| answer, Enter | answer, then go on to the next open question (of any kind) |
| ← → or Tab | previous / next question; click a number in the strip to jump |
| f (or * / ctrl+f) | flag the question to come back to it |
| s | skip |
| g | go to a question by number |
| ctrl+s | hand in (after a confirmation listing what is unanswered or flagged) |
| Esc | leave a text box; again: abandon the exam (asks first) |

On the results: r retakes your mistakes, h lists past exams.

Every answer is saved before the next card appears: closing the terminal loses nothing.
"""


class HelpScreen(ModalScreen[None]):
    """The keys, on top of whatever screen is open."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
