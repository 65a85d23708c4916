"""Flask-Admin: the start page, login, the orderer's screens, the registers, follow-up."""
import os

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from extensions import db
from models import CatalogSync, ChangeLog, FaqEntry, InstanceChangeRequest, Order, OutboundEmail, User

from .auth import AuthView, init_auth
from .back_office import CaseworkView, OrderQueueView
from .catalog_health import CatalogHealthView
from .catalog_sync import CatalogSyncView
from .change_log import ChangeLogView, change_history, changes_table
from .change_requests import InstanceChangeRequestView
from .chrome import fixed_url, rendered_once, site_menu
from .consumer_order import ConsumerOrderView
from .content import AccessibilityView, FaqEntryView, FaqView, OutboxView
from .dashboard import DashboardView, EnvironmentFiguresView
from .formatting import status_badge, swedish_time, waited
from .master_data import CATALOG, DIRECTORY, MASTER_DATA_VIEWS
from .my_orders import MyOrdersView
from .producer_order import ProducerOrderView
from .profile import ProfileView
from .stored_orders import CleanupOrderView, RollbackOrderView
from .system_information import DirectoryAdditionsView, SystemInformationView
from .tak_api import tak_api
from .users import UserView

FOLLOW_UP = "Uppföljning"
# The menu in one row at 1366 px (issue 18): the manual's names stay, inside these groups.
ORDER, CUSTOMER_SERVICE_MENU, REGISTERS = "Beställ", "Kundservice", "Register"


def init_admin(app):
    init_auth(app)
    app.add_template_filter(swedish_time)
    app.add_template_global(status_badge)
    app.add_template_global(site_menu)
    app.add_template_global(fixed_url)
    app.add_template_global(rendered_once)
    app.add_template_global(waited)
    app.add_template_global(change_history)
    app.add_template_global(changes_table)
    admin = Admin(
        app,
        name="Beställningsstöd",
        url="/admin",
        index_view=DashboardView(name="Start", url="/admin"),
        theme=Bootstrap4Theme(base_template="admin/base_bs.html", fluid=True),
        # Fills the gaps in Flask-Admin's own Swedish catalogue (translations/sv/LC_MESSAGES/admin.po).
        translations_path=os.path.join(app.root_path, "translations"),
    )
    admin.add_view(AuthView(name="Logga in", endpoint="auth", url="/auth"))
    admin.add_view(EnvironmentFiguresView(name="Tjänsteadresseringskatalogen per miljö", endpoint="figures",
                                          url="/admin/miljoer"))
    admin.add_view(SystemInformationView(name="Administrera systeminformation", endpoint="systeminfo",
                                         url="/systeminformation", category=ORDER))
    admin.add_view(DirectoryAdditionsView(name="Lägg till organisation eller systemnamn", endpoint="directory",
                                          url="/organisation-och-system"))
    admin.add_view(ProducerOrderView(name="Administrera tjänsteproducent", endpoint="producer", url="/producent",
                                     category=ORDER))
    admin.add_view(ConsumerOrderView(name="Administrera tjänstekonsument", endpoint="consumer", url="/konsument",
                                     category=ORDER))
    admin.add_view(MyOrdersView(name="Mina beställningar", endpoint="orders", url="/mina-bestallningar"))
    admin.add_view(RollbackOrderView(name="Återställningsbeställning", endpoint="rollback", url="/aterstallning"))
    admin.add_view(CleanupOrderView(name="Städbeställning", endpoint="cleanup", url="/stadning"))
    admin.add_view(ProfileView(name="Mina uppgifter", endpoint="profile", url="/mina-uppgifter"))
    admin.add_view(OrderQueueView(Order, db, name="Beställningar", category=CUSTOMER_SERVICE_MENU,
                                  endpoint="backoffice"))
    admin.add_view(CaseworkView(name="Beställning", endpoint="casework", url="/kundservice/bestallning"))
    admin.add_view(InstanceChangeRequestView(InstanceChangeRequest, db, name="Ändringsförfrågningar",
                                             category=CUSTOMER_SERVICE_MENU, endpoint="changerequest"))
    admin.add_category(REGISTERS)
    admin.add_sub_category(name=DIRECTORY, parent_name=REGISTERS)
    admin.add_sub_category(name=CATALOG, parent_name=REGISTERS)
    for view_class, model, name, category in MASTER_DATA_VIEWS:
        admin.add_view(view_class(model, db, name=name, category=category))
    admin.add_view(ChangeLogView(ChangeLog, db, name="Ändringslogg", category=FOLLOW_UP, endpoint="changelog"))
    admin.add_view(CatalogHealthView(name="Katalogkvalitet", category=FOLLOW_UP, endpoint="cataloghealth",
                                     url="/admin/katalogkvalitet"))
    admin.add_view(OutboxView(OutboundEmail, db, name="Utkorg", category=FOLLOW_UP, endpoint="outbox"))
    admin.add_view(CatalogSyncView(CatalogSync, db, name="TAK-synkronisering", category=FOLLOW_UP,
                                   endpoint="catalogsync"))
    admin.add_view(FaqEntryView(FaqEntry, db, name="FAQ och tillgänglighet", category=FOLLOW_UP, endpoint="faqentry"))
    admin.add_view(UserView(User, db, name="Användare", category=FOLLOW_UP, endpoint="user"))
    admin.add_view(FaqView(name="FAQ", endpoint="faq", url="/faq"))
    admin.add_view(AccessibilityView(name="Tillgänglighetsredogörelse", endpoint="accessibility",
                                     url="/tillganglighet"))
    app.register_blueprint(tak_api)
    return admin
