"""A download refused or failed at the click says why, in Chinese, under its button.

Streamlit makes a deferred download's file when the browser asks for it (``MediaFileManager.execute_deferred``);
when our data function raises (``_common.audited``: the sign-in ended, the account disabled, a role or units
changed), its handler answers the browser with a fixed English text, "Failed to generate file for download", and
logs the exception with its message. ``install`` replaces that handler's ``handle`` with one that answers with
``downloads.refusal``'s words and logs no message (it may quote a cell). Streamlit is pinned in requirements.lock;
tests/test_pages_signin.py fails if an upgrade moves what this replaces.
"""

from __future__ import annotations

import asyncio
import logging

from streamlit.proto.ForwardMsg_pb2 import BackendOperationResponse, DeferredFileResponsePayload
from streamlit.runtime import backend_operation_handler

from weakorg import downloads
from weakorg.accounts import AccountError
from weakorg.logsafe import exception_line

log = logging.getLogger(__name__)
Handler = backend_operation_handler.DeferredFileHandler


async def _handle(self, request, session_id: str) -> BackendOperationResponse:
    """The file's URL, or the reason it was not made (Chinese) for the browser to show under the button."""
    file_id = request.deferred_file.file_id
    try:
        url = await asyncio.to_thread(self._get_media_file_mgr().execute_deferred, file_id)
    except Exception as e:  # a refusal (AccountError, wrapped by Streamlit), or a failure
        refused = isinstance(e.__cause__, AccountError)
        (log.warning if refused else log.error)(
            "a download not made at the click: %s", exception_line(e.__cause__ or e)
        )
        return BackendOperationResponse(request_id=request.request_id, error_msg=downloads.refusal(e))
    return BackendOperationResponse(request_id=request.request_id, deferred_file=DeferredFileResponsePayload(url=url))


def install() -> None:
    """Every deferred download of this server answers as ``_handle`` does (once; a rerun changes nothing)."""
    if Handler.handle is not _handle:
        Handler.handle = _handle
