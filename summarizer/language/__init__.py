"""Plain-text tools every stage shares: characters, sentences, numbers, folding, names. Imports no stage."""
