"""Reads an XLSX with openpyxl (not the app's reader, nor exceljs) and prints, as JSON, what a spreadsheet sees:
per sheet its state, header, and per column the data types of its filled cells ('n' number, 'd' date, 's' text),
their number formats, the sum of the numbers and the values; and the data validations with the headers they cover.

Usage: /usr/bin/python3 xlsx-cells.py FILE [HEADER_ROW]   (Debian's python3-openpyxl)
"""
import datetime
import json
import sys

import openpyxl


def plain(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value


def main():
    path = sys.argv[1]
    header_row = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    workbook = openpyxl.load_workbook(path)
    sheets = []
    for ws in workbook.worksheets:
        rows = list(ws.iter_rows(min_row=header_row))
        header = [c.value for c in rows[0]] if rows else []
        columns = {}
        for i, name in enumerate(header):
            if name is None:
                continue
            cells = [r[i] for r in rows[1:] if i < len(r) and r[i].value is not None]
            columns[str(name)] = {
                "types": sorted({c.data_type for c in cells}),
                "formats": sorted({c.number_format for c in cells}),
                "sum": sum(c.value for c in cells if c.data_type == "n"),
                "values": [plain(c.value) for c in cells],
            }
        validations = []
        for dv in ws.data_validations.dataValidation:
            covered = []
            for r in dv.sqref.ranges:
                for col in range(r.min_col, r.max_col + 1):
                    if col - 1 < len(header) and header[col - 1] is not None:
                        covered.append(str(header[col - 1]))
            validations.append(
                {
                    "type": dv.type,
                    "formula1": dv.formula1,
                    "sqref": str(dv.sqref),
                    "columns": covered,
                    "allowBlank": bool(dv.allow_blank),
                }
            )
        sheets.append(
            {
                "name": ws.title,
                "state": ws.sheet_state,
                "header": [plain(v) for v in header],
                "columns": columns,
                "validations": validations,
            }
        )
    json.dump({"sheets": sheets}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
