"""Application factory: extensions, admin, CLI – wiring only."""
from flask import Flask, redirect, url_for

from config import INSTANCE_DIR, Config
from extensions import babel, csrf, db, migrate


def create_app(config=None):
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(Config)
    if config:
        app.config.update(config)
    INSTANCE_DIR.mkdir(exist_ok=True)

    db.init_app(app)
    csrf.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"))
    babel.init_app(app, locale_selector=lambda: app.config["BABEL_DEFAULT_LOCALE"])

    from admin_views import init_admin
    from demo.cli import demo_command
    from identity.cli import users_cli
    from tak.cli import tak_cli

    init_admin(app)
    app.cli.add_command(tak_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(users_cli)
    _register_error_pages(app)

    @app.get("/")
    def root():
        return redirect(url_for("admin.index"))

    return app


def _register_error_pages(app):
    from flask import render_template
    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_template("errors/error.html", code=400,
                               message="Formuläret kunde inte tas emot eftersom sidan var för gammal eller "
                                       "saknade säkerhetskod. Gå tillbaka, ladda om sidan och försök igen."), 400

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("errors/error.html", code=403,
                               message="Du saknar behörighet till den här sidan. Behöver du den, "
                                       "kontakta kundservice."), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/error.html", code=404,
                               message="Sidan du söker finns inte."), 404

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template("errors/error.html", code=500,
                               message="Ett oväntat fel inträffade. Försök igen om en stund; "
                                       "kvarstår felet, kontakta kundservice."), 500
