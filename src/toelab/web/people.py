"""Whose records a request is about, and the store they live in.

Every route that reads or writes a person's records takes the person through
:func:`current_person_id`, the one place where access is decided:

* home mode (no sign-in): the household's chosen person — ``person_id`` when the request
  names one, else the one picked in the page (a cookie), else the person "Me", created on
  first use;
* clinic mode: the person the signed-in account may see (see :mod:`toelab.web.auth`).
"""

from __future__ import annotations

import threading

from starlette.requests import HTTPConnection

from toelab.errors import ToelabError
from toelab.store import Store, open_store
from toelab.web.auth import account_of, clinic_of, refuse

PERSON_COOKIE = "toelab_person"
DEFAULT_PERSON = "Me"
_OPENING = threading.Lock()


def web_store(connection: HTTPConnection) -> Store:
    """The clinic's store, or at home the app's own, opened on first use:
    ``$TOELAB_DATABASE_URL``, else SQLite in the app's data folder."""
    clinic = clinic_of(connection)
    if clinic is not None:
        return clinic.store
    state = connection.app.state
    with _OPENING:
        if getattr(state, "store", None) is None:
            state.store = open_store(home=state.home)
        return state.store


def _household_person(connection: HTTPConnection, person_id: int | None) -> int:
    store = web_store(connection)
    if person_id is not None:
        return store.people.get(person_id).id
    chosen = connection.cookies.get(PERSON_COOKIE, "")
    if chosen.isdigit():
        try:
            return store.people.get(int(chosen)).id
        except ToelabError:
            pass  # removed since it was chosen: the default person again
    with _OPENING:
        people = store.people.all()
        for person in people:
            if person.display_name == DEFAULT_PERSON:
                return person.id
        if people:
            return people[0].id
        return store.people.add(DEFAULT_PERSON).id


def current_person_id(request: HTTPConnection, person_id: int | None = None) -> int:
    """Access rule and resolution for a person's own records.

    Home mode (no sign-in): the household's chosen person (see the module's note). Clinic mode:
    a patient gets their own person (naming another is refused with 403); a clinician names one
    of their patients with ``person_id`` (a path or query parameter) or chooses one in the page;
    an admin sees no one's records.
    """
    clinic = clinic_of(request)
    if clinic is None:
        return _household_person(request, person_id)
    account = account_of(request)
    if account is None:
        refuse(request, 401, "sign in first")
    if person_id is None and account.role == "patient":
        if account.person_id is None:
            refuse(request, 403, "this account is not linked to a person's records")
        return account.person_id
    visible = clinic.store.accounts.visible_person_ids(account)
    if person_id is None:
        # a clinician's choice in the page, while it names one of their patients
        chosen = request.cookies.get(PERSON_COOKIE, "")
        if not chosen.isdigit() or int(chosen) not in visible:
            refuse(request, 400, "choose a patient first (the Patient list in the page, or person_id)")
        return int(chosen)
    if person_id not in visible:
        refuse(request, 403, "these records are not yours to see")
    return person_id
