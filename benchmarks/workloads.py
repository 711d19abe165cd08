"""Shared problem texts for benchmarks: deep fully connected erf chains learning He3.

``chain(depth)`` writes a .scale file with layers h1..h_depth of independent widths N1..N_depth,
standard priors, and every pattern allowed in every layer (no ``patterns`` lines).
"""


def chain(depth: int, target: str = "He3(w . x)") -> str:
    lines = ["problem chain%d" % depth, "scale d", "scale P",
             "scale " + ", ".join(f"N{i + 1}" for i in range(depth)),
             "input x ~ gaussian(d)", "teacher w ~ sphere(d)", f"target y = {target}"]
    previous, variance = "x", "1/d"
    for i in range(1, depth + 1):
        lines.append(f"layer h{i} = erf(W{i} {previous}) width N{i} "
                     f"prior W{i} ~ normal(0, {variance})")
        previous, variance = f"h{i}", f"1/N{i}"
    lines += [f"readout f = a . {previous} prior a ~ normal(0, {variance})", "predict P"]
    return "\n".join(lines) + "\n"
