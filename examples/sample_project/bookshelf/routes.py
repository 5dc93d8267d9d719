"""HTTP routes: the /api blueprint."""

from flask import Blueprint, abort, current_app, jsonify, request

from bookshelf.models import BookRepository, LoanError

api = Blueprint("api", __name__)


def repository() -> BookRepository:
    return current_app.extensions["books"]


@api.get("/books")
def list_books():
    return jsonify([book.to_json() for book in repository().all()])


@api.get("/books/<int:book_id>")
def get_book(book_id: int):
    book = repository().get(book_id) or abort(404)
    return jsonify(book.to_json())


@api.post("/books")
def add_book():
    data = request.get_json(silent=True) or {}
    if not data.get("title") or not data.get("author"):
        return jsonify(error="title and author are required"), 400
    book = repository().add(data["title"], data["author"], data.get("year"))
    return jsonify(book.to_json()), 201


@api.post("/books/<int:book_id>/lend")
def lend_book(book_id: int):
    friend = (request.get_json(silent=True) or {}).get("friend")
    if not friend:
        return jsonify(error="friend is required"), 400
    if repository().get(book_id) is None:
        abort(404)
    try:
        book = repository().lend(book_id, friend, current_app.config["MAX_LOANS_PER_FRIEND"])
    except LoanError as exc:
        return jsonify(error=str(exc)), 409
    return jsonify(book.to_json())


@api.post("/books/<int:book_id>/return")
def return_book(book_id: int):
    if repository().get(book_id) is None:
        abort(404)
    return jsonify(repository().give_back(book_id).to_json())
