"""Rewrite the golden Markdown reports: ``python -m tests.report.update_golden``."""

from tests.report.report_helpers import update

if __name__ == "__main__":
    for path in update():
        print(f"wrote {path}")
