"""Running a generated simulation and reading its results: ``validate`` runs a script's sweep,
``fit`` fits the exponent of P* in d with bootstrap intervals (docs/simulation.md)."""
