"""Mina uppgifter: the user's own name, e-mail and phone, which prefill Beställare in orders."""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from extensions import db
from forms.accounts import ProfileForm
from ordering import email_proof

from .access import ProtectedView
from .auth import safe_next


class ProfileView(ProtectedView):
    def is_visible(self):
        return False  # in the user menu at the right of the navigation bar

    @expose("/", methods=("GET", "POST"))
    def index(self):
        user = current_user._get_current_object()
        form = ProfileForm(user)
        if form.validate_on_submit():
            user.name, user.email, user.phone = form.name.data, form.email.data, form.phone.data
            db.session.commit()
            flash("Dina uppgifter har sparats.", "success")
            return redirect(safe_next(request.args.get("next")) or url_for(".index"))
        return self.render("auth/profile.html", form=form, user=user)

    @expose("/bekrafta-epost", methods=("POST",))
    def send_proof(self):
        """Skicka bekräftelselänk: a link to the address on the profile, which proves it when opened."""
        user = current_user._get_current_object()
        try:
            email_proof.send_proof(user, lambda token: url_for(".confirm", token=token, _external=True))
        except email_proof.ProofError as error:
            flash(str(error), "error")
        else:
            flash(f"En bekräftelselänk är köad till {user.email}. Öppna den när du är inloggad.", "success")
        return redirect(url_for(".index"))

    @expose("/bekrafta-epost/<token>")
    def confirm(self, token):
        user = current_user._get_current_object()
        try:
            email_proof.confirm(user, token)
        except email_proof.ProofError as error:
            flash(str(error), "error")
        else:
            flash(f"{user.email} är bekräftad som din e-postadress.", "success")
        return redirect(url_for(".index"))
