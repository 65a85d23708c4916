"""The accessibility statement (tillgänglighetsredogörelse): sections of a second public text page,
kept like the FAQ's, with a first version in DIGG's structure

Revision ID: e5f1a7c3b9d2
Revises: d4e8b2f61a07
Create Date: 2026-12-01 23:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e5f1a7c3b9d2'
down_revision = 'd4e8b2f61a07'
branch_labels = None
depends_on = None

# DIGG's model statement: the service and who runs it, how accessible it is, what to do when something
# cannot be used, how to report a shortcoming, supervision, technical information, known shortcomings,
# how it was assessed. Customer service edits it in the back office afterwards.
STATEMENT = [
    ("Tillgänglighet för Beställningsstöd",
     "Beställningsstöd är tjänsten där organisationer beställer anslutningar på den nationella "
     "tjänsteplattformen och där plattformens kundservice handlägger beställningarna. Vi vill att så många "
     "som möjligt ska kunna använda tjänsten. Här beskriver vi hur Beställningsstöd uppfyller lagen "
     "(2018:1937) om tillgänglighet till digital offentlig service, kända tillgänglighetsproblem och hur du "
     "kan rapportera brister till oss så att vi kan åtgärda dem."),
    ("Hur tillgänglig är tjänsten?",
     "Vi känner till att delar av tjänsten inte är helt tillgängliga. De kända bristerna står under "
     "Innehåll som inte är tillgängligt nedan."),
    ("Vad kan du göra om du inte kan använda delar av tjänsten?",
     "Om du behöver innehåll från tjänsten i ett annat format, eller inte kan lägga en beställning, kan du "
     "kontakta kundservice via e-post (adressen står under Kontakta oss på den här sidan). Vi hjälper dig att "
     "lägga beställningen eller skickar innehållet i det format du behöver."),
    ("Rapportera brister i tjänstens tillgänglighet",
     "Vi strävar hela tiden efter att förbättra tjänstens tillgänglighet. Om du upptäcker problem som inte "
     "är beskrivna på den här sidan, eller om du anser att vi inte uppfyller lagens krav, meddela kundservice "
     "via e-post så att vi får veta att problemet finns."),
    ("Tillsyn",
     "Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över lagen om tillgänglighet till "
     "digital offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du kontakta Digg "
     "och påtala det (digg.se, Anmäl bristande tillgänglighet)."),
    ("Teknisk information om tjänstens tillgänglighet",
     "Tjänsten är delvis förenlig med lagen om tillgänglighet till digital offentlig service, på grund av "
     "de brister som beskrivs nedan. Målet är nivå AA i WCAG 2.1 (EN 301 549)."),
    ("Innehåll som inte är tillgängligt",
     "Konsumentmatrisen (tjänstekontrakt × logiska adressater) och registrens listor är breda tabeller; "
     "på smala skärmar rullas de i sidled inom sin egen ruta.\n"
     "Beställningen som TAK-JSON är teknisk text avsedd för TAK och kundservice."),
    ("Hur vi testat tjänsten",
     "Vi har gjort en självskattning (intern testning) av tjänsten: varje sida som varje roll når "
     "kontrolleras automatiskt med axe-core mot WCAG 2.1 A och AA i webbläsaren Chromium vid varje "
     "ändring av tjänsten, och beställningsflödena prövas med enbart tangentbord."),
]


def upgrade():
    op.add_column("faq_entry", sa.Column("page", sa.Enum("faq", "tillganglighet", name="content_page",
                                                        native_enum=False, length=20),
                                         server_default="faq", nullable=False))
    faq_entry = sa.table("faq_entry", sa.column("page", sa.String), sa.column("position", sa.Integer),
                         sa.column("question", sa.String), sa.column("answer", sa.Text))
    op.bulk_insert(faq_entry, [{"page": "tillganglighet", "position": (index + 1) * 10, "question": heading,
                                "answer": text}
                               for index, (heading, text) in enumerate(STATEMENT)])


def downgrade():
    op.execute("DELETE FROM faq_entry WHERE page = 'tillganglighet'")
    with op.batch_alter_table("faq_entry") as batch:
        batch.drop_column("page")
