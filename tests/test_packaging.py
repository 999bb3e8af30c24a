"""Installed as a package (`pip install .`, as a container image or a deploy
script does), the hub runs and speaks French: the wheel carries the compiled
catalogues and the files the app reads. Built here into a temporary folder and
installed, without dependencies, into a temporary virtual environment that
borrows this one's packages (no network needed)."""
from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECK = textwrap.dedent("""
    import json, sys, tempfile
    import hub
    from hub import create_app
    data = tempfile.mkdtemp()
    app = create_app({"ENV_NAME": "testing", "HUB_DATA_DIR": data, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": "sqlite:///" + data + "/hub.sqlite3"})
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        client = app.test_client()
        fr = client.get("/fr/about").get_data(as_text=True)
        en = client.get("/en/about").get_data(as_text=True)
        css = client.get("/static/css/hub.css")
        print(json.dumps({"hub": hub.__file__, "fr": fr, "en": en, "css": css.status_code}))
        css.close()
""")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment with the freshly built wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(work / "dist")], check=True, cwd=work, capture_output=True)
    (wheel,) = (work / "dist").glob("*.whl")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # This environment's dependencies (Flask, Babel …), after the wheel's own files.
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                    str(wheel)], check=True, capture_output=True)
    return python


def test_the_installed_wheel_serves_french(installed, tmp_path):
    # Run from an empty folder, so nothing comes from this checkout.
    out = subprocess.run([str(installed), "-c", CHECK], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert str(ROOT) not in result["hub"] and "site-packages" in result["hub"]
    assert "À propos du carrefour" in result["fr"] and "Passer au contenu" in result["fr"]
    assert "About the hub" in result["en"]
    assert result["css"] == 200


def test_make_run_installs_only_the_app_and_says_where_it_runs():
    plan = subprocess.run(["make", "-n", "-B", "run"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    installs = [line for line in plan.splitlines() if "pip install" in line and "--upgrade pip" not in line]
    assert installs and all("[test" not in line and "bench" not in line for line in installs), installs
    assert "Running on http://127.0.0.1:5000" in plan
    assert "pytest" not in plan and "playwright" not in plan
