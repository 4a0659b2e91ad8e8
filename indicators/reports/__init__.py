"""Reports on the stored indicators: realised spend against the budget, the organisation page for
the quarterly conversation, and the quarterly PDF. Included by string from wmo/urls.py."""
