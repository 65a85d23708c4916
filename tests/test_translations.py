"""Every text Flask-Admin shows has a Swedish translation: its own catalogue or ours fills it."""
import pathlib
import re

import flask_admin
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from .conftest import page_text

OURS = pathlib.Path(__file__).resolve().parent.parent / "translations" / "sv" / "LC_MESSAGES"
FLASK_ADMIN = pathlib.Path(flask_admin.__file__).parent
# Data backends we do not use carry their own texts.
UNUSED = {"mongoengine", "peewee", "pymongo", "geoa", "fileadmin", "file", "rediscli", "tests"}
CALL = re.compile(r"""\b_?n?gettext\(\s*(['"])(.+?)(?<!\\)\1""")
# Built with str.format before translation, so never in any catalogue; its menu is switched off
# (can_set_page_size = False in admin_views/access.py).
NEVER_SHOWN = {"{} item"}


def texts_flask_admin_translates():
    for path in FLASK_ADMIN.rglob("*"):
        if path.suffix in (".py", ".html") and not UNUSED & set(path.parts):
            for match in CALL.finditer(path.read_text(encoding="utf-8")):
                yield match.group(2), path.relative_to(FLASK_ADMIN)


def translated(catalog):
    return {message.id if isinstance(message.id, str) else message.id[0]
            for message in catalog if message.id and message.string}


def test_every_flask_admin_text_has_a_swedish_translation():
    with open(FLASK_ADMIN / "translations" / "sv" / "LC_MESSAGES" / "admin.po", encoding="utf-8") as bundled, \
            open(OURS / "admin.po", encoding="utf-8") as ours:
        known = translated(read_po(bundled)) | translated(read_po(ours))
    missing = sorted({(text, str(where)) for text, where in texts_flask_admin_translates()
                      if text not in known and text not in NEVER_SHOWN})
    assert not missing, f"add to translations/sv/LC_MESSAGES/admin.po: {missing}"


def test_compiled_catalogue_matches_its_source():
    with open(OURS / "admin.po", encoding="utf-8") as source, open(OURS / "admin.mo", "rb") as compiled:
        expected = {m.id: m.string for m in read_po(source) if m.id}
        actual = {m.id: m.string for m in read_mo(compiled) if m.id}
    assert actual == expected, "run: .venv/bin/pybabel compile -d translations -D admin"


def test_refused_create_says_so_in_swedish(officer_client):
    html = officer_client.get("/admin/organisation/new/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = officer_client.post("/admin/organisation/new/",
                                   data={"csrf_token": token, "org_number": "5565594231", "name": "Testorg"})
    text = page_text(response)
    assert "Posten kunde inte skapas. Rätta det som är markerat nedan." in text
    assert "Organisationsnumret har fel kontrollsiffra." in text
    assert "Failed" not in text and 'value="Testorg"' in response.get_data(as_text=True)
