"""bookshelf: a tiny Flask service for your books."""

from flask import Flask

from bookshelf.config import Config
from bookshelf.models import BookRepository


def create_app(config: type[Config] = Config) -> Flask:
    """Application factory: configure Flask, attach the repository, register the routes."""
    app = Flask(__name__)
    app.config.from_object(config)
    samples = app.config["LOAD_SAMPLES"]
    app.extensions["books"] = BookRepository.with_samples() if samples else BookRepository()

    from bookshelf.routes import api

    app.register_blueprint(api, url_prefix="/api")
    return app
