"""Putting a coding sample into Label Studio in one step, over its HTTP API.

``framing sample RUN_DIR --label-studio URL`` creates the project with the
labelling config generated from the catalog and imports the tasks, in one
command: ``POST /api/projects/`` (title, description, label_config), then
``POST /api/projects/ID/import`` (the tasks, JSON). The access token is read
from the environment (``LABEL_STUDIO_API_KEY``), never from the command line
(Label Studio 1.23 accepts only personal access tokens unless an administrator
enables legacy tokens for the organization):
a legacy token is sent as ``Authorization: Token ...``; a personal access
token (a JWT refresh token) is first exchanged at ``POST /api/token/refresh/``
for an access token sent as ``Authorization: Bearer ...``. Only the standard
library is used (no SDK to install).

Two guards keep the token and the user's trust: no request follows a
redirect (urllib would send the ``Authorization`` header, or the refresh
token in the body, to whatever address a server names; a redirect is an
error naming where it pointed), and success is said only after the project
is read back (``GET /api/projects/ID/``: its id and its task count) and
holds every task imported.

Examples
--------
>>> project = create_project("http://localhost:8080", "abc123", "Frames sample", config_xml, tasks)  # doctest: +SKIP
>>> project["url"]                                                                                     # doctest: +SKIP
'http://localhost:8080/projects/7'
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .errors import FramingError

TOKEN_ENV = "LABEL_STUDIO_API_KEY"
TIMEOUT = 60.0
VERIFY_SECONDS = 30.0  # how long the imported tasks may take to show in the project (imports can be queued)


class LabelStudioError(FramingError):
    """Label Studio could not be reached, refused the token, or rejected the project or tasks."""


def is_personal_access_token(token: str) -> bool:
    """A personal access token is a JWT (three dot-separated parts); a legacy token is one hex string.

    >>> is_personal_access_token("d6f8a2622d39e9d89ff0dfef1a80ad877f4ee9e3"), is_personal_access_token("a.b.c")
    (False, True)
    """
    return token.count(".") == 2


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: the 3xx answer becomes an HTTPError that :func:`_call` explains."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_RefuseRedirects())


def _call(url: str, payload: Any, headers: dict[str, str], what: str, method: str = "POST") -> Any:
    data = None if method == "GET" else json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
    extra = {} if data is None else {"Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/json", **extra, **headers},
                                     method=method)
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:  # the user's own server; no redirects followed
            body = response.read().decode("utf-8") or "{}"
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            target = urllib.parse.urljoin(url, exc.headers.get("Location", "") or "") if exc.headers else url
            raise LabelStudioError(
                f"Label Studio at {url} answered HTTP {exc.code}, a redirect to {target}, when asked to {what}. "
                "framing follows no redirect, so your token was not sent there. If that is the address of your "
                "Label Studio, pass it to --label-studio (https:// if the server asks for it).") from None
        detail = exc.read().decode("utf-8", "replace")[:500]
        hint = ""
        if exc.code in (401, 403) and "legacy token" in detail.lower():
            hint = (f" This Label Studio does not accept legacy tokens (recent versions, 1.23 among them, disable them by default): put a "
                    f"personal access token in ${TOKEN_ENV} (Account & Settings > Personal Access Token), or enable "
                    "legacy tokens in Organization > API Tokens Settings.")
        elif exc.code in (401, 403):
            hint = f" Check the token in ${TOKEN_ENV} (Account & Settings in Label Studio)."
        raise LabelStudioError(f"Label Studio refused to {what} ({url}: HTTP {exc.code}): {detail}{hint}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LabelStudioError(f"Cannot reach Label Studio at {url} to {what}: {reason}. Is it running "
                               "(`label-studio start`), and is the URL right?") from None
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        raise LabelStudioError(f"Label Studio answered {url} with something that is not JSON: {body[:200]!r}. "
                               "Is the URL that of Label Studio?") from None


def auth_headers(base: str, token: str) -> dict[str, str]:
    """The Authorization header for ``token`` (a personal access token is exchanged for an access token)."""
    if not token:
        raise LabelStudioError(f"No Label Studio token: set ${TOKEN_ENV} to your access token "
                               "(Label Studio: Account & Settings).")
    if not is_personal_access_token(token):
        return {"Authorization": f"Token {token}"}
    answer = _call(f"{base}/api/token/refresh/", {"refresh": token}, {}, "exchange the personal access token")
    access = answer.get("access") if isinstance(answer, dict) else None
    if not access:
        raise LabelStudioError(f"Label Studio gave no access token for the personal access token: {answer!r}.")
    return {"Authorization": f"Bearer {access}"}


def create_project(url: str, token: str, title: str, label_config: str, tasks: list[dict],
                   description: str = "") -> dict:
    """Create a Label Studio project with ``label_config`` and import ``tasks`` into it.

    Parameters
    ----------
    url : str
        Label Studio's address, e.g. ``http://localhost:8080``.
    token : str
        A legacy token or a personal access token.
    title, label_config, description : str
    tasks : list of dict
        Label Studio tasks (``{"data": {...}}``), as in ``label-studio-tasks.json``.

    Returns
    -------
    dict with ``project_id``, ``url`` (the project's page) and ``tasks`` (the tasks the project holds, read back).

    Raises
    ------
    LabelStudioError
        Unreachable server, refused token, a redirect (never followed: the token stays where the user sent it),
        a project or import Label Studio rejected, or a project that, read back, is missing or lacks tasks.
    """
    base = url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise LabelStudioError(f"The Label Studio URL must start with http:// or https://. Got {url!r} instead.")
    headers = auth_headers(base, token)
    project = _call(f"{base}/api/projects/", {"title": title, "description": description, "label_config": label_config},
                    headers, "create the project")
    pid = project.get("id") if isinstance(project, dict) else None
    if pid is None:
        raise LabelStudioError(f"Label Studio created no project (no id in its answer): {project!r}.")
    _call(f"{base}/api/projects/{pid}/import", tasks, headers, f"import the tasks into project {pid}")
    count = verify_project(base, pid, headers, len(tasks))
    return {"project_id": pid, "url": f"{base}/projects/{pid}", "tasks": count}


def _task_count(base: str, pid, headers: dict[str, str], project: dict) -> int | None:
    count = project.get("task_number")  # Label Studio's project serializer: the tasks the project holds
    if count is None:  # a server that leaves it out: the data manager's task list says its total
        listing = _call(f"{base}/api/tasks/?project={pid}&page_size=1", None, headers,
                        f"count the tasks of project {pid}", method="GET")
        count = listing.get("total") if isinstance(listing, dict) else None
    try:
        return None if count is None else int(count)
    except (TypeError, ValueError):
        return None


def verify_project(base: str, pid, headers: dict[str, str], expected: int) -> int:
    """Read the project back and wait until it holds the ``expected`` tasks; returns its task count.

    Raises
    ------
    LabelStudioError
        When the project cannot be read, is another project, or does not hold the tasks within
        ``VERIFY_SECONDS`` (Label Studio answered that it created them, but it did not).
    """
    claim = f"Label Studio answered that it created project {pid} and imported {expected} tasks, but"
    deadline = time.monotonic() + VERIFY_SECONDS
    while True:
        try:
            project = _call(f"{base}/api/projects/{pid}/", None, headers, f"read project {pid} back", method="GET")
            if not isinstance(project, dict) or str(project.get("id")) != str(pid):
                raise LabelStudioError(f"reading {base}/api/projects/{pid}/ gave another answer: "
                                       f"{str(project)[:200]}. Is the URL that of Label Studio?")
            count = _task_count(base, pid, headers, project)
        except LabelStudioError as exc:
            raise LabelStudioError(f"{claim} the project cannot be read back: {exc} framing cannot confirm that "
                                   "anything was created; check the URL (it must be Label Studio's) and the project "
                                   "list.") from None
        if count is None:
            raise LabelStudioError(f"{claim} its answer for the project holds no task count, so the import cannot be "
                                   f"checked. Open {base}/projects/{pid} to see what it holds.")
        if count == expected:
            return count
        if count > expected or time.monotonic() >= deadline:
            raise LabelStudioError(f"{claim} the project holds {count} tasks (checked for {VERIFY_SECONDS:g} s). "
                                   f"Open {base}/projects/{pid}; import label-studio-tasks.json there by hand, or "
                                   "delete the project and run framing sample --label-studio again.")
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))


def push_sample(folder, url: str, token: str) -> dict:
    """Create the Label Studio project of a sample folder (``framing sample``) in one call.

    Reads ``label-studio-config.xml``, ``label-studio-tasks.json`` and ``sample.json``
    (for the title: run, design and seed) from ``folder``.
    """
    from pathlib import Path

    from .jobs.sample import CONFIG_XML, SAMPLE_JSON, TASKS_JSON

    folder = Path(folder)
    config = (folder / CONFIG_XML).read_text(encoding="utf-8")
    tasks = json.loads((folder / TASKS_JSON).read_text(encoding="utf-8"))
    design = json.loads((folder / SAMPLE_JSON).read_text(encoding="utf-8")) if (folder / SAMPLE_JSON).is_file() else {}
    run = Path(str(design.get("run", folder))).name
    title = f"framing {run}: {design.get('by', 'sample')} × {design.get('unit', 'item')} (seed {design.get('seed', '?')})"
    description = (f"A seeded sample of {len(tasks)} items drawn by `framing sample` from the run {design.get('run', '')}; "
                   "code each item with the codebook (codebook.md). Export: Export -> JSON, then "
                   "`framing evaluate RUN_DIR --labels export.json`.")
    return create_project(url, token, title[:50], config, tasks, description)
