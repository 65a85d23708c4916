"""Application factory: extensions, admin, CLI – wiring only."""
from flask import Flask, Response, redirect, url_for

from config import INSTANCE_DIR, Config
from extensions import babel, csrf, db, mail, migrate
from web_input import DatabaseIntConverter, NulFreeRequest


def create_app(config=None):
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.request_class = NulFreeRequest
    app.url_map.converters["int"] = DatabaseIntConverter  # before any route is added
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    INSTANCE_DIR.mkdir(exist_ok=True)
    if app.config["BEHIND_PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Not X-Forwarded-For: SITHS trusts the proxy by its own address (TRUSTED_PROXIES).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=1, x_host=1)

    db.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"))
    babel.init_app(app, locale_selector=lambda: app.config["BABEL_DEFAULT_LOCALE"])

    from admin_views import init_admin
    from demo.cli import demo_command
    from identity.cli import users_cli
    from observability import init_observability
    from ordering.outbox_cli import outbox_cli
    from ordering.transfer_cli import export_command, import_command
    from tak.cli import tak_cli

    init_admin(app)
    init_observability(app)
    app.cli.add_command(tak_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
    _check_done_orders_after_imports()
    _deliver_mail_after_requests(app)
    _register_error_pages(app)

    @app.get("/")
    def root():
        return redirect(url_for("admin.index"))

    @app.get("/favicon.ico")
    def favicon():
        # Browsers ask for it on every first page load, whatever the page links.
        return app.send_static_file("favicon.ico")

    return app


def _check_done_orders_after_imports():
    from ordering.catalog_health import record_after_import
    from ordering.lifecycle import verify_after_import
    from tak.importer import environment_imported

    environment_imported.connect(verify_after_import, weak=False)
    environment_imported.connect(record_after_import, weak=False)


def _deliver_mail_after_requests(app):
    """Mails a request queued are tried as the request ends, after its commit; whatever fails
    stays in the outbox with its error for the retry (`flask outbox send`)."""
    from ordering.outbox import deliver_due, smtp_configured, take_remembered

    @app.teardown_request
    def deliver_queued_mail(error):
        ids = take_remembered()
        if error is None and ids and smtp_configured():
            try:
                deliver_due(ids=ids)
            except Exception:  # the database itself failed: the rows wait for the next run
                app.logger.exception("Utkorgen kunde inte skickas efter begäran")
                db.session.rollback()


ERROR_MESSAGES = {
    400: "Begäran kunde inte tolkas. Ladda om sidan och försök igen; det du sparat finns kvar.",
    403: "Du saknar behörighet till den här sidan. Behöver du den, kontakta kundservice.",
    404: "Sidan du söker finns inte.",
    413: "Det du skickade är för stort (högst 2 MB). Dela upp listan i flera delar och försök igen.",
    405: "Sidan kan inte öppnas på det sättet. Gå tillbaka och använd knapparna på sidan.",
    500: "Ett oväntat fel inträffade. Försök igen om en stund; kvarstår felet, kontakta kundservice.",
}
CSRF_MESSAGE = ("Formuläret kunde inte tas emot eftersom sidan var för gammal eller saknade säkerhetskod. "
                "Gå tillbaka, ladda om sidan och försök igen.")
OTHER_ERROR = "Begäran kunde inte genomföras (fel {code}). Gå tillbaka och försök igen."


def _register_error_pages(app):
    """Every HTTP error as a Swedish page; inside the tool's layout, so the menu and the logout
    button stay, except for server errors, whose cause may be the database the menu needs."""
    from flask_wtf.csrf import CSRFError
    from sqlalchemy.orm.exc import StaleDataError
    from werkzeug.exceptions import HTTPException, SecurityError

    from models.versioned import STALE_MESSAGE
    from web_input import RefusedInput

    @app.errorhandler(StaleDataError)
    def stale_edit(error):
        """Someone else saved the same row first (a second tab, another officer): say so, keep theirs."""
        db.session.rollback()
        index_view = app.extensions["admin"][0].index_view
        return index_view.render("errors/page.html", code=409, message=STALE_MESSAGE), 409

    @app.errorhandler(SecurityError)
    def unknown_host(error):
        # No page of ours: its links would be built for the refused host.
        return Response("Okänd värd: tjänsten svarar bara på sina egna adresser.", 400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code >= 500:
            try:
                db.session.rollback()
            except Exception:  # the database itself is gone; the page must still be answered
                app.logger.warning("Rollback misslyckades efter serverfel", exc_info=True)
            # Straight from the template: context processors would load the user from the database.
            page = app.jinja_env.get_template("errors/error.html")
            return page.render(code=error.code, message=ERROR_MESSAGES[500]), error.code
        if isinstance(error, CSRFError):
            message = CSRF_MESSAGE
        elif isinstance(error, RefusedInput):
            message = error.description
        else:
            message = ERROR_MESSAGES.get(error.code, OTHER_ERROR.format(code=error.code))
        index_view = app.extensions["admin"][0].index_view
        return index_view.render("errors/page.html", code=error.code, message=message), error.code
