"""Pages of the importer framework: the upload page every app's import builds on, and the pages
of the jobs (list, progress and report, a JSON status for the progress bar, problems as CSV).
Thin: the checks live in uploads.py, the running in jobs.py."""

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from wmo import downloads
from wmo.accounts import audit
from wmo.accounts.permissions import CapabilityRequiredMixin

from .framework import Importer
from .jobs import create_job, stage_label, status_text
from .limits import MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS, megabytes, thousands
from .models import ImportJob
from .problems import MAX_REPORTED_PROBLEMS
from .tasks import queue_job
from .uploads import ImportUploadForm

JOB_CAPABILITY = "imports.view"


class ImportUploadView(CapabilityRequiredMixin, FormView):
    """An app's upload page: set `capability`, `importer_class`, `page_title` and a template
    extending imports/upload.html. A valid upload becomes a job; the browser goes to its page."""

    template_name = "imports/upload.html"
    form_class = ImportUploadForm
    importer_class: type[Importer] = Importer
    page_title = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(importer_class=self.importer_class,
                      too_large=getattr(self.request, "upload_too_large", False))  # fmt: skip
        return kwargs

    def form_valid(self, form):
        job = create_job(self.importer_class, form.cleaned_data["file"], self.request.user,
                         dry_run=form.cleaned_data["dry_run"],
                         address=audit.client_address(self.request))  # fmt: skip
        queue_job(job)
        return HttpResponseRedirect(reverse("imports:job", args=[job.pk]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=self.page_title,
            columns=self.importer_class().column_names,
            recent_jobs=ImportJob.objects.filter(kind=self.importer_class.kind).select_related(
                "user"
            )[:5],
            limits={
                "size": megabytes(MAX_FILE_BYTES),
                "rows": thousands(MAX_ROWS),
                "cell": thousands(MAX_CELL_CHARS),
            },  # fmt: skip
        )
        return context


class JobListView(CapabilityRequiredMixin, ListView):
    capability = JOB_CAPABILITY
    template_name = "imports/job_list.html"
    context_object_name = "jobs"
    paginate_by = 50

    def get_queryset(self):
        return ImportJob.objects.select_related("user").defer("problems", "warnings")


class JobDetailView(CapabilityRequiredMixin, DetailView):
    capability = JOB_CAPABILITY
    model = ImportJob
    template_name = "imports/job.html"
    context_object_name = "job"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        # The report repeats rows of the file (record ids, a masked BSN): a view of person data.
        audit.record_view(
            job,
            request=self.request,
            details={
                "import": job.kind,
                "problemen": min(len(job.problems), MAX_REPORTED_PROBLEMS),
            },
        )
        context.update(
            status_text=status_text(job),
            stage=stage_label(job),
            problems=job.problems[:MAX_REPORTED_PROBLEMS],
            more_problems=max(0, job.problem_count - MAX_REPORTED_PROBLEMS),
            warnings=job.warnings[:MAX_REPORTED_PROBLEMS],
        )
        return context


class JobStatusView(CapabilityRequiredMixin, View):
    """What the progress bar polls (static/js/import-job.js)."""

    capability = JOB_CAPABILITY

    def get(self, request, pk):
        job = get_object_or_404(ImportJob.objects.defer("problems", "warnings"), pk=pk)
        return JsonResponse({
            "status": job.status, "statusLabel": job.get_status_display(),
            "progress": job.progress, "rowsProcessed": job.rows_processed,
            "text": status_text(job), "finished": not job.is_active,
        })  # fmt: skip


class JobProblemsView(CapabilityRequiredMixin, View):
    """The problems of a job's report as CSV (as many as the job kept)."""

    capability = JOB_CAPABILITY

    def get(self, request, pk):
        job = get_object_or_404(ImportJob, pk=pk)
        audit.record_export([job.pk], model=ImportJob, request=request, details={
            "formaat": "csv", "import": job.kind, "problemen": len(job.problems)})  # fmt: skip
        # A report echoes what the uploaded file held: the downloads module neutralises formulas.
        rows = [["regel", "kolom", "waarde", "melding"]]
        rows += [[problem["line"] or "", problem["column"], problem["value"], problem["message"]]
                 for problem in job.problems]  # fmt: skip
        if job.problem_count > len(job.problems):
            rows.append(["", "", "", f"… en nog {thousands(job.problem_count - len(job.problems))}"
                                     " problemen, niet bewaard."])  # fmt: skip
        return downloads.table_response("csv", rows, name=("importproblemen", job.pk),
                                        sheet_title="Problemen")  # fmt: skip
