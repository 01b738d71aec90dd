"""Segment ``context`` objects per source: web browser, mobile app and server-side sources.

Every context carries ``source`` (one of :data:`SOURCES`) so a sender can route the event.
Contexts are shared by the events of one session to keep a large brand small in memory;
treat generated events as read-only.
"""

from __future__ import annotations

import random
from typing import Any

from frontoffice.demo.people import Device, Person, random_ip
from frontoffice.demo.places import country

SOURCES = ("web", "app", "pos", "marketplace", "email", "call_centre", "social", "chat")
_LIBRARY = {"name": "analytics.js", "version": "next-1.72.0"}
_APP = {"name": "Frontoffice", "version": "4.3.1", "build": "4031", "namespace": "example.frontoffice.shop"}
_ANDROID_MAKERS = {"SM": "Samsung", "HUAWEI": "Huawei", "Xiaomi": "Xiaomi", "OPPO": "OPPO", "vivo": "vivo"}
_DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
)
_LOCAL_UA = {
    "KR": "Mozilla/5.0 (Linux; Android 14; SM-S928N) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    "CN": "Mozilla/5.0 (Linux; Android 14; 23127PN0CC) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.50",
    "RU": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 YaBrowser/24.12.0.0 Safari/537.36",
}


def user_agent(code: str, browser_id: str) -> str:
    """A browser keeps one user agent, so derive it from the cookie id."""
    options = (*_DESKTOP, _LOCAL_UA[code]) if code in _LOCAL_UA else _DESKTOP
    return options[int(browser_id[:8], 16) % len(options)]


def session_ip(rng: random.Random, person: Person) -> str:
    return person.home_ip if rng.random() < 0.7 else random_ip(rng, person.country)


def web(rng: random.Random, person: Person, browser_id: str, source: str = "web") -> dict[str, Any]:
    return {
        "source": source,
        "channel": "browser",
        "locale": country(person.country).locale,
        "ip": session_ip(rng, person),
        "userAgent": user_agent(person.country, browser_id),
        "library": _LIBRARY,
    }


def app(rng: random.Random, person: Person, device: Device) -> dict[str, Any]:
    ios = device.os == "ios"
    os_name, os_version = ("iOS", "18.1") if ios else ("Android", "14")
    maker = "Apple" if ios else _ANDROID_MAKERS.get(device.model.split(" ")[0].split("-")[0], "Google")
    return {
        "source": "app",
        "channel": "mobile",
        "locale": country(person.country).locale,
        "ip": session_ip(rng, person),
        "userAgent": f"Frontoffice/{_APP['version']} ({device.model}; {os_name} {os_version})",
        "device": {
            "id": device.device_id,
            "type": device.os,
            "model": device.model,
            "manufacturer": maker,
        },
        "os": {"name": os_name, "version": os_version},
        "app": _APP,
    }


def server(person: Person, source: str, traits: dict[str, Any] | None = None) -> dict[str, Any]:
    ctx: dict[str, Any] = {"source": source, "channel": "server", "locale": country(person.country).locale}
    if traits:
        ctx["traits"] = traits
    return ctx
