"""The deck tree of the home screen: folders of decks, each with its counts and mastery bar."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from study.core.decks.safe_text import visible
from study.core.review.counts import Counts, DeckSummary

COUNTS_WIDTH = 6 + 6 + 6 + 7 + 2 + 10 + 5
"""The counts, the mastery bar and its percentage."""
BAR_WIDTH = 10
ALL = "*"
"""Node data of the root: every deck."""


def name_width(total_width: int) -> int:
    """Characters from the tree's left edge to the first count column, for a tree this wide."""
    return max(20, min(60, total_width - COUNTS_WIDTH - 2))


def columns_header(width: int) -> Text:
    """The header line above the tree, aligned with its rows."""
    return Text(
        f"{'deck':<{name_width(width)}}{'new':>6}{'learn':>6}{'due':>6}{'items':>7}  mastery",
        style="bold",
    )


def row(name: str, counts: Counts, indent: int, colors: Mapping[str, str], names: int) -> Text:
    """One tree label: name, counts and a mastery bar.

    ``indent`` is the width of the tree's guides.
    """
    width = names - indent
    name = visible(name, lines=False)
    shown = name if len(name) <= width else name[: width - 1] + "…"
    text = Text(f"{shown:<{width}}")
    text.append(f"{counts.new:>6}", style=colors.get("primary", ""))
    text.append(f"{counts.learning:>6}", style=colors.get("warning", ""))
    text.append(f"{counts.due:>6}", style=colors.get("success", ""))
    text.append(f"{counts.total:>7}  ")
    filled = round(counts.mastery * BAR_WIDTH)
    text.append("█" * filled, style=colors.get("success", ""))
    text.append("░" * (BAR_WIDTH - filled), style="dim")
    text.append(f" {counts.mastery:>4.0%}")
    return text


def heads(summaries: Sequence[DeckSummary]) -> dict[str, DeckSummary]:
    """Each folder's own deck, as Anki has a parent deck: ``Geo.yaml`` beside ``Geo/``.

    An imported ``Geo::Europe`` is the deck file ``Geo.yaml`` and the folder ``Geo/``; Anki
    shows one ``Geo`` row with its subdecks under it, and so does the tree.
    """
    folders = {s.deck.group for s in summaries if s.deck.group}
    found: dict[str, DeckSummary] = {}
    for summary in summaries:
        deck = summary.deck
        folder = f"{deck.group}/{deck.path.stem}" if deck.group else deck.path.stem
        if folder in folders and folder not in found:
            found[folder] = summary
    return found


class DeckTree(Tree[str]):
    """Decks grouped by folder. Node data: a deck id, ``folder/`` for a folder, ``*`` for all.

    A folder with a deck file of its name beside it (``Geo.yaml``, ``Geo/``) is one row: the
    deck, with its cards and its subdecks' counted together, its subdecks under it.
    """

    summaries: Sequence[DeckSummary] = ()
    theme_colors: Mapping[str, str] = MappingProxyType({})
    _shown: tuple[object, ...] = ()
    heads: Mapping[str, str] = MappingProxyType({})
    """Each folder's own deck id (``Geo/`` -> the deck of ``Geo.yaml``)."""
    """What the labels show now: the names' width, the colours and each deck's counts."""

    def on_resize(self) -> None:
        if self.summaries:
            self.show(self.summaries, self.theme_colors)

    def show(self, summaries: Sequence[DeckSummary], colors: Mapping[str, str]) -> None:
        """Show fresh summaries, keeping the cursor on the same deck.

        When the decks and folders are the ones shown already (new counts, or a new width),
        only the labels change; otherwise the tree is built again.
        """
        self.summaries, self.theme_colors = summaries, colors
        names = name_width(self.size.width)
        shown = (
            names,
            colors,
            [(s.deck.id, s.deck.title, s.deck.group, s.counts) for s in summaries],
        )
        if shown == self._shown:
            return
        self._shown = shown
        own = heads(summaries)
        self.heads = {f + "/": s.deck.id for f, s in own.items()}
        merged = {s.deck.id for s in own.values()}
        folders: dict[str, list[DeckSummary]] = {}
        for summary in summaries:
            if summary.deck.id not in merged:
                folders.setdefault(summary.deck.group, []).append(summary)
        layout: list[tuple[str, int, str, Counts]] = []
        """(data, indent, name, counts) of every node below the root, in tree order."""
        for folder in sorted(folders, key=lambda f: (f != "", f)):
            if folder:
                head = own.get(folder)
                counts = sum((s.counts for s in folders[folder]), Counts())
                if head is None:
                    layout.append((folder + "/", 6, folder + "/", counts))
                else:
                    name = head.deck.title
                    layout.append((folder + "/", 6, name, counts + head.counts))
            for summary in sorted(folders[folder], key=lambda s: s.deck.title.casefold()):
                layout.append(
                    (summary.deck.id, 8 if folder else 4, summary.deck.title, summary.counts)
                )
        total = sum((s.counts for s in summaries), Counts())
        self.root.set_label(row("All decks", total, 2, colors, names))
        self.root.data = ALL
        nodes = self._deck_nodes()
        if [node.data for node in nodes] == [data for data, *_ in layout]:
            for node, (_, indent, name, counts) in zip(nodes, layout, strict=False):
                node.set_label(row(name, counts, indent, colors, names))
            return
        selected = self.cursor_node.data if self.cursor_node else None
        self.root.remove_children()
        parent = self.root
        for data, indent, name, counts in layout:
            label = row(name, counts, indent, colors, names)
            if data.endswith("/"):
                parent = self.root.add(label, data=data, expand=True)
            else:
                (parent if indent == 8 else self.root).add_leaf(label, data=data)
        self.root.expand()
        if selected is not None:
            self._select_data(selected)

    def folder_decks(self, data: str) -> list[str]:
        """The ids of the decks a folder row stands for: its own deck, then the folder's."""
        folder = data[:-1]
        ids = [s.deck.id for s in self.summaries if s.deck.group == folder]
        head = self.heads.get(data)
        return ids if head is None else [head, *ids]

    def _deck_nodes(self) -> list[TreeNode[str]]:
        """Every node below the root, in tree order."""
        found: list[TreeNode[str]] = []
        for child in self.root.children:
            found.append(child)
            found.extend(child.children)
        return found

    def _select_data(self, data: str) -> None:
        for line in range(self.last_line + 1):
            node = self.get_node_at_line(line)
            if node is not None and node.data == data:
                self.cursor_line = line
                return
