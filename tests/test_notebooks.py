"""notebooks/: each notebook runs headless against a database the archive job built, on SQLite and PostgreSQL.

The database comes from `contracts run` on the text samples (samples/*.txt and samples/truth;
the scanned PDFs are left out because their OCR takes long), as `make demo` builds demo.db.
Every notebook is executed with nbclient in a `python3` kernel of this interpreter, with
CONTRACTS_DB pointing at the database; it must finish without an error and draw its plots.
The same on an almost empty database (one contract) and on a database with the tables but no
rows, so the notebooks also work before an archive is loaded in full. And the notebooks are
stored without outputs.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from typer.testing import CliRunner

from pipeline.cli import app

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SAMPLES = ROOT / "samples"
NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
EXPECTED = {"spend.ipynb", "unit_prices.ipynb", "findings.ipynb", "payments.ipynb", "penalties.ipynb"}


def build_archive(folder: Path, names: list[str] | None = None) -> Path:
    """The text samples (all, or the named ones) and their truth records, in a folder of their own."""
    folder.mkdir(parents=True)
    for path in sorted(SAMPLES.glob("*.txt")):
        if names is None or path.name in names:
            shutil.copy(path, folder / path.name)
    if names is None and (SAMPLES / "truth").is_dir():
        shutil.copytree(SAMPLES / "truth", folder / "truth")
    return folder


def run_archive(folder: Path, url: str) -> None:
    result = CliRunner().invoke(app, ["run", str(folder), "--db", url])
    assert result.exit_code == 0, result.output


def execute(path: Path, url: str, monkeypatch) -> nbformat.NotebookNode:
    """Runs the notebook as Jupyter would (working folder notebooks/), with CONTRACTS_DB = url."""
    monkeypatch.setenv("CONTRACTS_DB", url)
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend captures the figures
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, kernel_name="python3", timeout=180,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]


def images(notebook: nbformat.NotebookNode) -> int:
    return sum("image/png" in output.get("data", {}) for output in outputs(notebook))


def printed(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for output in outputs(notebook):
        if output.output_type == "stream":
            parts.append(output.text)
        elif "text/plain" in output.get("data", {}):
            parts.append(output.data["text/plain"])
    return "\n".join(parts)


def check_all(url: str, monkeypatch, *, plots: bool) -> dict[str, nbformat.NotebookNode]:
    done = {}
    for path in NOTEBOOK_PATHS:
        notebook = execute(path, url, monkeypatch)
        errors = [o for o in outputs(notebook) if o.output_type == "error"]
        assert not errors, f"{path.name}: {errors}"
        if plots and path.name != "payments.ipynb":  # its plot needs due dates, which a database may lack
            assert images(notebook) >= 1, f"{path.name} drew no plot"
        done[path.name] = notebook
    return done


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory) -> str:
    """SQLite database of the text samples, built once for the module."""
    folder = tmp_path_factory.mktemp("notebooks")
    url = f"sqlite:///{folder / 'samples.db'}"
    run_archive(build_archive(folder / "archive"), url)
    return url


def test_the_notebooks_are_there():
    assert EXPECTED <= {path.name for path in NOTEBOOK_PATHS}


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a code cell has outputs"
            assert cell.execution_count is None, f"{path.name}: a code cell has an execution count"
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"


def test_notebooks_run_on_the_samples_in_sqlite(samples_db, monkeypatch):
    done = check_all(samples_db, monkeypatch, plots=True)
    assert "database: sqlite:///" in printed(done["spend.ipynb"])
    assert "spend_yuan" in printed(done["spend.ipynb"])
    assert "no priced rows" not in printed(done["unit_prices.ipynb"])
    assert "no findings" not in printed(done["findings.ipynb"])
    assert "installments:" in printed(done["payments.ipynb"])


def test_notebooks_run_on_a_database_with_one_contract(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'one.db'}"
    run_archive(build_archive(tmp_path / "archive", ["syn_0001.txt"]), url)
    check_all(url, monkeypatch, plots=False)


def test_notebooks_run_on_a_database_without_rows(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = CliRunner().invoke(app, ["db", "upgrade", "--db", url])
    assert result.exit_code == 0, result.output
    done = check_all(url, monkeypatch, plots=False)
    assert "no installment with a due date" in printed(done["payments.ipynb"])


def test_a_missing_sqlite_file_is_a_clear_error_not_a_new_database(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere.db"
    with pytest.raises(Exception, match="make demo"):
        execute(NOTEBOOKS / "spend.ipynb", f"sqlite:///{missing}", monkeypatch)
    assert not missing.exists()


@pytest.mark.postgres
def test_notebooks_run_on_the_samples_in_postgresql(tmp_path, pg_url, monkeypatch):
    run_archive(build_archive(tmp_path / "archive"), pg_url)
    done = check_all(pg_url, monkeypatch, plots=True)
    assert "database: postgresql" in printed(done["spend.ipynb"])
    assert "no findings" not in printed(done["findings.ipynb"])
