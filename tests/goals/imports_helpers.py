"""Building import files in tests: CSV or XLSX from lists of rows."""

import csv
import io

from openpyxl import Workbook


def csv_file(header, *rows):
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(output.getvalue().encode("utf-8"))


def xlsx_file(header, *rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return output
