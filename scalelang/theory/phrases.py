"""Words the theory writes about its own objects, with the objects kept beside the text.

Owns ``Hermites`` (a feature as the target names it), ``Combined`` (a combination of teacher
directions that groups lock onto) and ``Phrase`` (a text such as a term's role,
"norm of He3(w . x) in the readout kernel (a_y)", or a locked feature, "spec on He1(w . x)", that
keeps its typed parts). The JSON and the terminal print the text; a report typesets the parts, so
no later stage reads the text back.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hermites:
    """A feature as the target names it: prod He_k(teacher . token), ``factors`` its
    (k, teacher, token); printed ``He3(w . x)*He1(v . x)``."""

    factors: tuple[tuple[int, str, str], ...]

    @property
    def degree(self) -> int:
        return sum(k for k, _, _ in self.factors)

    def __str__(self) -> str:
        return "*".join(f"He{k}({t} . {x})" for k, t, x in self.factors) or "1"


@dataclass(frozen=True)
class Combined:
    """He1 of a unit combination of several teachers' directions, as a pair (or more) of groups
    locks onto it: (u ± w)/sqrt(2); printed ``He1((u ± w)/sqrt(2) . x)``."""

    teachers: tuple[str, ...]
    token: str

    @property
    def degree(self) -> int:
        return 1

    def __str__(self) -> str:
        return f"He1(({' ± '.join(self.teachers)})/sqrt({len(self.teachers)}) . {self.token})"


class Phrase(str):
    """Words with typed parts (``Hermites``, sympy symbols such as a_y) between them: the text
    itself for JSON and the terminal, ``parts`` for a report that typesets the mathematics."""

    parts: tuple

    def __new__(cls, *parts):
        self = super().__new__(cls, "".join(str(p) for p in parts))
        self.parts = parts
        return self
