"""Shipped Jinja templates (a package only so that they travel inside the wheel)."""
