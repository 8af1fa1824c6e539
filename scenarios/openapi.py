"""The OGC API - Processes paths of the /ogcapi OpenAPI definition (registered by ScenariosConfig.ready)."""

from __future__ import annotations

from layers.openapi import operation, path_param

PROCESS_ID = path_param("processId", "A scenario id (GET /ogcapi/processes lists them)")
JOB_ID = path_param("jobId", "A job id (uuid)", {"type": "string", "format": "uuid"})
PAGE = [
    {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
    {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}},
]
EXECUTE_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["inputs"],
                "properties": {
                    "inputs": {"type": "object", "description": "area (a query shape) and params"},
                    "response": {"type": "string", "enum": ["raw", "document"], "default": "raw"},
                },
            }
        }
    },
}


def paths() -> dict:
    """/processes, /processes/{processId}, its execution, /jobs, /jobs/{jobId} and its results."""
    login = {"security": [{"bearer": []}]}
    return {
        "/processes": {"get": operation("processes", "Processes (the scenarios)", PAGE, "Process list", 400)},
        "/processes/{processId}": {
            "get": operation("process", "A process description", [PROCESS_ID], "Process description", 404)
        },
        "/processes/{processId}/execution": {
            "post": operation(
                "execute",
                "Run a scenario synchronously: the result (raw) or {result} (response=document)",
                [PROCESS_ID],
                "The result",
                400,
                401,
                404,
                requestBody=EXECUTE_BODY,
                **login,
            )
        },
        "/jobs": {"get": operation("jobs", "The caller's jobs", [], "Job list", 401, **login)},
        "/jobs/{jobId}": {"get": operation("job", "A job's status", [JOB_ID], "Job status", 401, 404, **login)},
        "/jobs/{jobId}/results": {
            "get": operation("job_results", "A job's results", [JOB_ID], "Results", 401, 404, **login)
        },
    }
