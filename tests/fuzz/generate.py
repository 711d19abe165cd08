"""Inputs for fuzzing the front end and the solver: grammar-aware random programs, and mutations
of them and of the examples.

``program(rng, layers)`` writes a well-formed problem from the language's own parts (scales, a
target of Hermite terms over one or two teachers, dense layers with stdlib activations, widths
and priors as monomials, patterns lines and assumptions); ``mutate(text, rng)`` breaks a text
the ways people and editors do (a character dropped or doubled, a token swapped for a keyword,
a number or an operator, a line repeated or cut, stray control characters). ``outcome`` runs one
input through ``scalelang.load(text)`` and ``pipeline.solve`` with the command line's limits
and names what happened: "ok", "error" (a ScaleError whose every diagnostic has a place in the
input), "budget" (the solve stopped at one of its limits, with their positioned message),
"unplaced" (an error without a place), "timeout" (past the limit without that message),
"memory" (a MemoryError), or "traceback" (anything else). tests/fuzz/test_fuzz.py runs a few
hundred inputs; benchmarks/fuzz.py runs thousands and counts the outcomes.
"""

from __future__ import annotations

import random
import signal
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACTIVATIONS = ("erf", "relu", "tanh", "linear", "x^2", "x^3", "sigmoid", "softplus", "abs")
KEYWORDS = (
    "scale",
    "layer",
    "target",
    "readout",
    "predict",
    "patterns",
    "assume",
    "prior",
    "width",
    "input",
    "teacher",
    "noise",
    "constant",
    "problem",
    "end",
    "pattern",
)
PIECES = (
    "=",
    "~",
    ".",
    "(",
    ")",
    "^",
    "*",
    "/",
    "+",
    "-",
    "|",
    ":",
    ",",
    "<=",
    ">=",
    "#",
    "0",
    "1",
    "-1",
    "1/2",
    "3",
    "1e400",
    "d",
    "N",
    "P",
    "x",
    "w",
    "He3",
    "He0",
    "\t",
    "\x0c",
    "\u2028",
    "\x00",
    '"',
    "ｈ",
    "²",
)
PATTERNS = ("gp", "spec", "gfl", "mag")


def _monomial(rng: random.Random, scales: list[str]) -> str:
    base = rng.choice(scales)
    power = rng.choice(("1", "2", "1/2", "3/2", "-1"))
    return base if power == "1" else f"{base}^({power})"


def program(rng: random.Random, layers: int) -> str:
    """A well-formed problem with ``layers`` dense layers (its answer may still be an error:
    a target no route carries, a width that is not large)."""
    widths = [f"N{i}" for i in range(1, layers + 1)] if rng.random() < 0.5 else ["N"]
    scales = ["d", *widths]
    lines = ["problem fuzz", "scale d, P", f"scale {', '.join(widths)}"]
    if rng.random() < 0.3:
        lines.append(
            f"scale {widths[0]} = d^{rng.choice(('1', '2', '1/2'))}".replace(
                f"scale {widths[0]} = ", "scale Q = "
            )
        )
    lines.append(f"noise kappa = {rng.choice(('1', '1', 'd^-1', 'd'))}")
    lines += ["input x ~ gaussian(d)", "teacher w ~ sphere(d)"]
    terms = [f"He{rng.randint(1, 4)}(w . x)"]
    if rng.random() < 0.3:
        lines.append("teacher v ~ sphere(d)")
        terms.append(rng.choice(("He1(v . x)", "He2(v . x)", "He1(w . x) * He1(v . x)")))
    lines.append(f"target y = {' + '.join(terms)}")
    previous, fan_in = "x", "d"
    for i in range(1, layers + 1):
        width = widths[(i - 1) % len(widths)]
        variance = rng.choice((f"1/{fan_in}", f"1/{fan_in}^2", "1", f"1/{_monomial(rng, scales)}"))
        activation = rng.choice(ACTIVATIONS)
        lines.append(
            f"layer h{i} = {activation}(W{i} {previous}) width {width} "
            f"prior W{i} ~ normal(0, {variance})"
        )
        if rng.random() < 0.3:
            allowed = rng.sample(PATTERNS, rng.randint(1, 3))
            lines.append(f"patterns h{i}: {' | '.join(allowed)}")
        previous, fan_in = f"h{i}", width
    lines.append(f"readout f = a . {previous} prior a ~ normal(0, 1/{fan_in})")
    if rng.random() < 0.2:
        lines.append(f"assume {widths[0]} <= d^2")
    lines.append("predict P")
    return "\n".join(lines) + "\n"


