"""Mina uppgifter: the user's own name, e-mail and phone, which prefill Beställare in orders."""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from extensions import db
from forms.accounts import ProfileForm

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
