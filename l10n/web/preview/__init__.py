"""The edition preview page: an article beside its editions, as an editor checks it.

    GET  /preview          the form: paste or upload an article, choose format and editions
    POST /preview          translate it and show the original beside every edition
    GET  /preview/<id>     an article a batch run already translated (L10N_PREVIEW_DIR)

Each edition is shown inside the site's chrome (chrome.html) in that edition's language,
with the QA flags of its segments and the glossary's names marked; the page's own strings
are in the editor's language (`?lang=`, else Accept-Language). One Jinja environment
serves every language: its gettext callables read the `translations` variable of the
render, so an edition's chrome is a render of its own, with its own catalog.

Article text is untrusted and reaches the page only through `to_html`: rendered from its
format, then sanitised by nh3 with an allow-list (no script, no event handler, no
`javascript:` URL, no `id` or `class` that could pose as the page's own), and names are
marked on the text nodes of the sanitised tree, never by replacing strings in HTML. The
Content-Security-Policy of `pages.headers()` forbids every script, so a gap in sanitising would still
run nothing.
"""
