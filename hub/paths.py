"""Where the hub's own files are: the checkout's folders (templates, static,
translations, migrations, the curated catalogue) when it runs from a source
tree, else the copies the wheel carries in ``hub/bundled/`` (setup.py puts
them there, with the French catalogue compiled), so ``pip install .`` gives a
working, bilingual hub wherever it is installed."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
BUNDLED = PACKAGE / "bundled"
#: The folders a running hub reads, besides its Python code.
SITE_FOLDERS = ("templates", "static", "translations", "migrations", "resources", "pathways")


def site_path(name: str) -> Path:
    """The checkout's folder when there is one, else the wheel's copy."""
    checkout = CHECKOUT / name
    if checkout.is_dir() and (CHECKOUT / "pyproject.toml").is_file():
        return checkout
    return BUNDLED / name


def translation_directories() -> str:
    """Flask-Babel's list (``;``-separated): the site's catalogues, then the
    wheel's compiled copy, so an install whose checkout lacks compiled ``.mo``
    files still speaks French when the package carries them."""
    folders = [site_path("translations"), BUNDLED / "translations"]
    unique = []
    for folder in folders:
        if folder not in unique and folder.is_dir():
            unique.append(folder)
    return ";".join(str(f) for f in unique) or str(site_path("translations"))
