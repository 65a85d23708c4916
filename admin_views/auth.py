"""Logging in (SITHS card via the TLS proxy, or a local password), logging out, idle timeout."""
import time

from flask import abort, current_app, flash, g, has_request_context, redirect, request, session, url_for
from flask_admin import BaseView, expose
from flask_login import current_user, login_user, logout_user

from extensions import db, login_manager
from forms.accounts import DemoLoginForm, LoginForm
from identity import accounts
from identity.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, is_demo_account
from identity.siths import (
    CertificateError,
    hsa_id_from_certificate,
    is_trusted,
    parse_trusted_proxies,
)
from models import ORDERER, User
from models.audit import ACTOR
from web_input import database_int, same_site_path

LOGIN_FAILED = ("Inloggningen misslyckades. Kontrollera e-postadress och lösenord. "
                "Efter flera misslyckade försök spärras kontot i 15 minuter.")


def safe_next(target):
    """Only a path on this site, so a crafted link cannot send the user elsewhere after login."""
    return same_site_path(target)


def requested_page():
    return request.full_path.rstrip("?") if request.method == "GET" else None


def forwarded_certificate():
    """The SITHS certificate header, but only from a trusted proxy; anything else is ignored."""
    header = request.headers.get(current_app.config["SITHS_CERT_HEADER"])
    trusted = parse_trusted_proxies(current_app.config["TRUSTED_PROXIES"])
    if header and is_trusted(request.remote_addr, trusted):
        return header
    return None


SITHS_BINDING = "siths_hsa_id"  # a SITHS session belongs to the card it was opened with


def same_certificate_holder():
    """False when this SITHS session's requests now carry a certificate of someone else."""
    bound = session.get(SITHS_BINDING)
    header = forwarded_certificate() if bound else None
    if not header:
        return True
    try:
        return hsa_id_from_certificate(header) == bound
    except CertificateError:
        return False


class AuthView(BaseView):
    """Public pages: anyone may open them, and they never appear in the menu."""

    def is_visible(self):
        return False

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = LoginForm()
        error = None
        if form.validate_on_submit():
            user = accounts.authenticate(form.email.data, form.password.data)
            if user is not None:
                return complete_login(user)
            error = LOGIN_FAILED
        return self.render_login(form, error)

    def render_login(self, form=None, error=None, status=200):
        demo = current_app.config["DEMO_MODE"]
        return self.render("auth/login.html", form=form or LoginForm(), error=error,
                           next=safe_next(request.args.get("next")),
                           demo_accounts=DEMO_ACCOUNTS if demo else [], demo_password=DEMO_PASSWORD,
                           demo_form=DemoLoginForm()), status

    @expose("/siths")
    def siths(self):
        header = forwarded_certificate()
        if header is None:
            flash("Inget SITHS-kort kunde läsas. Kontrollera att kortet sitter i läsaren och "
                  "att du öppnat tjänsten via dess SITHS-adress.", "error")
            return redirect(url_for(".index", next=safe_next(request.args.get("next"))))
        try:
            hsa_id = hsa_id_from_certificate(header)
        except CertificateError as error:
            return self.render_login(error=str(error), status=403)
        user, created = accounts.siths_user(hsa_id)
        if not user.active:
            return self.render_login(error="Kontot är spärrat. Kontakta kundservice.", status=403)
        return complete_login(user, first_time=created, certificate_hsa_id=hsa_id)

    @expose("/demo", methods=("POST",))
    def demo(self):
        form = DemoLoginForm()
        if not current_app.config["DEMO_MODE"] or not form.validate() or not is_demo_account(form.email.data):
            abort(404)
        user = accounts.find_by_email(form.email.data)
        if user is None or not user.active:
            abort(404)
        return complete_login(user)

    @expose("/logout", methods=("POST",))
    def logout(self):
        if current_user.is_authenticated:  # every session of the user ends, not only this cookie
            accounts.end_sessions(current_user._get_current_object())
        logout_user()
        session.clear()
        flash("Du är nu utloggad.", "info")
        return redirect(url_for(".index"))


def complete_login(user, first_time=False, certificate_hsa_id=None):
    accounts.record_login(user)
    target = safe_next(request.args.get("next"))
    session.clear()  # a new session: nothing from before login, a new CSRF token
    login_user(user)
    g.pop("may_open", None)  # asked before the login, answered for nobody
    session.permanent = True
    session["last_seen"] = int(time.time())
    if certificate_hsa_id:
        session[SITHS_BINDING] = certificate_hsa_id
    if user.role == ORDERER and not user.profile_complete:
        if first_time:
            flash("Välkommen till beställningsstödet! Fyll i namn, e-postadress och telefon. "
                  "Uppgifterna används som beställare i dina beställningar.", "info")
        else:
            flash("Dina uppgifter är inte kompletta. Fyll i namn, e-postadress och telefon.", "warning")
        return redirect(url_for("profile.index", next=target))
    return redirect(target or url_for("admin.index"))


def logged_in_user():
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def init_auth(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.index"

    @login_manager.user_loader
    def load_user(session_id):
        """'id:generation' (User.get_id); an older generation is a session that has been ended."""
        user_id, _, generation = session_id.partition(":")
        if not (user_id.isascii() and user_id.isdigit() and generation.isascii() and generation.isdigit()):
            return None
        user = db.session.get(User, database_int(user_id)) if len(user_id) < 11 else None
        if user is None or not user.active or str(user.session_generation or 0) != generation:
            return None
        return user

    @login_manager.unauthorized_handler
    def send_to_login(message="Logga in för att fortsätta."):
        if forwarded_certificate():
            return redirect(url_for("auth.siths", next=requested_page()))
        if request.accept_mimetypes.best == "application/json":
            return {"error": "Du är inte inloggad."}, 401
        flash(message, "info")
        return redirect(url_for("auth.index", next=requested_page()))

    @app.before_request
    def name_the_actor():
        """The change log records who made a change; the model layer asks this, not Flask-Login."""
        db.session.info[ACTOR] = logged_in_user

    @app.teardown_request
    def forget_the_actor(error=None):
        db.session.info.pop(ACTOR, None)

    @app.before_request
    def end_idle_sessions():
        if request.endpoint and request.endpoint.endswith("static"):
            return None
        if not current_user.is_authenticated:
            return None
        if not same_certificate_holder():
            logout_user()
            session.clear()
            return send_to_login("Ett annat SITHS-kort används nu. Logga in igen.")
        now = int(time.time())
        last_seen = session.get("last_seen")
        if last_seen is not None and now - last_seen > app.config["SESSION_IDLE_MINUTES"] * 60:
            logout_user()
            session.pop("last_seen", None)
            return send_to_login("Du har loggats ut efter en tids inaktivitet. Logga in igen för att fortsätta.")
        session["last_seen"] = now
        return None
