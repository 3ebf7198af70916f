"""A pet shop API whose requests and responses are pydantic models.

One model says what a client may send (``PetIn``), another what the API
answers (``Pet``: the stored pet, with a computed ``label``); a third reads
the query string (``tags`` repeated, ``limit`` bounded). Refused requests get
the same JSON 400 as with marshmallow schemas, and the OpenAPI 3.1 document
at ``/openapi.json`` holds the models as components. Needs the ``pydantic``
and ``docs`` extras.

Run it with ``python -m samples.pydantic_pets``, then::

    curl http://127.0.0.1:5000/pets
    curl "http://127.0.0.1:5000/pets?tag=indoor&tag=lazy&limit=5"
    curl http://127.0.0.1:5000/pets -H "Content-Type: application/json" \\
        -d '{"name": "Rex", "species": "dog", "tags": ["outdoor"]}'
    curl http://127.0.0.1:5000/openapi.json
"""

from __future__ import annotations

import dataclasses
import datetime
import threading
import typing as t

from flask import Flask
from pydantic import BaseModel, ConfigDict, Field, computed_field

from flask_resources import Api, Resource, abort, doc, marshal_with
from flask_resources.schemas import use_args

Species = t.Literal["cat", "dog", "rabbit"]


class PetIn(BaseModel):
    """A pet as a client sends it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=40, examples=["Tom"])
    species: Species = "cat"
    born: datetime.date | None = None
    tags: list[t.Annotated[str, Field(max_length=20)]] = Field(
        default=[], max_length=10
    )


class Pet(BaseModel):
    """A pet as the API shows it."""

    id: int
    name: str
    species: Species
    born: datetime.date | None
    tags: list[str]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        return f"{self.name} the {self.species}"


class PetQuery(BaseModel):
    """Which pets to list: those with every ``tag`` given, ``limit`` at most."""

    tag: list[str] = []
    limit: int = Field(default=20, ge=1, le=100)


class Problem(BaseModel):
    message: str


@dataclasses.dataclass
class PetRecord:
    """What the store keeps, as a database row would: read by attribute."""

    id: int
    name: str
    species: str
    born: datetime.date | None
    tags: list[str]
    #: Not in ``Pet``: never sent.
    internal_note: str = ""


class PetStore:
    """The pets, in memory, safe to use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pets: dict[int, PetRecord] = {}
        self._last_id = 0

    def find(self, tags: t.Iterable[str], limit: int) -> list[PetRecord]:
        wanted = set(tags)
        with self._lock:
            pets = [p for p in self._pets.values() if wanted <= set(p.tags)]
        return pets[:limit]

    def get(self, pet_id: int) -> PetRecord:
        with self._lock:
            pet = self._pets.get(pet_id)
        if pet is None:
            abort(404, message=f"Pet {pet_id} doesn't exist")
        return pet

    def save(self, data: PetIn, pet_id: int | None = None) -> PetRecord:
        with self._lock:
            if any(p.name == data.name and p.id != pet_id for p in self._pets.values()):
                abort(409, message=f"A pet named {data.name} exists")
            if pet_id is None:
                self._last_id += 1
                pet_id = self._last_id
            elif pet_id not in self._pets:
                abort(404, message=f"Pet {pet_id} doesn't exist")
            record = PetRecord(
                id=pet_id, internal_note="kept private", **data.model_dump()
            )
            self._pets[pet_id] = record
            return record

    def delete(self, pet_id: int) -> None:
        with self._lock:
            if self._pets.pop(pet_id, None) is None:
                abort(404, message=f"Pet {pet_id} doesn't exist")

    def reset(self) -> None:
        with self._lock:
            self._pets.clear()
            self._last_id = 0
        self.save(PetIn(name="Tom", species="cat", tags=["indoor", "lazy"]))
        self.save(PetIn(name="Rex", species="dog", tags=["outdoor"]))


store = PetStore()
store.reset()

app = Flask(__name__)
api = Api(
    app,
    title="Pet shop",
    version="1.0",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


class PetList(Resource):
    """The pets, and a way to add one."""

    @use_args(PetQuery, location="query")
    @marshal_with(list[Pet])
    def get(self, query: PetQuery) -> t.Any:
        """List the pets that have every tag asked for."""
        return store.find(query.tag, query.limit)

    @use_args(PetIn)
    @marshal_with(Pet, code=201)
    @doc(responses={409: Problem})
    def post(self, pet: PetIn) -> t.Any:
        """Add a pet."""
        return store.save(pet)


class PetItem(Resource):
    """One pet: read, replace or delete it."""

    @marshal_with(Pet)
    @doc(responses={404: Problem})
    def get(self, pet_id: int) -> t.Any:
        """Fetch one pet."""
        return store.get(pet_id)

    @use_args(PetIn)
    @marshal_with(Pet)
    @doc(responses={404: Problem, 409: Problem})
    def put(self, pet: PetIn, pet_id: int) -> t.Any:
        """Replace a pet."""
        return store.save(pet, pet_id)

    @doc(responses={204: "Deleted", 404: Problem})
    def delete(self, pet_id: int) -> t.Any:
        """Delete a pet."""
        store.delete(pet_id)
        return "", 204


api.add_resource(PetList, "/pets")
api.add_resource(PetItem, "/pets/<int:pet_id>")


if __name__ == "__main__":
    app.run(debug=False)
