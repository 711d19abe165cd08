"""Rewrite the golden dumps (tests/golden/dump/<stage>/<example>.txt):
``python -m tests.golden.update_dump`` from the repository's root; then review ``git diff``."""

from tests.golden.dump_helpers import update

if __name__ == "__main__":
    for path in update():
        print(f"wrote {path}")
