"""The programme's norms and targets beside the services' own waiting norms (POLICY.md, from the
Wmo policy note "Samen leven, samen zorgen"; INDICATORS.md says which figure each one judges).

A voorziening's waiting norm, referral to start, is data on the service type
(`ServiceType.waiting_norm_days`: 14 days for most of aanvullende zorg, 91 for opvang en verblijf,
none where the municipality set none), kept up to date in the admin. What is here holds for
the whole programme and changes only with policy."""

from decimal import Decimal

BUURTTEAM_FIRST_CONTACT_WORKDAYS = 5
"""Norm: a buurtteam has first contact within 5 working days of registration."""

BUURTTEAM_REFERRAL_TARGET_PCT = Decimal(20)
"""Target ratio 80/20: the buurtteams refer about a fifth of their closed cases to aanvullende zorg."""

BUURTTEAM_GROUP_TARGET_PCT = Decimal(50)
"""Target ratio 50/50: group-based (or blended) versus individual support at the buurtteam."""

GROUP_BASED_TARGET_PCT = Decimal(15)
"""Target ratio 15/85: group-based versus individual support started in aanvullende zorg."""
