"""Static tables the demo generator draws from: real RIV-TA domains and contract names,
the Swedish regions, and typical systems. Numbers and HSA-ids are generated."""

# (domain namespace, Swedish nickname, [(contract name, major version), ...])
DOMAINS = [
    ("clinicalprocess:activity:request", "Remisshantering",
     [("ProcessRequest", 1), ("ProcessRequestConfirmation", 1), ("ProcessRequestOutcome", 2),
      ("GetRequestStatus", 1), ("GetRequestInstruction", 1), ("GetRequestActivities", 1)]),
    ("clinicalprocess:activity:actions", "Vård- och omsorgsaktiviteter",
     [("GetActivities", 1), ("GetActivityPlan", 1)]),
    ("clinicalprocess:activityprescription:actoutcome", "Ordinationsutfall",
     [("GetMedicationHistory", 2), ("GetVaccinationHistory", 1), ("GetVaccinationHistory", 2)]),
    ("clinicalprocess:healthcond:actoutcome", "Utfall av aktiviteter",
     [("GetLaboratoryOrderOutcome", 4), ("GetReferralOutcome", 3), ("GetImagingOutcome", 1),
      ("GetECGOutcome", 1), ("GetMaternityMedicalHistory", 2)]),
    ("clinicalprocess:healthcond:description", "Tillståndsbeskrivning",
     [("GetAlertInformation", 2), ("GetCareDocumentation", 2), ("GetCareDocumentation", 3),
      ("GetDiagnosis", 2), ("GetFunctionalStatus", 2), ("GetCarePlans", 2)]),
    ("clinicalprocess:healthcond:basic", "Grundläggande hälsotillstånd",
     [("GetObservations", 1), ("GetDiagnosticReports", 1)]),
    ("clinicalprocess:healthcond:certificate", "Intyg",
     [("RegisterCertificate", 3), ("RevokeCertificate", 2), ("ListCertificatesForCitizen", 3),
      ("GetCertificate", 2), ("SendMessageToCare", 2), ("SendMessageToRecipient", 2)]),
    ("clinicalprocess:logistics:logistics", "Vårdkontakter",
     [("GetCareContacts", 2), ("GetCareContacts", 3), ("GetContactsForPatient", 1)]),
    ("clinicalprocess:logistics:patientjourney", "Patientresa",
     [("GetPatientJourney", 1)]),
    ("clinicalprocess:dental:hygiene", "Tandvård", [("GetDentalHealthHistory", 1)]),
    ("crm:scheduling", "Tidbokning",
     [("GetBookingDetails", 1), ("MakeBooking", 1), ("CancelBooking", 1), ("UpdateBooking", 1),
      ("GetAvailableTimeslots", 1), ("GetSubjectOfCareSchedule", 1), ("GetAllTimeTypes", 1),
      ("GetAllHealthcareFacilities", 1), ("GetAllPerformers", 1), ("GetTimeTypes", 1)]),
    ("crm:carelisting", "Listning",
     [("CreateListing", 1), ("GetAvailableFacilities", 1), ("GetListing", 1), ("GetListingTypes", 1),
      ("GetPersonQueueStatus", 1), ("GetListingHistory", 1)]),
    ("crm:requeststatus", "Ärendestatus", [("GetRequestStatus", 1), ("SetRequestStatus", 1)]),
    ("crm:selfservice", "Självbetjäning", [("GetPatientAnswers", 1), ("SendPatientAnswers", 1)]),
    ("ehr:accesscontrol", "Åtkomstkontroll", [("CheckAccess", 1), ("GetAccessLog", 1)]),
    ("ehr:blocking", "Spärrhantering",
     [("GetBlocksForPatient", 2), ("GetBlocks", 2), ("RegisterExtendedBlock", 2), ("CancelExtendedBlock", 2)]),
    ("ehr:patientconsent", "Samtyckeshantering",
     [("GetConsentsForPatient", 1), ("RegisterExtendedConsent", 1), ("CancelConsent", 1), ("GetConsents", 1)]),
    ("ehr:patientrelationship", "Patientrelationer",
     [("CheckPatientRelation", 1), ("RegisterPatientRelation", 1)]),
    ("ehr:logquery", "Loggutdrag", [("GetLogs", 1), ("GetAccessLogsForPatient", 1)]),
    ("ehr:log", "Loggning", [("StoreLog", 1)]),
    ("informationsecurity:authorization:blocking", "Spärrhantering (ny)",
     [("GetBlocks", 4), ("GetBlocksForQualityRegistry", 1), ("GetAllBlocks", 4)]),
    ("informationsecurity:authorization:consent", "Samtycke (ny)",
     [("GetConsentsForPatient", 2), ("RegisterExtendedConsent", 2)]),
    ("infrastructure:itintegration:engagementindex", "Engagemangsindex",
     [("Update", 1), ("FindContent", 1), ("ProcessNotification", 1), ("GetUpdates", 1)]),
    ("infrastructure:itintegration:registry", "Adresseringstjänster",
     [("GetLogicalAddresseesByServiceContract", 2), ("GetSupportedServiceContracts", 2)]),
    ("infrastructure:itintegration:monitoring", "Övervakning", [("PingForConfiguration", 1)]),
    ("infrastructure:directory:authorizationmanagement", "Behörighetshantering",
     [("GetCredentialsForPersonIncludingProtectedPerson", 2), ("GetHospCredentialsForPerson", 1)]),
    ("infrastructure:directory:employee", "HSA Personal",
     [("GetEmployeeIncludingProtectedPerson", 2)]),
    ("infrastructure:directory:organization", "HSA Organisation",
     [("GetCareUnit", 1), ("GetCareUnitList", 1), ("GetHealthCareUnit", 2), ("GetUnit", 4)]),
    ("infrastructure:directory:healthcareprofessionals", "Legitimerad personal (HOSP)",
     [("GetHospPerson", 1), ("GetHospLastUpdate", 1)]),
    ("strategicresourcemanagement:persons:person", "Personuppgifter",
     [("GetPersonsForProfile", 3), ("FindPersons", 1)]),
    ("supportprocess:logistics:carelisting", "Vårdval listning", [("GetListedCitizens", 1)]),
    ("clinicalprocess:healthcond:rheuma", "Reumatologiregister", [("GetRheumaInformation", 1)]),
    ("clinicalprocess:healthcond:radiology", "Radiologi",
     [("GetImagingOutcomeReferral", 1), ("ProcessImagingRequest", 1)]),
    ("clinicalprocess:healthcond:nursing", "Omvårdnad", [("GetNursingCarePlan", 1)]),
    ("clinicalprocess:activityprescription:pharmacy", "Förskrivning",
     [("GetPrescriptions", 2), ("ProcessPrescription", 2), ("GetMedicationDispense", 1)]),
    ("clinicalprocess:activity:vaccinationpreparation", "Vaccinationsförberedelse",
     [("GetVaccinationPreparation", 1)]),
    ("riv:followup:groupaddressing", "Gruppadressering", [("GetGroupAddresses", 1)]),
    ("fk:ehr:sickleave", "Sjukskrivning", [("RegisterSickLeaveCertificate", 2), ("GetSickLeaveCertificate", 2)]),
    ("insuranceprocess:healthreporting", "Hälsorapportering",
     [("RegisterMedicalCertificate", 3), ("SendMedicalCertificateQuestion", 1), ("ReceiveMedicalCertificateAnswer", 1)]),
    ("se:apotekensservice:lf", "Läkemedelsförteckningen", [("HamtaLakemedelsforteckning", 4)]),
]

