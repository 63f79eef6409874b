"""Reminder e-mails for customers."""

import smtplib


def send_overdue_reminders(invoices, smtp_host):
    """E-mails every customer whose invoice is past due."""
    with smtplib.SMTP(smtp_host) as smtp:
        for invoice in invoices:
            if invoice["paid_on"] is None:
                smtp.sendmail("billing@example.com", invoice["email"], reminder_text(invoice))


def reminder_text(invoice):
    return f"Invoice {invoice['number']} of {invoice['amount']} is overdue."
