"""The assessment file: a whole round as one JSON document (pure: no Flask, no database).

``sait export-assessment`` writes it and ``sait import-assessment`` reads it;
``app/data/assessment_export.py`` and ``assessment_import.py`` do the
database side. The format is described for administrators in
``docs/assessment-format.md``.

:func:`read_document` either returns a document whose every part has been
checked, or raises :class:`AssessmentFileError` listing every problem, each
as ``path: what is wrong`` (``responses[3].answers[12].rating: 'excelent' is
not a level (...)``), so nothing half-checked is ever saved. :func:`dump`
writes a document the same way every time, so export, import and export
again gives the same bytes.

``schema.py`` holds what the file holds: how values are written, and the
shape of every object as a pydantic model, with the checker that words
pydantic's errors. ``document.py`` reads a whole document: each part against
its model, then that every benchmark, level, person and piece of evidence it
names exists.
"""

from app.core.assessment_file.document import (
    AssessmentFileError,
    embedded_framework,
    read_document,
)
from app.core.assessment_file.schema import (
    FORMAT,
    FORMAT_VERSION,
    dump,
    format_datetime,
    parse_date,
    parse_datetime,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "AssessmentFileError",
    "dump",
    "embedded_framework",
    "format_datetime",
    "parse_date",
    "parse_datetime",
    "read_document",
]
