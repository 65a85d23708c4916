"""The page chrome every page repeats – the menu, the fixed links, the style sheets and scripts –
built once per process instead of on every page. On a small list it was about as costly as the
list itself (issue 18: every list at least as fast as stock Flask-Admin). One process serves one
script root: Flask-Admin's menu keeps its entries' addresses from the first page on too."""
from flask import current_app, get_template_attribute, request, url_for
from flask_login import current_user
from markupsafe import Markup


def _kept(key, make):
    kept = current_app.extensions.setdefault("page_chrome", {})
    if key not in kept:
        kept[key] = make()
    return kept[key]


def site_menu(admin_view):
    """Which entries a user sees depends on the role alone (see access.may_open), and the open page
    decides which one is marked: so the menu – some thirty entries, each asked for access, address
    and activity – is rendered once per (role, page)."""
    role = current_user.role if current_user.is_authenticated else None
    return _kept(("menu", role, admin_view.endpoint),
                 lambda: get_template_attribute("admin/_menu.html", "site_menu")(admin_view))


def fixed_url(endpoint, **values):
    """url_for for an address that is the same on every request (footer, user menu, static files)."""
    return _kept(("url", request.script_root, endpoint, tuple(sorted(values.items()))),
                 lambda: url_for(endpoint, **values))


def rendered_once(admin_view, name, render):
    """A block of Flask-Admin's page that depends on the view alone – its style sheets and scripts,
    a dozen addresses each built by url_for – rendered on the view's first page and kept."""
    return _kept(("block", name, admin_view.endpoint), lambda: Markup(render()))
