"""Sending one-time codes to the registry's head phone. There is no SMS gateway here: the default
sender writes each message to the outbox (`portal_outbox`, readable by admins at /portal/admin/outbox)
and, in demo mode, to the server log. A real gateway plugs in by configuration:

    GOVSVC_SMS_SENDER=mypackage.sms:GatewaySender     # a class with send(phone, text, enterprise_id)

The code itself is never stored apart from the message: the activation keeps only its keyed hash.
"""
from __future__ import annotations

import importlib
import os
from typing import Protocol

from flask import current_app

from govsvc.extensions import db
from govsvc.portal.models import OutboxMessage


class Sender(Protocol):
    def send(self, phone: str, text: str, enterprise_id: int | None = None) -> None: ...


class OutboxSender:
    """The default: the message goes to the outbox table (and the log in demo mode)."""

    def send(self, phone: str, text: str, enterprise_id: int | None = None) -> None:
        db.session.add(OutboxMessage(channel="sms", recipient=phone[:30], body=text, enterprise_id=enterprise_id))
        db.session.flush()
        if current_app.config.get("DEMO"):
            current_app.logger.warning("[演示短信] 发往 %s：%s", phone, text)


def get_sender() -> Sender:
    path = current_app.config.get("PORTAL_SMS_SENDER") or os.environ.get("GOVSVC_SMS_SENDER", "")
    if not path:
        return OutboxSender()
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)()


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    return digits[:3] + "*" * max(0, len(digits) - 7) + digits[-4:] if len(digits) >= 8 else "****"
