"""Building import files in tests: CSV or XLSX from lists of rows."""

import csv
import io
import random
import struct
import zlib

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


def deflated(pieces):
    """(raw deflate stream, CRC-32, size) of the concatenation of each (bytes, times) piece, compressed once
    per piece: a gigabyte of repeated text takes a second, not a minute."""
    stream, crc, size = b"", 0, 0
    for data, times in pieces:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        stream += (compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)) * times
        for _ in range(times):
            crc = zlib.crc32(data, crc)
        size += len(data) * times
    return stream + zlib.compressobj(9, zlib.DEFLATED, -15).flush(), crc, size


def zip_archive(parts):
    """A zip archive written by hand from {name: [(bytes, times), ...]}; a name ending in .bin is stored as is."""
    body, directory = b"", b""
    for name, pieces in parts.items():
        if name.endswith(".bin"):
            data = b"".join(piece * times for piece, times in pieces)
            method, stream, crc, size = 0, data, zlib.crc32(data), len(data)
        else:
            method, (stream, crc, size) = 8, deflated(pieces)
        encoded = name.encode()
        fields = struct.pack("<HHHHHIII", 20, 0, method, 0, 0x21, crc, len(stream), size)
        directory += (
            struct.pack("<IH", 0x02014B50, 20)
            + fields
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, len(body))
            + encoded
        )  # fmt: skip
        body += struct.pack("<I", 0x04034B50) + fields + struct.pack("<HH", len(encoded), 0) + encoded + stream
    count = len(parts)
    return body + directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(body), 0)


MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'


def handmade_xlsx(sheet, shared_strings=None, padding=0):
    """A minimal workbook written as XML by hand, so a test can hold what no spreadsheet program would write.

    `sheet` and `shared_strings` are (bytes, times) pieces of the sheet's and the shared strings' XML;
    `padding` adds that many incompressible bytes (an image, say) to the upload.
    """
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    )
    package_rels = (
        f'<Relationships {PACKAGE_RELATIONSHIPS}><Relationship Id="rId1" '
        f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'<workbook {MAIN} xmlns:r="{RELATIONSHIPS}"><sheets>'
        '<sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        f'<Relationships {PACKAGE_RELATIONSHIPS}><Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        + (f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
           if shared_strings else "")
        + "</Relationships>"
    )  # fmt: skip
    parts = {
        "[Content_Types].xml": [(types.encode(), 1)],
        "_rels/.rels": [(package_rels.encode(), 1)],
        "xl/workbook.xml": [(workbook.encode(), 1)],
        "xl/_rels/workbook.xml.rels": [(workbook_rels.encode(), 1)],
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared_strings:
        parts["xl/sharedStrings.xml"] = shared_strings
    if padding:
        parts["xl/media/image1.bin"] = [(random.Random(0).randbytes(padding), 1)]
    return zip_archive(parts)


def sheet_xml(rows, dimension=None):
    """A sheet's XML as pieces: `rows` is a list of (row XML, times)."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return [(f"<worksheet {MAIN}>{declared}<sheetData>".encode(), 1), *rows, (b"</sheetData></worksheet>", 1)]


def inline_row(*values, number=None):
    """A row of inline strings (t="inlineStr"), numbered or, without `number`, following the previous one."""
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
    return f'<row r="{number}">{cells}</row>' if number else f"<row>{cells}</row>"
