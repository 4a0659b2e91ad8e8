"""The browsable API under a strict Content-Security-Policy.

DRF's page loads its scripts from static files (allowed); its one <style> element gets the
request's nonce (templates/rest_framework/api.html), and its few style="" attributes (the
filter and extra-action buttons) are allowed on these pages only: style attributes can neither
run script nor load anything the other directives forbid."""

from csp.constants import UNSAFE_INLINE
from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = {"style-src-attr": [UNSAFE_INLINE]}
        return super().render(data, accepted_media_type, renderer_context)
