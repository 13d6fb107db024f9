"""Pages, one module per task: dashboard, data entry, approval."""
