"""Dependencies point one way (ARCHITECTURE §6): a module importing against the layers fails here.

The application's own top-level modules and packages, and what each may import of the others.
Third-party imports are not judged here."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {
    "extensions": set(),
    "config": set(),
    "gunicorn.conf": set(),
    "clock": set(),  # the one source of "now" and of Swedish days
    "web_input": set(),
    "models": {"extensions", "clock"},
    "forms": {"models", "extensions", "web_input", "clock"},
    "ordering": {"models", "extensions", "clock"},
    "tak": {"models", "extensions", "clock"},
    "identity": {"models", "extensions", "forms", "clock"},
    "observability": {"extensions"},
    "admin_views": {"forms", "ordering", "models", "extensions", "identity", "web_input", "clock", "config"},
    # The demo's sent orders go through the order lifecycle, like real ones.
    "demo": {"models", "extensions", "identity", "forms", "clock", "tak", "ordering"},
    # Wiring: the factory connects everything, but never the benchmark.
    "app": {"config", "extensions", "web_input", "models", "admin_views", "ordering", "tak", "identity", "demo",
            "observability", "clock"},
}
OURS = set(ALLOWED) | {"bench"}


def modules():
    for path in sorted(ROOT.glob("*.py")) + sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in ("tests", "migrations", "bench", ".venv", "instance"):
            continue
        yield relative


def imported_layers(path, root=ROOT):
    layer = path.parts[0] if len(path.parts) > 1 else path.stem
    for node in ast.walk(ast.parse((root / path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in OURS and top != layer:
                yield top


@pytest.mark.parametrize("path", list(modules()), ids=str)
def test_module_imports_only_what_its_layer_may(path):
    layer = path.parts[0] if len(path.parts) > 1 else path.stem
    assert layer in ALLOWED, f"{path}: ny toppnivå – lägg till dess lager i ALLOWED och i docs"
    wrong = sorted(set(imported_layers(path)) - ALLOWED[layer])
    assert not wrong, f"{path} ({layer}) importerar {wrong}; tillåtet: {sorted(ALLOWED[layer])}"


def test_the_rule_catches_a_leak(tmp_path):
    """The check itself can fail: a model importing from ordering is caught (the probe is written
    outside the source tree, where no parallel test run collects it)."""
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "_layer_probe.py").write_text("from ordering import orders\n", encoding="utf-8")
    assert list(imported_layers(Path("models/_layer_probe.py"), root=tmp_path)) == ["ordering"]


# TAK's Swedish keys live in models/tak_items.py alone (generic words such as "id" or "namn" aside).
TAK_KEYS = {"namnrymd", "majorVersion", "minorVersion", "hsaId", "fromTidpunkt", "tomTidpunkt", "integrationsavtal",
            "logiskAdress", "logiskadress", "tjanstekontrakt", "rivtaprofil", "tjanstekomponent", "tjanstekonsument",
            "anropsadress", "vagval", "anropsbehorighet", "pubversion", "logiskadresser", "tjanstekomponenter",
            "anropsbehorigheter", "inkludera", "exkludera", "genomforandeTidpunkt", "bestallningsTidpunkt"}


@pytest.mark.parametrize("path", [p for p in modules() if p != Path("models/tak_items.py")], ids=str)
def test_tak_keys_are_written_in_one_module(path):
    literals = {node.value for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8")))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert not literals & TAK_KEYS, f"{path} skriver TAK-nycklar {sorted(literals & TAK_KEYS)}: använd models/tak_items.py"
