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

Examples
--------
>>> project = create_project("http://localhost:8080", "abc123", "Frames sample", config_xml, tasks)  # doctest: +SKIP
>>> project["url"]                                                                                     # doctest: +SKIP
'http://localhost:8080/projects/7'
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from .errors import FramingError

TOKEN_ENV = "LABEL_STUDIO_API_KEY"
TIMEOUT = 60.0


class LabelStudioError(FramingError):
    """Label Studio could not be reached, refused the token, or rejected the project or tasks."""


def is_personal_access_token(token: str) -> bool:
    """A personal access token is a JWT (three dot-separated parts); a legacy token is one hex string.

    >>> is_personal_access_token("d6f8a2622d39e9d89ff0dfef1a80ad877f4ee9e3"), is_personal_access_token("a.b.c")
    (False, True)
    """
    return token.count(".") == 2


def _call(url: str, payload: Any, headers: dict[str, str], what: str) -> Any:
    request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"),
                                     headers={"Content-Type": "application/json", **headers}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - the user's own server
            body = response.read().decode("utf-8") or "{}"
    except urllib.error.HTTPError as exc:
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
    dict with ``project_id``, ``url`` (the project's page) and ``tasks`` (the count Label Studio reports).

    Raises
    ------
    LabelStudioError
        Unreachable server, refused token, or a project or import Label Studio rejected.
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
    imported = _call(f"{base}/api/projects/{pid}/import", tasks, headers, f"import the tasks into project {pid}")
    count = imported.get("task_count", len(tasks)) if isinstance(imported, dict) else len(tasks)
    return {"project_id": pid, "url": f"{base}/projects/{pid}", "tasks": int(count)}


def push_sample(folder, url: str, token: str) -> dict:
    """Create the Label Studio project of a sample folder (``framing sample``) in one call.

    Reads ``label-studio-config.xml``, ``label-studio-tasks.json`` and ``sample.json``
    (for the title: run, design and seed) from ``folder``.
    """
    from pathlib import Path

    from .sample import CONFIG_XML, SAMPLE_JSON, TASKS_JSON

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
