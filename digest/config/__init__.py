"""Configuration: `Settings` (digest.config.settings, the schema with every default) and
`load_settings` (digest.config.load, reading digest.toml and feeds/*.toml). Imported as
`digest.config` everywhere; a leaf of the package apart from `errors`.
"""

from digest.config.load import NO_CONFIG, load_settings
from digest.config.settings import (
    DEFAULT_PATH,
    PASSWORD_ENV,
    WEB_SECRET_ENV,
    Blocks,
    Delivery,
    Dkim,
    Feed,
    Fetch,
    LlmSettings,
    MarketRow,
    Newsletter,
    Settings,
    Smtp,
    StoreSettings,
    SummarySettings,
    Theme,
    ThreadSettings,
    Web,
)

__all__ = [
    "DEFAULT_PATH",
    "NO_CONFIG",
    "PASSWORD_ENV",
    "WEB_SECRET_ENV",
    "Blocks",
    "Delivery",
    "Dkim",
    "Feed",
    "Fetch",
    "LlmSettings",
    "MarketRow",
    "Newsletter",
    "Settings",
    "Smtp",
    "StoreSettings",
    "SummarySettings",
    "Theme",
    "ThreadSettings",
    "Web",
    "load_settings",
]
