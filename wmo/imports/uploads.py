"""The upload form and what a web request may check: only cheap things (size, extension, what
the content is, a workbook's zip directory, the header row). The rows are never parsed in the
request; the job does that (jobs.py)."""

from __future__ import annotations

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

from wmo.text import PlainText

from .framework import Importer
from .limits import MAX_FILE_BYTES, FileRefused, megabytes
from .problems import ImportFileError
from .reading import EXTENSIONS, inspect_file, peek_header

TOO_LARGE = (f"Het bestand is groter dan {megabytes(MAX_FILE_BYTES)} (grens: "
             f"{megabytes(MAX_FILE_BYTES)} per bestand). Splits het in kleinere bestanden.")  # fmt: skip


class SizeLimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: stops taking in a file once it passes the file limit (or
    at once when the request says it is larger), so an oversized upload is never written to
    disk. The form then names the limit (`request.upload_too_large`)."""

    MARGIN = 1024 * 1024  # the multipart envelope and the other fields

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request.upload_too_large = content_length > MAX_FILE_BYTES + self.MARGIN

    def receive_data_chunk(self, raw_data, start):
        if getattr(self.request, "upload_too_large", False) or (
            start + len(raw_data) > MAX_FILE_BYTES
        ):
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


class ImportUploadForm(PlainText, forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        error_messages={"empty": _("Het bestand is leeg (0 bytes).")},
        help_text=_(
            "CSV (UTF-8, komma of puntkomma) of Excel (.xlsx) met één kopregel; hoogstens 50 MB."
        ),
    )
    dry_run = forms.BooleanField(label=_("Alleen controleren, niets opslaan"), required=False)

    def __init__(self, *args, importer_class: type[Importer] | None = None,
                 too_large: bool = False, **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.importer_class = importer_class
        self.too_large = too_large
        if too_large:  # the file was not taken in: say why instead of "required"
            field = self.fields["file"]
            field.error_messages = {**field.error_messages, "required": TOO_LARGE}

    def clean_file(self):
        if self.too_large:
            raise forms.ValidationError(TOO_LARGE)
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if name.endswith(".xls"):
            raise forms.ValidationError(_("Oude Excel-bestanden (.xls) worden niet gelezen; sla het "
                                        "bestand op als Excel-werkmap (.xlsx)."))  # fmt: skip
        if not name.endswith(EXTENSIONS):
            raise forms.ValidationError(_("Kies een .csv- of .xlsx-bestand."))
        try:
            inspect_file(upload, upload.size, name, unpack=False)
            if self.importer_class is not None:
                peeked = peek_header(upload, upload.size, name)
                if peeked is not None:
                    self.importer_class().check_header(*peeked)
        except (FileRefused, ImportFileError) as exc:
            raise forms.ValidationError(exc.message) from None
        upload.seek(0)
        return upload
