"""The service catalogue: reference data every floor reads — the voorzieningen (service types),
the policy objectives they serve, and the norms and targets that belong to them. Ground floor:
it imports no domain app (the way Open Zaak keeps `catalogi` apart from `zaken`)."""
