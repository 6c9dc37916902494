import json
from .conftest import ROOT

def test_smoke(client):
    r = client.get("/preview")
    print(r.status_code, r.headers)
    open("/tmp/pv/form.html","w").write(r.get_data(as_text=True))
    a = json.loads((ROOT / "examples/articles/telescope.json").read_text())
    data = {"title": a["title"], "lead": a["lead"], "body": a["body"], "captions": "\n".join(a["captions"]),
            "author": a["meta"]["author"], "published": a["meta"]["published"], "format": "text",
            "source": "en", "targets": ["ru", "de", "fr", "pt", "es"]}
    r = client.post("/preview?lang=fr", data=data)
    print(r.status_code)
    open("/tmp/pv/result.html","w").write(r.get_data(as_text=True))
