"""The core: exact money, the models, findings, the borough roster and the budget; pure."""
