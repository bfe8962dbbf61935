"""Stands in for a web application that serves the bundled assets:
it prints each file under static/ with its content."""
from pathlib import Path

static = Path(__file__).parent / "static"
for asset in sorted(static.iterdir()):
    print(f"{asset.name}: {asset.read_text().strip()}")
