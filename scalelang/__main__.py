from scalelang.cli import run

run()
