"""The base ModelView every register shares."""
from flask import flash
from flask_admin.model import template
from sqlalchemy.exc import IntegrityError

from forms.identifiers import tak_id_hints

from .access import ProtectedModelView


class MasterDataView(ProtectedModelView):
    # CSRF comes from the global CSRFProtect; Flask-Admin's templates put its token in every form.
    details_template = "admin/model/details_with_history.html"
    can_export = True
    export_types = ["csv"]
    export_max_rows = 0

    def get_list_row_actions(self):
        """Details and edit per row; a row is removed from its details page, where one sees what goes
        (or several at once with the list's "Ta bort valda"). One form less per row also keeps a page
        of 50 rows as quick as Flask-Admin's own list."""
        return [action for action in super().get_list_row_actions()
                if not isinstance(action, template.DeleteRowAction)]

    def on_model_change(self, form, model, is_created):
        if "hsa_id" in form and form.hsa_id.data != form.hsa_id.object_data:
            model.hsa_id = model.hsa_id.strip()  # stored as typed, as TAK's own register does
            for hint in tak_id_hints(model.hsa_id):
                flash(hint, "warning")

    def handle_view_exception(self, exc):
        if isinstance(exc, IntegrityError):
            # Flask-Admin would show the raw database error; the session is rolled back by the caller.
            flash("Ändringen kunde inte sparas eftersom den krockar med andra poster: posten finns redan, "
                  "eller används av andra poster och kan då inte tas bort.", "error")
            return True
        return super().handle_view_exception(exc)
