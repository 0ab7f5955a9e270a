from rehearse.cli import run

run()
