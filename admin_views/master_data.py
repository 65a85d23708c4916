"""One ModelView per register of the directory and the catalog, with Swedish labels."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from wtforms import validators as wtv
from wtforms.fields import DateField

from forms import validators as v
from forms.identifiers import org_number_digits
from models import (
    CallAuthorization,
    Environment,
    InstalledContract,
    LogicalAddress,
    Organisation,
    ProducerConnection,
    RivtaProfile,
    ServiceContract,
    ServiceDomain,
    System,
    SystemInstance,
)
from models.directory import format_org_number
from ordering.catalog import contains

from .base import MasterDataView
from .filters import (
    CatalogHealthFilter,
    ConnectedInEnvironmentFilter,
    ValidTodayFilter,
    domain_filter,
    environment_filter,
    organisation_filter,
)

REQUIRED = v.Required("Fältet måste fyllas i.")

# Labels shared by every view, so one column is called the same everywhere.
LABELS = {
    "org_number": "Organisationsnummer",
    "name": "Namn",
    "hsa_id": "HSA-id",
    "organisation": "Organisation",
    "organisation.name": "Organisation",
    "system": "System",
    "system.name": "System",
    "other_info": "Övrigt",
    "tak_description": "Beskrivning i TAK",
    "environments": "Driftmiljöer",
    "environment": "Miljö",
    "platform": "Plattform",
    "active": "Aktiv",
    "snapshot_time": "TAK-exportens tidpunkt",
    "imported_at": "Senaste import",
    "namespace": "Namnrymd",
    "swedish_name": "Svenskt namn",
    "domain": "Tjänstedomän",
    "domain.namespace": "Tjänstedomän",
    "major": "Huvudversion",
    "minor": "Underversion",
    "description": "Beskrivning",
    "contract": "Tjänstekontrakt",
    "contract.name": "Tjänstekontrakt",
    "contract.namespace": "Namnrymd",
    "logical_address": "Logisk adressat",
    "logical_address.hsa_id": "Logisk adressat (HSA-id)",
    "logical_address.name": "Logisk adressat (namn)",
    "producer": "Tjänsteproducent",
    "producer.hsa_id": "Tjänsteproducent (HSA-id)",
    "consumer": "Tjänstekonsument",
    "consumer.hsa_id": "Tjänstekonsument (HSA-id)",
    "rivta_profile": "RIVTA-profil",
    "url": "URL",
    "valid_from": "Giltig från",
    "valid_to": "Giltig till",
    "integration_agreement": "Integrationsavtal",
    "main_contact_name": "Huvudansvarig, namn",
    "main_contact_email": "Huvudansvarig, e-post",
    "main_contact_phone": "Huvudansvarig, telefon",
    "tech_contact_name": "Teknisk kontaktperson, namn",
    "tech_contact_email": "Teknisk kontaktperson, e-post",
    "tech_contact_phone": "Teknisk kontaktperson, telefon",
    "support_email": "Teknisk support, funktionsbrevlåda",
    "support_phone": "Teknisk support, telefon",
}

EMAIL = wtv.Optional(), v.EMAIL


def _ajax(*fields):
    return {"fields": fields, "page_size": 20, "minimum_input_length": 0, "placeholder": "Sök …"}


class CatalogView(MasterDataView):
    column_labels = LABELS
    column_display_pk = False


class OrganisationView(CatalogView):
    column_list = ["org_number", "name"]
    column_searchable_list = ["name", "org_number"]
    column_sortable_list = ["org_number", "name"]
    column_default_sort = "name"
    column_formatters = {"org_number": lambda view, context, model, name: model.org_number_display}
    column_formatters_export = column_formatters
    form_columns = ["org_number", "name"]
    form_args = {
        "org_number": {"validators": [REQUIRED, v.OrgNumber(),
                                      v.UniqueIgnoringCase(Organisation.org_number, "organisationen")],
                       "filters": [org_number_digits],
                       "description": "10 siffror, t.ex. 556559-4230."},
        "name": {"label": "Namn på organisation", "validators": [REQUIRED], "filters": [v.strip_text]},
    }

    def on_form_prefill(self, form, id):
        form.org_number.data = format_org_number(form.org_number.data)

    def _apply_search(self, query, count_query, joins, count_joins, search):
        # Let '556559-4230' find the stored digits 5565594230.
        return super()._apply_search(query, count_query, joins, count_joins, org_number_digits(search))


class SystemView(CatalogView):
    column_list = ["name"]
    column_searchable_list = ["name"]
    column_default_sort = "name"
    form_columns = ["name"]
    form_args = {"name": {"label": "Produktnamn på system", "filters": [v.strip_text],
                          "validators": [REQUIRED, v.UniqueIgnoringCase(System.name, "systemet")]}}


class SystemInstanceView(CatalogView):
    column_list = ["hsa_id", "organisation", "system", "other_info", "tak_description", "environments"]
    column_searchable_list = ["hsa_id", "other_info", "tak_description", "organisation.name", "system.name"]
    column_sortable_list = ["hsa_id", ("organisation", "organisation.name"), ("system", "system.name"), "other_info"]
    column_default_sort = "hsa_id"
    column_filters = [
        organisation_filter("organisation.name"),
        environment_filter("environments.id"),
        "system.name",
        CatalogHealthFilter(SystemInstance),
    ]
    column_formatters = {"environments": lambda view, context, model, name: ", ".join(
        e.display for e in model.environments)}
    column_formatters_export = column_formatters
    # Flask-Admin would join the environments into the page's query, and SQLite then reads the whole
    # link table for every page; one IN query for the page's 50 instances instead.
    column_select_related_list = [SystemInstance.organisation, SystemInstance.system]
    form_columns = [
        "organisation", "other_info", "system", "hsa_id", "environments",
        "main_contact_name", "main_contact_email", "main_contact_phone",
        "tech_contact_name", "tech_contact_email", "tech_contact_phone",
        "support_email", "support_phone", "tak_description",
    ]
    form_ajax_refs = {"organisation": _ajax("name", "org_number"), "system": _ajax("name")}

    def get_query(self):
        return super().get_query().options(selectinload(SystemInstance.environments))

    form_args = {
        "hsa_id": {"label": "HSA-id", "filters": [v.strip_text],
                   "validators": [REQUIRED, v.TakId(),
                                                   v.UniqueIgnoringCase(SystemInstance.hsa_id, "systeminstansen")],
                   "description": "HSA-id:t på systemets SITHS-certifikat, t.ex. SE2321000016-92V4."},
        "other_info": {"filters": [v.strip_text]},
        "main_contact_email": {"validators": list(EMAIL)},
        "tech_contact_email": {"validators": list(EMAIL)},
        "support_email": {"validators": list(EMAIL)},
    }


class EnvironmentView(CatalogView):
    column_list = ["platform", "name", "active", "snapshot_time", "imported_at"]
    column_searchable_list = ["platform", "name"]
    column_default_sort = [("platform", False), ("name", False)]
    form_columns = ["platform", "name", "active"]
    form_args = {
        "platform": {"validators": [REQUIRED], "filters": [v.upper_text], "description": "T.ex. NTJP."},
        "name": {"validators": [REQUIRED, v.UniqueTogether(Environment, ("platform", "name"), "Miljön finns redan.")],
                 "filters": [v.upper_text], "description": "T.ex. DEV, TEST, QA eller PROD."},
    }
    can_delete = False


class ServiceDomainView(CatalogView):
    column_list = ["namespace", "swedish_name"]
    column_searchable_list = ["namespace", "swedish_name"]
    column_default_sort = "namespace"
    form_columns = ["namespace", "swedish_name"]
    form_args = {"namespace": {"filters": [v.strip_text], "validators": [
        REQUIRED, v.DomainNamespace(), v.UniqueIgnoringCase(ServiceDomain.namespace, "tjänstedomänen")]}}


class ServiceContractView(CatalogView):
    column_list = ["name", "major", "minor", "domain", "namespace", "description"]
    column_searchable_list = ["name", "namespace", "domain.namespace", "domain.swedish_name"]
    column_sortable_list = ["name", "major", "minor", ("domain", "domain.namespace"), "namespace"]
    column_default_sort = "namespace"
    column_filters = [domain_filter(ServiceContract.domain_id), "major"]
    form_columns = ["namespace", "name", "major", "minor", "domain", "description"]
    form_ajax_refs = {"domain": _ajax("namespace", "swedish_name")}
    form_args = {
        "namespace": {"filters": [v.strip_text], "validators": [
            REQUIRED, v.Namespace(), v.UniqueIgnoringCase(ServiceContract.namespace, "tjänstekontraktet")]},
        "name": {"validators": [REQUIRED], "filters": [v.strip_text]},
        "domain": {"validators": [REQUIRED]},
    }


class InstalledContractView(CatalogView):
    column_list = ["environment", "contract", "contract.namespace"]
    column_searchable_list = ["contract.name", "contract.namespace"]
    column_sortable_list = [("environment", "environment.name"), ("contract", "contract.name")]
    column_filters = [environment_filter(InstalledContract.environment_id), domain_filter("contract.domain_id"),
                      CatalogHealthFilter(InstalledContract)]
    form_columns = ["environment", "contract"]
    form_ajax_refs = {"contract": _ajax("name", "namespace")}
    form_args = {"environment": {"validators": [REQUIRED]}, "contract": {"validators": [
        REQUIRED, v.UniqueTogether(InstalledContract, ("environment", "contract"),
                                   "Tjänstekontraktet är redan installerat i miljön.")]}}


class LogicalAddressView(CatalogView):
    column_list = ["hsa_id", "name"]
    column_searchable_list = ["hsa_id", "name"]
    column_default_sort = "hsa_id"
    column_filters = [ConnectedInEnvironmentFilter(), CatalogHealthFilter(LogicalAddress)]
    form_columns = ["hsa_id", "name"]
    form_args = {
        "hsa_id": {"label": "HSA-id (adressidentitet)", "filters": [v.strip_text], "validators": [
            REQUIRED, v.TakId(), v.UniqueIgnoringCase(LogicalAddress.hsa_id, "den logiska adressaten")]},
        "name": {"validators": [REQUIRED, v.OneLineName()], "filters": [v.strip_text]},
    }


class RivtaProfileView(CatalogView):
    column_list = ["name", "description"]
    column_searchable_list = ["name"]
    form_columns = ["name", "description"]
    form_args = {"name": {"filters": [v.upper_text], "validators": [
        REQUIRED, v.UniqueIgnoringCase(RivtaProfile.name, "RIVTA-profilen")]}}


# The browser's own date input speaks Swedish; Flask-Admin's date picker shows English weekdays.
DATE_FIELDS = {"valid_from": DateField, "valid_to": DateField}


def _connection_form_args():
    return {
        "environment": {"validators": [REQUIRED]},
        "contract": {"validators": [REQUIRED]},
        "logical_address": {"validators": [REQUIRED]},
        "valid_from": {"validators": [REQUIRED]},
        "valid_to": {"validators": [REQUIRED]},
    }


class ConnectionSearch:
    """Search a connection register through its addressee, component and contract: each word is
    looked up in those small tables first, then found through the register's foreign-key
    indexes – instead of a LIKE over a join of half a million rows."""

    party_column = ""  # producer_id or consumer_id

    def _apply_search(self, query, count_query, joins, count_joins, search):
        model = self.model
        for term in search.split():
            condition = sa.or_(
                model.logical_address_id.in_(sa.select(LogicalAddress.id).where(
                    contains([LogicalAddress.hsa_id, LogicalAddress.name], term, approximate=True))),
                getattr(model, self.party_column).in_(sa.select(SystemInstance.id).where(
                    contains([SystemInstance.hsa_id], term))),
                model.contract_id.in_(sa.select(ServiceContract.id).where(
                    contains([ServiceContract.name], term))),
            )
            query = query.where(condition)
            count_query = count_query.where(condition) if count_query is not None else None
        return query, count_query, joins, count_joins


class ProducerConnectionView(ConnectionSearch, CatalogView):
    party_column = "producer_id"
    simple_list_pager = True  # counting 500,000 rows costs more than the page itself
    column_list = ["environment", "producer", "contract", "logical_address", "rivta_profile", "url",
                   "valid_from", "valid_to"]
    column_searchable_list = ["producer.hsa_id", "contract.name", "logical_address.hsa_id",
                              "logical_address.name"]
    column_sortable_list = [("environment", "environment.name"), ("producer", "producer.hsa_id"),
                            ("contract", "contract.name"), ("logical_address", "logical_address.hsa_id"),
                            "url", "valid_from", "valid_to"]
    column_filters = [
        environment_filter(ProducerConnection.environment_id),
        domain_filter("contract.domain_id"),
        organisation_filter("producer.organisation.name"),
        ValidTodayFilter(ProducerConnection),
        CatalogHealthFilter(ProducerConnection),
    ]
    form_columns = ["environment", "producer", "contract", "logical_address", "rivta_profile", "url",
                    "valid_from", "valid_to"]
    form_ajax_refs = {
        "producer": _ajax("hsa_id", "tak_description", "other_info"),
        "contract": _ajax("name", "namespace"),
        "logical_address": _ajax("hsa_id", "name"),
    }
    form_overrides = DATE_FIELDS
    form_args = dict(_connection_form_args(), producer={"validators": [REQUIRED]},
                     rivta_profile={"validators": [REQUIRED]},
                     url={"validators": [REQUIRED, v.Url()], "filters": [v.strip_text]})


class CallAuthorizationView(ConnectionSearch, CatalogView):
    party_column = "consumer_id"
    simple_list_pager = True  # counting 500,000 rows costs more than the page itself
    column_list = ["environment", "consumer", "contract", "logical_address", "integration_agreement",
                   "valid_from", "valid_to"]
    column_searchable_list = ["consumer.hsa_id", "contract.name", "logical_address.hsa_id",
                              "logical_address.name"]
    column_sortable_list = [("environment", "environment.name"), ("consumer", "consumer.hsa_id"),
                            ("contract", "contract.name"), ("logical_address", "logical_address.hsa_id"),
                            "valid_from", "valid_to"]
    column_filters = [
        environment_filter(CallAuthorization.environment_id),
        domain_filter("contract.domain_id"),
        organisation_filter("consumer.organisation.name"),
        ValidTodayFilter(CallAuthorization),
        CatalogHealthFilter(CallAuthorization),
    ]
    form_columns = ["environment", "consumer", "contract", "logical_address", "integration_agreement",
                    "valid_from", "valid_to"]
    form_ajax_refs = {
        "consumer": _ajax("hsa_id", "tak_description", "other_info"),
        "contract": _ajax("name", "namespace"),
        "logical_address": _ajax("hsa_id", "name"),
    }
    form_overrides = DATE_FIELDS
    form_args = dict(_connection_form_args(), consumer={"validators": [REQUIRED]})


DIRECTORY = "Organisation och system"
CATALOG = "Tjänsteadresseringskatalog"

MASTER_DATA_VIEWS = [
    (OrganisationView, Organisation, "Organisationer", DIRECTORY),
    (SystemView, System, "System", DIRECTORY),
    (SystemInstanceView, SystemInstance, "Systeminstanser", DIRECTORY),
    (EnvironmentView, Environment, "Miljöer", CATALOG),
    (ServiceDomainView, ServiceDomain, "Tjänstedomäner", CATALOG),
    (ServiceContractView, ServiceContract, "Tjänstekontrakt", CATALOG),
    (InstalledContractView, InstalledContract, "Installerade tjänstekontrakt", CATALOG),
    (LogicalAddressView, LogicalAddress, "Logiska adressater", CATALOG),
    (RivtaProfileView, RivtaProfile, "RIVTA-profiler", CATALOG),
    (ProducerConnectionView, ProducerConnection, "Producentanslutningar", CATALOG),
    (CallAuthorizationView, CallAuthorization, "Anropsbehörigheter", CATALOG),
]
