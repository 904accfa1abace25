"""The public API's JSON shapes (pydantic 1.x, Rasa's pin): what the OpenAPI document describes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

# Pydantic 1.x leaves null out of an optional field's schema, and the API does
# send null: the OpenAPI document says so (see `declare_nullable`).
NULLABLE_FIELDS = {"MessageOut": ("document",), "ErrorOut": ("retry_after", "max_chars")}


def declare_nullable(openapi: dict[str, Any]) -> dict[str, Any]:
    schemas = openapi["components"]["schemas"]
    for model, names in NULLABLE_FIELDS.items():
        for name in names:
            field = schemas[model]["properties"][name]
            schemas[model]["properties"][name] = {"anyOf": [field, {"type": "null"}]}
    return openapi


class MessageIn(BaseModel):
    text: str = Field(..., description="Ce que la personne a écrit, ou la charge d'un bouton.")
    message_id: str | None = Field(
        None,
        regex=r"^[A-Za-z0-9-]{8,64}$",
        description=(
            "Identifiant aléatoire du message, choisi par le client. Renvoyé avec le même "
            "identifiant, un message n'est traité qu'une fois et reçoit la même réponse."
        ),
    )


class ButtonOut(BaseModel):
    title: str
    payload: str


class DocumentOut(BaseModel):
    title: str
    text: str


class MessageOut(BaseModel):
    text: str
    buttons: list[ButtonOut] = []
    document: DocumentOut | None = Field(
        None,
        description="Un document à enregistrer ou imprimer (le récapitulatif pour la plainte).",
    )


class ConversationOut(BaseModel):
    id: str = Field(..., description="Identifiant imprévisible, choisi par le serveur.")


class RepliesOut(BaseModel):
    messages: list[MessageOut]


class ErrorOut(BaseModel):
    error: str = Field(..., description="Code de l'erreur, stable, pour le widget.")
    messages: list[MessageOut] = Field(..., description="Ce qu'il faut montrer à la personne.")
    retry: bool = Field(False, description="Vrai si le même message peut être renvoyé plus tard.")
    retry_after: int | None = None
    max_chars: int | None = None


class HealthOut(BaseModel):
    status: str
    assistant: bool
