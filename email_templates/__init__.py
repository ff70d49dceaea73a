"""The digest's default email templates (installed as `syndicate.email_templates`)."""
