"""The ground floor: what every stage uses and none owns.

Source positions (``span``), positioned errors and warnings (``diagnostics``), an on-disk cache
(``cache``), progress on a terminal (``progress``), the files that travel with the package
(``resources``) and the version. Nothing here imports the rest of scalelang.
"""
