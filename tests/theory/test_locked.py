"""Which feature each winning piece locks onto is reported with the piece, not guessed from
the assignment's headline."""

from conftest import assignment, solve_text, three_layer


def test_each_piece_and_phase_says_what_it_locks_onto():
    """x^3 neurons in h1 pass He1 and He3 of w.x to h2; a mean field of beta along a feature of
    kernel eigenvalue lambda (relative norm 1/lambda) costs beta/lambda and leaves a_y = N2/beta.
    Along He1 (lambda = 1/d): beta*d + N2/beta, balanced at sqrt(N2 d) where beta <= N2 allows
    it, but the lazy He3 term keeps a_y >= d^3, so it helps only where N2 >= d^5. Along He3
    (lambda = 1/d^3): sqrt(N2 d^3), which beats the lazy d^3 where N2 <= d^3. So the phase where
    mag wins locks onto He3, while the assignment's headline (the unconstrained balance, valid
    where N2 >= d^5) locks onto He1: each piece and phase must say which."""
    data = solve_text(
        three_layer(activation="x^3", target="He1(w . x) + He3(w . x)", h1="gp", h2="gp | mag")
    )
    mag = assignment(data, h1="gp", h2="mag")
    assert mag["locked"] == {"h2": "mag on He1(w . x)"}
    by_region = {tuple(p["region"]): p["locked"] for p in mag["pieces"]}
    assert by_region[("N2 <= d**3",)] == {"h2": "mag on He3(w . x)"}
    [phase] = [p for p in data["phases"] if p["patterns"] == {"h1": "gp", "h2": "mag"}]
    assert phase["locked"] == {"h2": "mag on He3(w . x)"}


def test_the_text_answer_names_the_locked_feature():
    from scalelang.api import load
    from scalelang.report.terminal import summary

    text = summary(
        load(
            three_layer(activation="x^3", target="He1(w . x) + He3(w . x)", h1="gp", h2="gp | mag")
        ).solve()
    )
    assert "- h1=gp, h2=mag on He3(w . x): P* ~ kappa sqrt(d^3 N2)  where N2 <= d^3" in text
