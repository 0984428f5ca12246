"""The summary paragraph: ``template`` (deterministic, no model) and ``writer`` (the model's, checked)."""
