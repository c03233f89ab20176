"""`import corridor` is instant: nothing heavy is imported until used."""

from __future__ import annotations

import subprocess
import sys


def test_import_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, corridor; heavy = {'pandas', 'pydantic', 'folium', 'searoute', 'networkx', 'typer'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_public_functions_are_reachable() -> None:
    import corridor

    assert callable(corridor.route) and callable(corridor.compare) and callable(corridor.find_places)
