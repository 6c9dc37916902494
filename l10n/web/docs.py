"""`/docs`: the OpenAPI document as one server-rendered HTML page.

Swagger UI and Redoc load their scripts from CDNs, which the service's networks cannot reach
and which would put a third party into every reader's page; this page is plain HTML with no
script, rendered from the same document `/openapi.json` serves, under a CSP (`HEADERS`)
that allows nothing but its own stylesheet.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h2 { border-bottom: 1px solid #ccc; margin-top: 2.5rem; }
.op { margin: 1.5rem 0; padding: .5rem 1rem; border-left: 4px solid #36c; background: #f6f8fa; }
.method { font-weight: bold; text-transform: uppercase; }
code, pre { font-family: ui-monospace, monospace; }
pre { background: #fff; padding: .5rem; overflow-x: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; } td, th { padding: .2rem .6rem; text-align: left; }
"""
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode()
HEADERS = {
    "Content-Security-Policy": f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
"""The page has no script and one inline stylesheet: its CSP allows exactly that."""

_TEMPLATE = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string("""\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ info.title }} — API</title>
<style>{{ style }}</style>
</head>
<body>
<h1>{{ info.title }}</h1>
<p>{{ info.description }}</p>
<p>Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI {{ openapi }}).</p>
<nav><ul>
{% for path, method, op in operations %}
<li><a href="#{{ method }}-{{ path }}"><span class="method">{{ method }}</span> {{ path }}</a>
 — {{ op.summary }}</li>
{% endfor %}
</ul></nav>
<h2>Operations</h2>
{% for path, method, op in operations %}
<section class="op" id="{{ method }}-{{ path }}">
<h3><span class="method">{{ method }}</span> <code>{{ path }}</code></h3>
<p>{{ op.summary }}.{% if op.description %} {{ op.description }}{% endif %}</p>
<p>API key: {{ "never needed" if op.security == [] else "needed when the operator configured keys" }}.</p>
{% if op.parameters %}
<table><tr><th>parameter</th><th>in</th><th>schema</th></tr>
{% for p in op.parameters %}
<tr><td><code>{{ p.name }}</code></td><td>{{ p.in }}</td><td><code>{{ p.schema | tojson }}</code></td></tr>
{% endfor %}
</table>
{% endif %}
{% if op.requestBody %}
<p>Body ({{ op.requestBody.content | join(", ") }}):
{{ schema((op.requestBody.content.values() | first).schema) }}</p>
{% endif %}
<table><tr><th>status</th><th>response</th><th>body</th></tr>
{% for status, response in op.responses.items() %}
<tr><td>{{ status }}</td><td>{{ response.description }}</td>
<td>{% for media in response.content or {} %}{{ media }} {{ schema(response.content[media].schema) }}{% endfor %}</td></tr>
{% endfor %}
</table>
</section>
{% endfor %}
<h2>Schemas</h2>
{% for name, schema in components.schemas.items() %}
<h3 id="schema-{{ name }}">{{ name }}</h3>
<pre>{{ pretty(schema) }}</pre>
{% endfor %}
</body>
</html>
""")


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _schema(schema: dict) -> Markup:
    """A link to a named schema of the Schemas section, or the schema itself."""
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[1]
        return Markup('<a href="#schema-{0}"><code>{0}</code></a>').format(name)
    return Markup("<pre>{}</pre>").format(_pretty(schema))


def render_docs(spec: dict) -> str:
    operations = [(path, method, op) for path, item in spec["paths"].items()
                  for method, op in item.items()]
    return _TEMPLATE.render(**spec, operations=operations, pretty=_pretty, schema=_schema,
                            style=Markup(STYLE))
