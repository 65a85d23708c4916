"""The accessibility statement: public, linked from every page, kept by customer service."""
import sqlalchemy as sa

from extensions import db
from models import FaqEntry

from .conftest import csrf_token, page_text


def test_customer_service_publishes_a_section_everyone_can_read(app, client, officer_client):
    form = officer_client.get("/admin/faqentry/new/").get_data(as_text=True)
    assert "Tillgänglighetsredogörelse" in form  # the page is chosen in the form
    officer_client.post("/admin/faqentry/new/", data={
        "csrf_token": csrf_token(form), "page": "tillganglighet", "position": "70",
        "question": "Innehåll som inte är tillgängligt", "answer": "Matrisen rullar i sidled.\n\nInget <b>annat</b>."})
    section = db.session.scalars(sa.select(FaqEntry)).one()
    assert section.page == "tillganglighet"

    statement = client.get("/tillganglighet/")  # no login
    text = page_text(statement)
    assert statement.status_code == 200 and "Tillgänglighetsredogörelse" in text
    html = statement.get_data(as_text=True)
    assert "Matrisen rullar i sidled." in text
    assert "&lt;b&gt;annat&lt;/b&gt;" in html and "<b>annat</b>" not in html  # text, never HTML
    assert app.config["ORDER_MAIL_TO"] in text
    assert "Innehåll som inte är tillgängligt" not in page_text(client.get("/faq/"))


def test_every_page_links_to_the_statement(client, officer_client):
    for response in (client.get("/auth/"), client.get("/faq/"), officer_client.get("/admin/"),
                     officer_client.get("/finns-inte")):
        assert 'href="/tillganglighet/"' in response.get_data(as_text=True)
