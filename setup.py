"""Build hook: a wheel carries what the hub needs to run besides its Python
code (templates, static files, migrations, the curated catalogue and its pathways) and the
message catalogues compiled from translations/*/LC_MESSAGES/messages.po, so
an installed hub speaks French without `make translations`. The .mo files are
also written next to their .po in a source tree being built in place, for a
hub run from that tree after `pip install .`. Everything else is in pyproject.toml."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
COPIED = ("templates", "static", "migrations", "resources", "pathways")


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Compile every messages.po under ``source`` into the same layout under ``target``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            catalogue = read_po(fh, locale=po.parent.parent.name)
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as fh:
            write_mo(fh, catalogue, use_fuzzy=False)
        written.append(mo)
    return written


class BuildWithSiteFiles(build_py):
    def run(self) -> None:
        super().run()
        bundled = Path(self.build_lib) / "hub" / "bundled"
        # A fresh copy: a file removed from the tree (a renamed migration) must not linger from a last build.
        shutil.rmtree(bundled, ignore_errors=True)
        for name in COPIED:
            if (HERE / name).is_dir():
                shutil.copytree(HERE / name, bundled / name, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        compile_catalogues(HERE / "translations", bundled / "translations")
        if os.access(HERE / "translations", os.W_OK):
            compile_catalogues(HERE / "translations", HERE / "translations")


setup(cmdclass={"build_py": BuildWithSiteFiles})