def mutate(text: str, rng: random.Random) -> str:
    """``text`` broken once to three times, at random places."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(6)
        at = rng.randrange(len(text) + 1)
        if kind == 0 and text:  # drop a character
            text = text[:at] + text[at + 1 :]
        elif kind == 1:  # insert a piece of the language, or of something else
            text = text[:at] + rng.choice(PIECES + KEYWORDS) + text[at:]
        elif kind == 2:  # swap a word for a keyword
            words = text.split(" ")
            if words:
                words[rng.randrange(len(words))] = rng.choice(KEYWORDS)
            text = " ".join(words)
        elif kind == 3:  # repeat a line
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif kind == 4:  # cut the text short
            text = text[:at]
        else:  # double a character
            text = text[:at] + text[at : at + 1] * 2 + text[at + 1 :]
    return text


def inputs(count: int, seed: int, layers: int = 2):
    """``count`` inputs: programs, mutations of programs, and mutations of the examples."""
    rng = random.Random(seed)
    examples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.scale"))]
    for i in range(count):
        choice = i % 3
        if choice == 0:
            yield program(rng, rng.randint(1, layers))
        elif choice == 1:
            yield mutate(program(rng, rng.randint(1, layers)), rng)
        else:
            yield mutate(rng.choice(examples), rng)


# The first words of the messages a solve's limits stop it with (pipeline.too_large), and which
# limit each names.
STOPS = {
    "the solve ran past its time limit": "time",
    "the solve grew past its memory limit": "memory",
    "the solve passed its limit of": "candidates",
    "the solve ran out of memory": "out of memory",
}


class _Timeout(Exception):
    pass


@contextmanager
def _limit(seconds: float | None):
    """A backstop for a solve that its own time limit does not stop: ``SIGPROF`` after
    ``seconds`` of CPU time (not ``SIGALRM``, which the solve's limit uses for itself)."""
    if seconds is None:
        yield
        return

    def stop(signum, frame):
        raise _Timeout

    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def outcome(text: str, seconds: float = 60.0, backstop: float | None = 2.0) -> tuple[str, str]:
    """What ``load(text)`` and a solve with the command line's limits (``seconds`` for its time
    limit) did, and a line saying it (the message, or the traceback's last line). ``backstop``:
    past that many times ``seconds`` of CPU time, "timeout" (None: no backstop, for a caller
    that watches the time itself)."""
    import scalelang
    from scalelang import pipeline
    from scalelang.commands.common import MAX_CANDIDATES, MEMORY_LIMIT
    from scalelang.support.diagnostics import ScaleError

    lines = max(text.count("\n") + 1, 1)
    try:
        with _limit(None if backstop is None else backstop * seconds):
            problem = scalelang.load(text if "\n" in text else text + "\n").problem
            pipeline.solve(
                problem,
                time_limit=seconds,
                memory_limit=MEMORY_LIMIT,
                max_candidates=MAX_CANDIDATES,
            )
    except _Timeout:
        return "timeout", f"past {backstop * seconds:g} s of CPU time"
    except ScaleError as error:
        for diagnostic in error.diagnostics:
            span = diagnostic.span
            inside = span.path == "<text>" and 1 <= span.line <= lines + 1
            if not (inside or span.path in ("--set", "solve()") or span.path.endswith(".scale")):
                return "unplaced", f"{span!r}: {diagnostic.message}"
        message = error.diagnostics[0].message if error.diagnostics else ""
        if any(message.startswith(words) for words in STOPS):
            return "budget", message
        return "error", message
    except MemoryError as exc:
        return "memory", f"MemoryError: {exc}"
    except Exception as exc:  # noqa: BLE001 (what the fuzzer looks for)
        return "traceback", f"{type(exc).__name__}: {exc}"
    return "ok", ""
