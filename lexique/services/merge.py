"""Three-way merge of a proposal with what was published since its author started, field by field."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lexique.models import Revision

# The choices a person makes for a field both sides changed: their text, the published one, or both combined
# (a text as the person rewrites it from the two; a list holding the items of both).
MINE, THEIRS, COMBINED = "mine", "theirs", "combined"


@dataclass(frozen=True)
class FieldMerge:
    """One content field: its value at the base, in the proposal (ours), in the published version (theirs)."""

    name: str
    base: Any
    ours: Any
    theirs: Any

    @property
    def ours_changed(self) -> bool:
        return not _same(self.ours, self.base)

    @property
    def theirs_changed(self) -> bool:
        return not _same(self.theirs, self.base)

    @property
    def conflict(self) -> bool:
        """Both sides changed the field, each its own way: a person must choose."""
        return self.ours_changed and self.theirs_changed and not _same(self.ours, self.theirs)

    def chosen(self, choice: str, combined_text: str = "") -> Any:
        """The field's value once a person chose for it (a field without conflict needs no choice)."""
        if not self.conflict or choice == MINE:
            return self.result
        if choice == THEIRS:
            return self.theirs
        if self.is_list:
            theirs = list(self.theirs or [])
            return theirs + [item for item in self.ours or [] if item not in theirs]
        return combined_text

    @property
    def is_list(self) -> bool:
        return isinstance(self.ours, list) or isinstance(self.theirs, list)

    @property
    def result(self) -> Any:
        """The merged value; for a conflict, the proposal's (what an approval with confirmation publishes)."""
        if self.ours_changed or not self.theirs_changed:
            return self.ours
        return self.theirs


@dataclass
class Merge:
    """The merge of a proposal onto the published version; `content()` reads like a revision's."""

    fields: list[FieldMerge] = field(default_factory=list)

    @property
    def conflicts(self) -> list[FieldMerge]:
        return [item for item in self.fields if item.conflict]

    @property
    def taken_from_published(self) -> list[FieldMerge]:
        """Fields the published version changed and the proposal did not: kept by the merge."""
        return [item for item in self.fields if item.theirs_changed and not item.ours_changed]

    @property
    def clean(self) -> bool:
        return not self.conflicts

    def side(self, which: str) -> dict[str, Any]:
        """The content of one side: 'base', 'ours' or 'theirs'."""
        return {item.name: getattr(item, which) for item in self.fields}

    def content(self, choices: dict[str, str] | None = None,
                combined: dict[str, str] | None = None) -> dict[str, Any]:
        """The merged content; `choices` ({field: 'mine' | 'theirs' | 'combined'}) settle the conflicts.

        A text field combined takes its text from `combined`; a list combined holds the published items,
        then the proposal's that the published version lacks.
        """
        choices, combined = choices or {}, combined or {}
        return {item.name: item.chosen(choices.get(item.name, MINE), combined.get(item.name, ""))
                for item in self.fields}


def _same(a: Any, b: Any) -> bool:
    # An empty text and a missing one are the same to a reader.
    return (a or "") == (b or "") if not isinstance(a, list) and not isinstance(b, list) else (a or []) == (b or [])


def three_way(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> Merge:
    """Merge field by field: a field changed on one side only takes that side; changed on both, the
    same way, takes it; changed on both differently, is a conflict."""
    names = list(dict.fromkeys([*ours, *theirs]))
    return Merge([FieldMerge(name, base.get(name), ours.get(name), theirs.get(name)) for name in names])


def merge_proposal(revision: Revision, *, current: Revision | None) -> Merge:
    """`revision` merged onto `current`, the published version (its base is the common ancestor)."""
    ours = revision.content()
    # A proposal with no base (a new term) shares nothing with anyone: every field starts empty.
    base_revision = revision.base_revision
    base = base_revision.content() if base_revision is not None else {
        name: [] if isinstance(value, list) else "" for name, value in ours.items()
    }
    theirs = current.content() if current is not None else base
    return three_way(base, ours, theirs)


class MergedContent:
    """Merged content where a revision is expected by diffs and reviews (they call `content()`)."""

    def __init__(self, content: dict[str, Any]) -> None:
        self._content = content

    def content(self) -> dict[str, Any]:
        return dict(self._content)
