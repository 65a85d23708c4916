"""The page chrome every page repeats – the menu, the fixed links, the style sheets and scripts –
built once per process instead of on every page. On a small list it was about as costly as the
list itself (issue 18: every list at least as fast as stock Flask-Admin)."""
from flask import current_app, get_template_attribute, request, url_for
from flask_login import current_user
from markupsafe import Markup


def site_menu(admin_view):
    """Which entries a user sees depends on the role alone (see access.may_open), and the open page
    decides which one is marked: so the menu – some thirty entries, each asked for access, address
    and activity – is rendered once per (role, page). The entries' addresses are Flask-Admin's,
    which it keeps from the first page on (MenuView caches them): one process, one script root."""
    role = current_user.role if current_user.is_authenticated else None
    menus = admin_view.admin.__dict__.setdefault("_rendered_menus", {})
    key = (role, admin_view.endpoint)
    if key not in menus:
        menus[key] = get_template_attribute("admin/_menu.html", "site_menu")(admin_view)
    return menus[key]


def fixed_url(endpoint, **values):
    """url_for for an address that is the same on every request (footer, user menu, static files):
    it depends only on the script root a proxy may mount the app under."""
    urls = current_app.extensions.setdefault("fixed_urls", {})
    key = (request.script_root, endpoint, tuple(sorted(values.items())))
    if key not in urls:
        urls[key] = url_for(endpoint, **values)
    return urls[key]


def rendered_once(admin_view, name, render):
    """A block of Flask-Admin's page that depends on the view alone – its style sheets and scripts,
    a dozen addresses each built by url_for – rendered on the view's first page and kept (one process,
    one script root, as for the menu)."""
    blocks = admin_view.admin.__dict__.setdefault("_rendered_blocks", {})
    key = (name, admin_view.endpoint)
    if key not in blocks:
        blocks[key] = Markup(render())
    return blocks[key]
