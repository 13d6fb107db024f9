"""Pages: download a template or an export, upload a file, follow its check, map a
free-form sheet, store. Every unit is fetched through the user's scope; `page` turns
NotFound into 404 and Forbidden into 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tiendo.accounts.access import Action, user_scope
from tiendo.errors import InvalidInput
from tiendo.exchange import exports
from tiendo.exchange.freeform import labelmappings_remember
from tiendo.exchange.models import Upload
from tiendo.exchange.readers import TARGET_KINDS
from tiendo.exchange.selectors import (
    choice_resolve,
    data_sets,
    unit_suggestions,
    upload_for,
    uploads_recent,
)
from tiendo.exchange.services import (
    upload_limits_check,
    upload_progress,
    upload_receive,
    upload_set_options,
    upload_start,
    upload_state,
)
from tiendo.plans.selectors import targetset_for
from tiendo.web.http import page
from tiendo.web.responses import attachment

# What an upload turned out to be, in the user's words (codes from services and imports).
FILE_KINDS = {
    "template": gettext_lazy("Excel form of the system"),
    "targets_template": gettext_lazy("Excel template of a target set"),
    "sheet": gettext_lazy("Excel sheet in DHIS2 columns"),
    "freeform": gettext_lazy("own table (Excel)"),
    "dhis2_json": "DHIS2 JSON",
    "dhis2_csv": "DHIS2 CSV",
    "adx": "ADX XML",
    "targets_csv": gettext_lazy("targets CSV"),
}


def _page(request, problems=None, status=200):
    scope = user_scope(request.user)
    return render(request, "exchange/home.html", {
        "data_sets": data_sets(),
        "units": unit_suggestions(request.user),
        "uploads": [upload_state(upload) for upload in uploads_recent(request.user)],
        "can_enter": scope.allows(Action.ENTER),
        "problems": problems or [],
        "values": request.GET if request.method == "GET" else request.POST,
    }, status=status)


@page
@require_GET
def home(request):
    if not user_scope(request.user).allows(Action.READ):
        raise PermissionDenied
    return _page(request)


@page
@require_GET
def template_download(request):
    try:
        choice = choice_resolve(
            user=request.user, unit=request.GET.get("unit", "").strip(),
            period=request.GET.get("period", "").strip(),
            data_set=request.GET.get("data_set", ""), action=Action.READ,
            required=("unit", "period", "data_set"))
    except InvalidInput as error:
        return _page(request, error.problems, status=422)
    content, filename = exports.template_file(choice)
    return attachment(HttpResponse(content, content_type=exports.XLSX_TYPE), filename)


@page
@require_GET
def export_download(request):
    fmt = request.GET.get("format", "")
    try:
        choice = choice_resolve(
            user=request.user, unit=request.GET.get("unit", "").strip(),
            period=request.GET.get("period", "").strip(),
            data_set=request.GET.get("data_set", ""), required=("unit", "period"))
        chunks, content_type, filename = exports.values_file(
            choice, fmt=fmt, scope=user_scope(request.user))
    except InvalidInput as error:
        return _page(request, error.problems, status=422)
    return attachment(StreamingHttpResponse(chunks, content_type=content_type), filename)


@page
@require_POST
def upload_create(request):
    if not user_scope(request.user).allows(Action.ENTER):
        raise PermissionDenied
    sent = request.FILES.get("file")
    options = {"period": request.POST.get("period", "").strip(),
               "data_set": request.POST.get("data_set", ""),
               "accept_other": bool(request.POST.get("accept_other"))}
    if request.POST.get("target_set"):  # sent from a target set's page
        options["target_set"] = targetset_for(request.user, request.POST["target_set"],
                                              Action.PLAN).pk
    try:
        if sent is None:
            raise InvalidInput([exports.problem(_("choose a file to upload"), "file")])
        upload_limits_check(stream=sent.file)  # before the file is read and kept
        if request.POST.get("unit", "").strip():
            choice = choice_resolve(user=request.user, unit=request.POST["unit"].strip(),
                                    period=options["period"], action=Action.ENTER,
                                    required=("period",))
            options["unit_id"] = choice.unit.pk
    except InvalidInput as error:
        return _page(request, error.problems, status=422)
    upload = upload_receive(user=request.user, filename=sent.name, content=sent.read(),
                            options=options)
    upload_start(upload=upload, store=False)
    return redirect("exchange:upload", upload_id=upload.pk)


@page
@require_GET
def upload_detail(request, upload_id: int):
    upload = upload_state(upload_for(request.user, upload_id))
    return render(request, "exchange/upload.html", {
        "progress": upload_progress(upload),
        "upload": upload, "report": upload.report,
        "working": upload.working,
        "of_targets": upload.report.get("kind") in TARGET_KINDS,
        "kind_label": FILE_KINDS.get(upload.report.get("kind"), upload.report.get("kind")),
        "proposal": upload.report.get("proposal"),
    })


@page
@require_GET
def upload_status(request, upload_id: int):
    upload = upload_state(upload_for(request.user, upload_id))
    return JsonResponse({"status": upload.status, "progress": upload_progress(upload),
                         "done": not upload.working})


@page
@require_POST
def upload_store(request, upload_id: int):
    upload = upload_for(request.user, upload_id)
    if upload.status != Upload.Status.CHECKED:
        messages.error(request, _("Only a checked file without problems can be stored."))
        return redirect("exchange:upload", upload_id=upload.pk)
    upload_set_options(upload=upload, accept_warnings=bool(request.POST.get("accept_warnings")))
    upload_start(upload=upload, store=True)
    return redirect("exchange:upload", upload_id=upload.pk)


@page
@require_POST
def upload_map(request, upload_id: int):
    """The user's corrections of a free-form proposal: remembered, then checked."""
    upload = upload_for(request.user, upload_id)
    proposal = upload.report.get("proposal")
    if upload.status != Upload.Status.NEEDS_MAPPING or not proposal:
        raise Http404
    rows = {str(label["index"]): request.POST.get(f"row-{label['index']}", "").strip()
            for label in proposal["rows"]}
    columns = {str(label["index"]): request.POST.get(f"col-{label['index']}", "").strip()
               for label in proposal["columns"]}
    labelmappings_remember(user=request.user, labels={
        "element": {label["text"]: rows[str(label["index"])] for label in proposal["rows"]},
        "unit": {label["text"]: columns[str(label["index"])] for label in proposal["columns"]},
    })
    upload_set_options(upload=upload, mapping={
        "period": upload.options["period"], "heading_row": proposal["heading_row"],
        "rows": rows, "columns": columns})
    upload_start(upload=upload, store=False)
    return redirect("exchange:upload", upload_id=upload.pk)
