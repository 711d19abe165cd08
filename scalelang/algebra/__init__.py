"""Exact algebra shared by the front end and the theory.

Monomials with exact exponents (``monomial``), the Hermite content of activations (``hermite``),
and how an exponent, monomial or relation is written for people (``notation``). It knows nothing
of files, problems or solutions.
"""
