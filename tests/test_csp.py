"""The Content-Security-Policy: on every page, before any script, and nothing on the demo site violates it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import material
import pytest

from bantin.csp import HEADER_POLICY, POLICY, REFERRER_POLICY
from tests.conftest import REPO

MATERIAL = Path(material.__file__).parent / "templates"
# One page of every kind the demo site has, as a reader reaches it.
PAGE_KINDS = (
    "",
    "tin/",
    "tin/2018/tap-trung-doi-moi-hoat-dong-mat-tran-doan-the-o-dia-ban-dan-cu/",
    "ket-luan/",
    "ket-luan/2014/ket-luan-hoi-nghi-so-ket-05-nam-thuc-hien-ket-luan-so-62-kl-tw/",
    "don-vi/",
    "don-vi/ban-dan-van-tinh-uy-bac-kan/",
    "luu-tru/",
    "luu-tru/2018/",
    "luu-tru/2018/01/",
    "xem-nhieu/",
    "chuyen-muc/hoat-dong-dang-bo/",
    "chu-de/ket-luan-so-62-kl-tw/",
    "van-ban/",
    "van-ban/62-kl-tw/",
    "tim-kiem/?q=d%C3%A2n+v%E1%BA%ADn",
    "404.html",
)
REPORT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_policy_forbids_inline_and_foreign_script_frames_objects_and_base() -> None:
    directives = dict(directive.split(" ", 1) for directive in POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["object-src"] == directives["frame-src"] == directives["base-uri"] == "'none'"
    assert "unsafe" not in POLICY
    assert HEADER_POLICY.startswith(POLICY) and "frame-ancestors 'none'" in HEADER_POLICY


def test_every_page_carries_the_policy_before_any_script(demo_site: Path) -> None:
    pages = sorted(demo_site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        html = page.read_text(encoding="utf-8")
        head = html[: html.index("</head>")]
        policy = head.find('<meta http-equiv="Content-Security-Policy"')
        assert policy != -1, page
        assert policy < head.find("<script"), page
        assert f'<meta name="referrer" content="{REFERRER_POLICY}">' in head, page
        executable = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html)
        assert executable == [], page


@pytest.mark.parametrize(
    ("partial", "moved_to"),
    [("base.html", "early.js"), ("content.html", "content.js"), ("palette.html", "palette.js")],
)
def test_material_inline_scripts_we_moved_into_files_are_still_the_ones_material_ships(
    partial: str, moved_to: str
) -> None:
    """Our files port these exact scripts; when Material changes one, this fails and the port must follow."""
    shipped = (MATERIAL / "partials" / "javascripts" / partial).read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", shipped)
    ported = {
        "base.html": [
            '__md_scope=new URL("{{ config.extra.scope | d(base_url) }}",location),__md_hash=e=>[...e].reduce(((e,_)=>'
            '(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"'
            '."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}'
            "catch(e){}}"
        ],
        "content.html": [
            'var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-'
            'set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getEle'
            'mentsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor'
            ");input.checked=!0;continue e}}",
            "var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.n"
            'ame.startsWith("__tabbed_"))',
        ],
        "palette.html": [
            'var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color'
            '.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches'
            "?\"[data-md-color-media='(prefers-color-scheme: light)']\":\"[data-md-color-media='(prefers-color-schem"
            'e: dark)\']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input'
            '.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),'
            'palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(pale'
            'tte.color))document.body.setAttribute("data-md-color-"+key,value)}'
        ],
    }[partial]
    assert scripts == ported
    assert (REPO / "bantin" / "theme" / "assets" / "bantin" / moved_to).is_file()


@pytest.mark.parametrize("path", PAGE_KINDS)
def test_no_page_kind_violates_the_policy_or_asks_another_host(browser: Any, demo_server: str, path: str) -> None:
    context = browser.new_context()
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    page.goto(demo_server + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    assert [line for line in console if "Content Security Policy" in line or "Refused" in line] == []
    assert set(hosts) == {urlsplit(demo_server).netloc}
    assert page.evaluate("typeof __md_get") == "function"  # Material's helpers came from early.js
    context.close()


def test_material_scripts_still_work_under_the_policy(browser: Any, demo_server: str) -> None:
    """The back-to-top button and the drawer are Material's bundle at work; it must run with its helpers."""
    page = browser.new_page()
    page.goto(demo_server + "tin/2018/tap-trung-doi-moi-hoat-dong-mat-tran-doan-the-o-dia-ban-dan-cu/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.classList.contains('js')")
    assert page.evaluate("typeof document$") == "object"
    page.close()


def test_an_inline_script_injected_into_a_page_is_refused_and_reported(browser: Any, demo_server: str) -> None:
    """The policy is live (and the listener above would see a violation): injected inline script does not run."""
    context = browser.new_context()
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.goto(demo_server)
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__violations")[0].startswith("script-src")
    context.close()
