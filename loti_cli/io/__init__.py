"""Reading and writing files: YAML with positions, the comment-keeping editor, loading, ledger choice."""
