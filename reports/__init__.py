"""Report templates (data only); generated reports are written next to them."""
