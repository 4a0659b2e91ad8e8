"""The one importer framework (domain/INTERCHANGE.md), a ground-floor package every app's
importer builds on. Its modules, each holding one thing:

- `limits`     the limits of every file (size, unpacked size, rows, cell length, control
               characters, dates) and the checks that need only the file itself;
- `reading`    CSV and XLSX as row streams from disk, `Column`, the cheap header peek;
- `parsing`    cell parsers (dates within the limits, booleans, numbers, choices);
- `problems`   ImportProblem, ImportResult (the Dutch report), RowError(s), ImportFileError;
- `framework`  Importer: header check, all-or-nothing in two passes, upsert, progress;
- `database`   bulk look-ups and writes (COPY, joined UPDATE, ids from the sequence);
- `command`    ImportCommand, the base of `manage.py import_*`;
- `uploads`    the upload form and the request's size limit;
- `models`, `jobs`, `tasks`, `views`, `urls`: an upload's ImportJob, run by a Celery task,
               with its progress and report pages.

Import from the module that holds a name (`from wmo.imports.framework import Importer`); this
package itself exports nothing, so loading the Django app loads no importer.
"""