# (county name, nine first digits of the region's organisationsnummer; the check digit is computed)
REGIONS = [
    ("Stockholm", "232100001"), ("Uppsala", "232100002"), ("Sörmland", "232100003"),
    ("Östergötland", "232100004"), ("Jönköping", "232100005"), ("Kronoberg", "232100006"),
    ("Kalmar", "232100007"), ("Blekinge", "232100008"), ("Skåne", "232100025"),
    ("Halland", "232100011"), ("Västra Götaland", "232100013"), ("Värmland", "232100015"),
    ("Örebro", "232100016"), ("Västmanland", "232100017"), ("Dalarna", "232100018"),
    ("Gävleborg", "232100019"), ("Västernorrland", "232100020"), ("Jämtland Härjedalen", "232100021"),
    ("Västerbotten", "232100022"), ("Norrbotten", "232100023"),
]

CARE_UNIT_KINDS = [
    "Vårdcentral", "Barnavårdscentral", "Barnneurologi", "Neurokirurgi", "Kvinnohälsan", "Akutmottagning",
    "Ortopedkliniken", "Medicinkliniken", "Psykiatrimottagning", "Folktandvården", "Röntgenkliniken",
    "Laboratoriemedicin", "Infektionskliniken", "Hudkliniken", "Ögonkliniken", "Sjukvårdsrådgivningen",
    "Dagvårdsavdelningen barn- och ungdomsmedicin", "Mödravårdscentral", "Rehabmottagning", "Geriatriken",
]

TOWNS = [
    "Centrum", "Norr", "Söder", "Öster", "Väster", "Strand", "Hamnen", "Ängen", "Backen", "Bruket",
    "Dalen", "Skogen", "Torget", "Viken", "Åsen", "Ekbacken", "Lunden", "Sjöstaden", "Hagen", "Kullen",
]

JOURNAL_SYSTEMS = ["TakeCare", "Cosmic", "Melior", "NCS Cross", "Millennium", "PMO", "Obstetrix", "Sectra RIS"]

# (organisation, nine first digits, system, övrigt) – national e-services acting as consumers
E_SERVICES = [
    ("Inera AB", "556559423", "1177 Vårdguidens e-tjänster", "Invånartjänster"),
    ("Inera AB", "556559423", "Journalen", "Journal via nätet"),
    ("Inera AB", "556559423", "Nationell patientöversikt", "NPÖ"),
    ("Inera AB", "556559423", "Intygstjänster", "Intygstjänsten"),
    ("Inera AB", "556559423", "Webcert", "Intygsutfärdande"),
    ("Inera AB", "556559423", "Pascal", "Ordinationsverktyg"),
    ("E-hälsomyndigheten", "202100642", "Nationella läkemedelslistan", ""),
    ("Försäkringskassan", "202100555", "Sjukpenning", "Mottagning av läkarintyg"),
]

VENDORS = [
    ("Cambio Healthcare Systems AB", "556250460"),
    ("CompuGroup Medical Sweden AB", "556339488"),
    ("Sectra Imaging IT AB", "556250185"),
]
