"""The steps each command runs: status, check, decide, draft, panel, grants; nothing printed."""
