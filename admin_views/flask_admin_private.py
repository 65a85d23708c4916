"""The parts of Flask-Admin that are not its public API and that this tool relies on – each an
upgrade risk, so each is named here, with why, and tests/test_flask_admin_private.py fails when the
installed Flask-Admin no longer has one with the same parameters (or when a view overrides a private
name this table does not list).

Overridden (a method of ours replaces Flask-Admin's and calls it through super()):
  ModelView._get_list_extra_args   access.ProtectedModelView: bound the page number to the database
  ModelView._apply_sorting         access.ProtectedModelView: every list order ends with the key
  ModelView._apply_search          master_data (organisation number, connection registers), back_office
  ModelView._export_csv            export.SwedishCsvExport: Swedish Excel's CSV
Read:
  ModelView._get_default_order     access.ProtectedModelView: the default order's last column
  ModelView._primary_key           access.ProtectedModelView: the key the deferred join walks
  ModelView._export_data           export.SwedishCsvExport
  ModelView._export_columns        export.SwedishCsvExport (set by _refresh_cache)
  ModelView.action_delete._action  access.ProtectedModelView: Ta bort valda keeps Flask-Admin's texts
  Admin._views                     tests only: every registered view
Template blocks rendered once per view (chrome.rendered_once): admin/base.html's head_css.
"""
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView

# (class, name, parameter names of the method, or None for an attribute)
OVERRIDDEN = [
    (ModelView, "_get_list_extra_args", ["self"]),
    (ModelView, "_apply_sorting", ["self", "query", "joins", "sort_column", "sort_desc"]),
    (ModelView, "_apply_search", ["self", "query", "count_query", "joins", "count_joins", "search"]),
    (ModelView, "_export_csv", ["self", "return_url"]),
]
READ = [
    (ModelView, "_get_default_order", ["self"]),
    (ModelView, "_export_data", ["self"]),
    (ModelView, "_primary_key", None),
    (ModelView, "_export_columns", None),
    (Admin, "_views", None),
]
