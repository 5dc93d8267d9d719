import pytest
from bookshelf import create_app
from bookshelf.config import TestConfig


@pytest.fixture
def client():
    return create_app(TestConfig).test_client()


def test_add_and_list_books(client):
    created = client.post("/api/books", json={"title": "Dune", "author": "Frank Herbert", "year": 1965})
    assert created.status_code == 201
    assert [book["title"] for book in client.get("/api/books").get_json()] == ["Dune"]


def test_lending_twice_is_a_conflict(client):
    book_id = client.post("/api/books", json={"title": "Dune", "author": "Frank Herbert"}).get_json()["id"]
    assert client.post(f"/api/books/{book_id}/lend", json={"friend": "Ada"}).status_code == 200
    assert client.post(f"/api/books/{book_id}/lend", json={"friend": "Bob"}).status_code == 409


def test_missing_book_is_404(client):
    assert client.get("/api/books/99").status_code == 404
