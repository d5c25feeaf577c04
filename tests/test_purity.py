"""The engine is pure Python: importing any weakorg module never loads streamlit."""

import pkgutil
import subprocess
import sys

import weakorg


def _modules():
    return sorted(
        m.name for m in pkgutil.walk_packages(weakorg.__path__, "weakorg.") if not m.name.endswith("__main__")
    )


def test_weakorg_modules_do_not_import_streamlit():
    code = (
        "import importlib, sys\n"
        f"for name in {_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
