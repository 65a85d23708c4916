"""Administrera systeminformation and Lägg till organisation eller systemnamn: the orderer's
own screens for system instances, organisations and systems."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from extensions import db
from forms.identifiers import tak_id_hints, tak_id_problem
from forms.system_information import (
    HSA_ID_TAKEN,
    InstanceForm,
    OrganisationForm,
    SystemForm,
)
from models import SystemInstance
from models.versioned import STALE_MESSAGE
from ordering import instance_changes as changes
from ordering import system_information as info
from web_input import database_int

from .access import ProtectedView
from .auth import safe_next

DRAFT_KEY = "instance:"  # the kept instance form: instance:<id> or instance:new
MISSING_TARGETS = ("organisation", "system")


def with_param(path, name, value):
    return f"{path}{'&' if '?' in path else '?'}{name}={value}"


class SystemInformationView(ProtectedView):
    @expose("/")
    def index(self):
        return self.render("systeminfo/index.html")

    @expose("/ny", methods=("GET", "POST"))
    def create(self):
        return self._instance_page(SystemInstance())

    @expose("/instans/<int:instance_id>", methods=("GET", "POST"))
    def edit(self, instance_id):
        instance = db.session.get(SystemInstance, instance_id)
        if instance is None:
            abort(404)
        return self._instance_page(instance)

    def _instance_page(self, instance):
        environments = info.selectable_environments(instance if instance.id else None)
        draft_key = str(instance.id or "new")
        if request.method == "POST" and request.form.get("missing") in MISSING_TARGETS:
            return self._leave_for_missing(draft_key, request.form["missing"])
        restored = self._restored_draft(draft_key) if request.method == "GET" and request.args.get("draft") else None
        user = current_user._get_current_object()
        form = InstanceForm(instance, environments, hsa_id_locked=not changes.may_change_hsa_id(user, instance),
                            **({"formdata": restored} if restored else {}))
        stale = (instance.id is not None and form.is_submitted() and bool(form.version.data)
                 and str(form.version.data) != str(instance.version))
        if stale:
            flash(STALE_MESSAGE, "error")
        elif form.validate_on_submit():
            is_new = instance.id is None
            values = form.instance_values({e.id: e for e in environments})
            info.forget_form(user, DRAFT_KEY + draft_key)
            if not changes.may_change_directly(user, instance, values):
                requested = changes.request_change(instance, values, user)
                why = ("Byte av organisation och ändrade e-postadresser till kontaktpersonerna godkänns av kundservice "
                       "när du inte är bekräftad kontaktperson för systemet" if changes.may_change_directly(user, instance)
                       else "Du är inte kontaktperson för systemet och inte i dess organisation")
                flash(f"{why}, så ändringen har skickats till kundservice för godkännande. Ingenting ändras förrän "
                      "den är godkänd; systemets kontaktpersoner har fått ett meddelande." if requested else
                      "Inga ändringar att spara.", "info")
                return redirect(safe_next(request.args.get("next")) or url_for(".edit", instance_id=instance.id))
            for hint in tak_id_hints(form.hsa_id.data) if form.hsa_id.data != form.hsa_id.object_data else ():
                flash(hint, "warning")
            info.save_instance(instance, values, user)
            flash(("Systeminstansen har skapats" if is_new else "Systeminstansen har uppdaterats")
                  + " och informationen sparats i beställningsstödet. Kundservice har fått ett meddelande.", "success")
            # From an order's "Redigera kontaktuppgifter": back to the order.
            return redirect(safe_next(request.args.get("next")) or url_for(".edit", instance_id=instance.id))
        return self.render("systeminfo/instance.html", form=form, instance=instance, environments=environments,
                           chosen=self._chosen_environments(form, environments),
                           back=safe_next(request.args.get("next")),
                           direct=changes.may_change_directly(user, instance))

    @staticmethod
    def _chosen_environments(form, environments):
        by_id = {environment.id: environment for environment in environments}
        return [by_id[i] for i in form.environment_ids.data or [] if i in by_id]

    def _leave_for_missing(self, draft_key, target):
        """Keep everything typed so far, add the organisation or system, then come back to it."""
        info.keep_form(current_user, DRAFT_KEY + draft_key,
                          [[key, value] for key, value in request.form.items(multi=True)
                           if key not in ("csrf_token", "missing")])
        back = url_for(request.endpoint, **request.view_args, draft=1)
        return redirect(url_for("directory.index", next=back, _anchor=target))

    @staticmethod
    def _restored_draft(draft_key):
        pairs = info.kept_form(current_user, DRAFT_KEY + draft_key)
        if pairs is None:
            return None
        data = MultiDict(pairs)
        for target in MISSING_TARGETS:
            chosen = request.args.get(target, type=database_int)
            if chosen is not None and chosen > 0:
                data[target] = str(chosen)
        return data

    @expose("/sok")
    def search_instances(self):
        term = request.args.get("q", "")
        return {"results": [{"id": instance.id, "label": str(instance),
                             "url": url_for(".edit", instance_id=instance.id)}
                            for instance in info.search_instances(term)]}

    @expose("/organisationer")
    def search_organisations(self):
        return {"results": [{"id": o.id, "label": str(o)} for o in info.search_organisations(request.args.get("q", ""))]}

    @expose("/system")
    def search_systems(self):
        return {"results": [{"id": s.id, "label": str(s)} for s in info.search_systems(request.args.get("q", ""))]}

    @expose("/hsa-id")
    def check_hsa_id(self):
        """While typing: is the HSA-id already registered, or malformed?"""
        value = request.args.get("value", "").strip()
        other_than = request.args.get("instance", type=database_int)
        existing = info.instance_with_hsa_id(value, other_than) if value else None
        if existing is not None:
            return {"taken": True, "message": HSA_ID_TAKEN, "label": str(existing),
                    "url": url_for(".edit", instance_id=existing.id)}
        return {"taken": False, "problem": tak_id_problem(value) if value else None,
                "hints": tak_id_hints(value)}


class DirectoryAdditionsView(ProtectedView):
    """Lägg till organisation eller systemnamn. Editing and removing stays with customer service.

    Reached from the start page and from the instance form rather than the crowded menu bar."""

    def is_visible(self):
        return False

    @expose("/")
    def index(self):
        return self._page()

    def _page(self, organisation_form=None, system_form=None, existing=None, status=200):
        return self.render("systeminfo/additions.html", organisation_form=organisation_form or OrganisationForm(),
                           system_form=system_form or SystemForm(), existing=existing,
                           next=safe_next(request.args.get("next"))), status

    @expose("/organisation", methods=("POST",))
    def add_organisation(self):
        form = OrganisationForm()
        if not form.validate_on_submit():
            return self._page(organisation_form=form)
        organisation, created = info.add_organisation(form.org_number.data, form.name.data)
        return self._added("organisation", organisation, created, organisation_form=form)

    @expose("/system", methods=("POST",))
    def add_system(self):
        form = SystemForm()
        if not form.validate_on_submit():
            return self._page(system_form=form)
        system, created = info.add_system(form.name.data)
        return self._added("system", system, created, system_form=form)

    def _added(self, kind, row, created, **forms):
        back = safe_next(request.args.get("next"))
        if not created:
            return self._page(existing={"kind": kind, "row": row,
                                        "use_url": with_param(back, kind, row.id) if back else None}, **forms)
        flash(f"{'Organisationen' if kind == 'organisation' else 'Systemet'} {row} har lagts till.", "success")
        if back:
            return redirect(with_param(back, kind, row.id))
        return redirect(url_for(".index"))
