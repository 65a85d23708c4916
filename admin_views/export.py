"""CSV exports of the registers that open directly in Excel with Swedish settings."""
import csv

from flask import Response, stream_with_context
from werkzeug.utils import secure_filename

BYTE_ORDER_MARK = "\ufeff"
# A cell starting like this is a formula to a spreadsheet (=HYPERLINK(…), -2+3+cmd|…); names and
# contact details typed by orderers end up here, so such a cell is written as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Lines:
    """csv.writer's file: hands back each written line instead of storing it."""

    def write(self, line):
        return line


def spreadsheet_safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_response(titles, rows, filename):
    """Semicolon-separated UTF-8 with a byte-order mark: Swedish Excel splits columns on ';' and
    reads å, ä and ö right only with the mark (Flask-Admin's comma export lands in one column).
    rows: an iterable of value lists, streamed."""
    writer = csv.writer(_Lines(), delimiter=";")

    def lines():
        yield BYTE_ORDER_MARK + writer.writerow([spreadsheet_safe(title) for title in titles])
        for row in rows:
            yield writer.writerow([spreadsheet_safe(value) for value in row])

    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment;filename={secure_filename(filename)}"})


class SwedishCsvExport:
    """The registers' CSV export in the Swedish form of csv_response."""

    def _export_csv(self, return_url):
        _, rows = self._export_data()
        columns = self._export_columns
        return csv_response([title for _, title in columns],
                            ([self.get_export_value(row, name) for name, _ in columns] for row in rows),
                            self.get_export_name(export_type="csv"))
