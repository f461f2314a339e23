"""The official documents are written in the site's language (Guatemalan Spanish) whatever language the
pages are read in: an approved document is the same bytes for everyone, and a draft reads as the approved one will.

The renderers of the report's PDF, Excel, oficio, package and Congress report are wrapped in `in_document_language`;
a page (the report's HTML) follows the reader's language.
"""

import functools

from django.conf import settings
from django.utils import translation


def in_document_language(render):
    """`render`, run with settings.LANGUAGE_CODE active (es-gt): its messages, month names and formats in Spanish."""

    @functools.wraps(render)
    def in_spanish(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return render(*args, **kwargs)

    return in_spanish
