"""Extraction: ask the model about an article, keep what grounds (strategies, candidates, drafts, prompts)."""
