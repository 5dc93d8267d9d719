"""Books and loans, kept in memory."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date


@dataclass
class Book:
    id: int
    title: str
    author: str
    year: int | None = None
    lent_to: str | None = None
    lent_on: date | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        data["lent_on"] = self.lent_on.isoformat() if self.lent_on else None
        return data


class LoanError(Exception):
    """A loan that is not allowed (already lent, or the friend has too many books)."""


@dataclass
class BookRepository:
    books: dict[int, Book] = field(default_factory=dict)
    next_id: int = 1

    @classmethod
    def with_samples(cls) -> BookRepository:
        repo = cls()
        repo.add("The Pragmatic Programmer", "Andrew Hunt, David Thomas", 1999)
        repo.add("Fluent Python", "Luciano Ramalho", 2015)
        repo.add("Architecture Patterns with Python", "Harry Percival, Bob Gregory", 2020)
        return repo

    def add(self, title: str, author: str, year: int | None = None) -> Book:
        book = Book(self.next_id, title, author, year)
        self.books[book.id] = book
        self.next_id += 1
        return book

    def get(self, book_id: int) -> Book | None:
        return self.books.get(book_id)

    def all(self) -> list[Book]:
        return sorted(self.books.values(), key=lambda book: book.title)

    def lend(self, book_id: int, friend: str, max_loans: int) -> Book:
        book = self.books[book_id]
        if book.lent_to:
            raise LoanError(f"{book.title!r} is already lent to {book.lent_to}")
        if sum(1 for other in self.books.values() if other.lent_to == friend) >= max_loans:
            raise LoanError(f"{friend} already has {max_loans} books")
        book.lent_to, book.lent_on = friend, date.today()
        return book

    def give_back(self, book_id: int) -> Book:
        book = self.books[book_id]
        book.lent_to = book.lent_on = None
        return book
