"""The front end: a .scale file to a checked ``Problem`` (scalelang.problem), or positioned errors.

``load`` reads a file and its imports and runs the phases in order: ``syntax`` (Lark parse to the
``ast``), ``check`` (names, kinds, expressions via ``expressions``), ``lint`` (warnings) and
``overrides`` (``--set``). ``printer`` writes an AST back as source. It never imports the theory.
"""
