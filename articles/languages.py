"""
A story's language: how its code is written, the site's default, and what
follows from it (PostgreSQL's text search configuration, the dates on its
page). Imports nothing from the models, so the models can import it.
"""

import re

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError

# A primary language subtag, with a region only where formats keep one.
CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2})?$")
KEPT_REGIONS = {"zh-cn", "zh-tw"}  # Google News and ninjs keep the script variant of Chinese

# The text search configurations PostgreSQL ships, by language; other
# languages are indexed word for word ("simple").
SEARCH_CONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip


def normalise(code):
    """
    A language tag as stories store it: "en" for "en-US" or "EN_gb", "zh-cn"
    kept; "" for what is not a language tag.
    """
    code = (code or "").strip().lower().replace("_", "-")
    if code not in KEPT_REGIONS:
        code = code.split("-")[0]
    return code if CODE.match(code) else ""


def default():
    """The site's language (LANGUAGE_CODE), for stories that do not say theirs."""
    return normalise(settings.LANGUAGE_CODE) or "en"


def validate(code):
    if normalise(code) != code:
        raise ValidationError(
            "%(code)s is not a language code. Use a two-letter code such as en, ru or de.",
            params={"code": code},
        )


def choices(also=""):
    """(code, name) for the admin: the site's languages (LANGUAGES) and ``also``, by name."""
    codes = ({normalise(code) for code, _name in settings.LANGUAGES} | {also}) - {""}
    return sorted(((code, name(code)) for code in codes), key=lambda choice: choice[1])


def offered(code):
    """Whether the site offers ``code`` (its own languages), whatever its stories hold."""
    return code in {normalise(site) for site, _name in settings.LANGUAGES} | {default()}


def name(code):
    """The language's name in English and its own: "Russian (русский)"."""
    info = LANG_INFO.get(code) or LANG_INFO.get(code.split("-")[0])
    if not info:
        return code
    english, local = info["name"], info["name_local"]
    return english if english == local else f"{english} ({local})"


def search_config(code):
    """PostgreSQL's text search configuration for stories in this language."""
    return SEARCH_CONFIGS.get((code or "").split("-")[0], "simple")
