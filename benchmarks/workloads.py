"""Shared problem texts for benchmarks: deep fully connected erf chains learning He3.

``chain(depth)`` writes a .scale file with layers h1..h_depth of independent widths N1..N_depth
(one width N for every layer with ``tied=True``), standard priors, and every pattern allowed in
every layer (no ``patterns`` lines).
"""


def chain(depth: int, target: str = "He3(w . x)", tied: bool = False) -> str:
    width = (lambda i: "N") if tied else (lambda i: f"N{i}")
    widths = dict.fromkeys(width(i) for i in range(1, depth + 1))
    lines = [
        "problem chain%d" % depth,
        "scale d",
        "scale P",
        "scale " + ", ".join(widths),
        "input x ~ gaussian(d)",
        "teacher w ~ sphere(d)",
        f"target y = {target}",
    ]
    previous, variance = "x", "1/d"
    for i in range(1, depth + 1):
        lines.append(
            f"layer h{i} = erf(W{i} {previous}) width {width(i)} prior W{i} ~ normal(0, {variance})"
        )
        previous, variance = f"h{i}", f"1/{width(i)}"
    lines += [f"readout f = a . {previous} prior a ~ normal(0, {variance})", "predict P"]
    return "\n".join(lines) + "\n"


def with_teachers(text: str, names: str) -> str:
    """``text`` (a ``chain``) with one teacher per letter of ``names`` instead of w alone."""
    lines = "\n".join(f"teacher {name} ~ sphere(d)" for name in names)
    return text.replace("teacher w ~ sphere(d)", lines)
