"""In-app notices and the outbox: email when SMTP is configured, otherwise a log line.

Every notice is also an OutboxMessage with a wa.me link whose text is prefilled, so a
mentor or staff member can forward it on WhatsApp with one tap (most participants
read WhatsApp, not email). Messages are added in the caller's transaction and
delivered after it commits, so a failed write never sends anything.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from urllib.parse import quote

from flask import current_app
from sqlalchemy import func, select, update

from lms.extensions import db
from lms.models import Notification, OutboxMessage, User, utcnow
from lms.phone import InvalidPhone, whatsapp_number
from lms.public_url import public_link

SMTP_TIMEOUT_SECONDS = 10


def whatsapp_link(phone: str, text: str) -> str:
    """Return a wa.me link to a number with the message text prefilled."""
    try:
        number = whatsapp_number(phone)
    except InvalidPhone:
        return ""
    return f"https://wa.me/{number}?text={quote(text, safe='')}"


def notify(user: User, kind: str, message: str, link: str, *, subject: str) -> OutboxMessage:
    """Add an in-app notice and its outbox message for one user (not committed)."""
    db.session.add(Notification(user_id=user.id, kind=kind, message=message[:500], link=link[:300]))
    body = f"{message}\n\n{public_link(link)}" if link else message
    outbox = OutboxMessage(
        recipient_id=user.id,
        kind=kind,
        email=user.email,
        subject=subject[:200],
        body=body,
        whatsapp_url=whatsapp_link(user.phone, body),
        status="pending",
    )
    db.session.add(outbox)
    return outbox


def deliver(messages: list[OutboxMessage]) -> None:
    """Send pending messages by email when SMTP is configured, otherwise log them; then commit."""
    host = current_app.config.get("SMTP_HOST")
    for message in messages:
        if message.status != "pending":
            continue
        if not host or not message.email:
            current_app.logger.info("outbox %s to user %s: %s", message.kind, message.recipient_id, message.subject)
            message.status = "logged"
            continue
        try:
            send_email(message)
        except (OSError, smtplib.SMTPException) as error:
            message.status, message.error = "failed", str(error)[:500]
        else:
            message.status, message.sent_at = "sent", utcnow()
    db.session.commit()


def send_email(message: OutboxMessage) -> None:
    """Send one outbox message through the configured SMTP server."""
    config = current_app.config
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = config["MAIL_FROM"], message.email, message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if config.get("SMTP_USER"):
            smtp.starttls()
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(email)


def unread_count(user: User) -> int:
    """Return how many notices a user has not opened yet."""
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    ) or 0


def recent_notifications(user: User, limit: int = 50) -> list[Notification]:
    """Return a user's newest notices."""
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    ))


def mark_read(user: User, notification_id: int | None = None) -> None:
    """Mark one notice (or all) of a user as read, and commit."""
    statement = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    db.session.execute(statement.values(read_at=utcnow()))
    db.session.commit()
