"""Settings, overridable per environment."""

import os


class Config:
    SECRET_KEY = os.environ.get("BOOKSHELF_SECRET", "dev-only-secret")
    LOAD_SAMPLES = True
    MAX_LOANS_PER_FRIEND = 3


class TestConfig(Config):
    TESTING = True
    LOAD_SAMPLES = False
