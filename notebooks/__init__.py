"""pcflab's parameterised notebooks (data only, executed by papermill)."""
