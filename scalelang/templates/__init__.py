"""Jinja2 templates of the code generator (``sim/`` for the PyTorch simulation). Data only."""
