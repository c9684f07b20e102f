"""moto server for the local cloud.

Changes to moto's own `moto_server`, about DynamoDB under the local cloud's load and about
answering TransactWriteItems as DynamoDB does (docs/local-cloud.md, "DynamoDB (moto)"):

* Requests are applied one at a time (a lock around the WSGI app; connections are still served
  by threads, so keep-alive clients do not block each other). moto's models are not written for
  concurrent mutation, and DynamoDB's per-item atomicity is what the services rely on.
* DynamoDB Streams shard iterators are forgotten oldest-first beyond a bound, as real ones expire
  after 15 minutes; moto keeps every one, and the stream pollers ask for one per poll.
* TransactWriteItems keeps an undo log of the items it touches instead of deep-copying every table
  it names before each call. The copy made a transaction O(table size) (seconds at 10k items) and,
  on a cancelled transaction, swapped in a table whose stream shard the pollers' iterators no
  longer pointed at, so the stream went silent.
* TransactWriteItems tells the two kinds of failure apart: what the request alone shows wrong (two
  actions on one item, more than 100 actions, an empty key value, a Put item over 400 KB) is a
  ValidationException for the whole request; what depends on the stored items or the table (a
  failed condition, an update that breaks a rule, a key of the wrong type) cancels the
  transaction with one CancellationReason per action, in request order.
* ClientRequestToken makes TransactWriteItems idempotent: a successful transaction holds its token
  for 10 minutes (LOCAL_DYNAMODB_IDEMPOTENCY_WINDOW_SECONDS), a repeat with the same parameters
  succeeds without writing again, other parameters answer IdempotentParameterMismatchException.
* The lock rules out the concurrent transactions that make DynamoDB answer TransactionConflict, so
  an opt-in injector (POST /_local/faults/transaction-conflict) stands one in for tests.
"""

import argparse
import base64
import collections
import copy
import hashlib
import json
import os
import signal
import sys
import threading
import time

from moto.core.responses import ActionResult
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ERROR_TYPE_PREFIX,
    AttributeIsReservedKeyword,
    ConditionalCheckFailed,
    DuplicateUpdateExpression,
    DynamodbException,
    EmptyKeyAttributeException,
    ExpressionAttributeNameNotDefined,
    ExpressionAttributeValueNotDefined,
    ExpressionAttributeValuesEmpty,
    InvalidAttributeTypeError,
    InvalidConditionExpression,
    MockValidationException,
    MultipleTransactionsException,
    ProvidedKeyDoesNotExist,
    TooManyClauses,
    TransactionCanceledException,
    TransactWriteSingleOpException,
    UpdateExprSyntaxError,
    UpdateHashRangeKeyException,
    ValidationException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import Item
from moto.dynamodb.responses import DynamoHandler
from moto.dynamodbstreams.models import DynamoDBStreamsBackend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

_LOCK = threading.Lock()


# --- Answers DynamoDB gives that moto has no class for --------------------------------------------


class IdempotentParameterMismatchException(DynamodbException):
    def __init__(self):
        super().__init__(
            ERROR_TYPE_PREFIX + "IdempotentParameterMismatchException",
            "The ClientRequestToken was already used by a request with different parameters",
        )


class TransactionConflictException(DynamodbException):
    def __init__(self):
        super().__init__(ERROR_TYPE_PREFIX + "TransactionConflictException", _CONFLICT_MESSAGE)


_TOO_MANY_ACTIONS = (
    "Value at 'TransactItems' failed to satisfy constraint: Member must have length less than or equal to 100"
)


def _constraint_error(problems):
    """Constraint violations on the request's members, reported together as DynamoDB does."""
    count = "1 validation error" if len(problems) == 1 else f"{len(problems)} validation errors"
    return MockValidationException(f"{count} detected: " + "; ".join(problems))


def _member_constraints(body):
    problems = []
    token = body.get("ClientRequestToken")
    if token is not None and not 1 <= len(token) <= 36:
        bound = "less than or equal to 36" if token else "greater than or equal to 1"
        problems.append(
            f"Value at 'ClientRequestToken' failed to satisfy constraint: Member must have length {bound}"
        )
    enums = (("returnConsumedCapacity", "INDEXES, TOTAL, NONE"), ("returnItemCollectionMetrics", "SIZE, NONE"))
    for member, allowed in enums:
        value = body.get(member[0].upper() + member[1:], "NONE")
        if value not in allowed.split(", "):
            problems.append(
                f"Value '{value}' at '{member}' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{allowed}]"
            )
    items = body.get("TransactItems") or []
    if not items:
        problems.append(
            "Value '[]' at 'transactItems' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1"
        )
    elif len(items) > 100:
        problems.append(_TOO_MANY_ACTIONS)
    return _constraint_error(problems) if problems else None


def _refuse_empty_keys(backend, transact_items):
    """An empty string or binary key value fails the whole request, whatever the action."""
    for entry in transact_items:
        if not isinstance(entry, dict) or len(entry) != 1:
            continue  # refused later, as a malformed action
        op_type, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName")) if isinstance(op, dict) else None
        if table is None:
            continue  # refused later, as a missing table
        attrs = op.get("Item" if op_type == "Put" else "Key") or {}
        for name in table.table_key_attrs:
            value = attrs.get(name)
            if not isinstance(value, dict) or len(value) != 1:
                continue
            ((kind, raw),) = value.items()
            if kind in ("S", "B") and raw in ("", b""):
                what = "string" if kind == "S" else "binary"
                raise MockValidationException(
                    "One or more parameter values are not valid. The AttributeValue for a key attribute "
                    f"cannot contain an empty {what} value. Key: {name}"
                )


# A reason is (Code, Message, Item); moto renders a None code as {"Code": "None"}, no message.
_FINE = (None, None, None)
_CONFLICT_MESSAGE = "Transaction is ongoing for the item"
_CONFLICT = ("TransactionConflict", _CONFLICT_MESSAGE, None)

# Validation errors moto raises while applying an action although DynamoDB finds them in the request
# itself (the expression is wrong whatever the item holds): they fail the whole request. Every other
# validation error depends on the stored item and cancels the transaction with a ValidationError.
_REQUEST_ERRORS = (
    AttributeIsReservedKeyword,
    DuplicateUpdateExpression,
    EmptyKeyAttributeException,
    ExpressionAttributeNameNotDefined,
    ExpressionAttributeValueNotDefined,
    ExpressionAttributeValuesEmpty,
    InvalidConditionExpression,
    TooManyClauses,
    UpdateExprSyntaxError,
    UpdateHashRangeKeyException,
)


# --- TransactWriteItems: plan, run each action, roll back ----------------------------------------


class _Action:
    """One entry of TransactItems, checked against its table before anything runs."""

    def __init__(self, op_type, op, table, key, invalid):
        self.op_type = op_type
        self.op = op
        self.table = table
        self.key = key  # None when the key does not fit the table's schema
        self.invalid = invalid  # the ValidationError reason for such a key, else None


def _plan_action(backend, entry):
    if len(entry) != 1:
        raise TransactWriteSingleOpException
    op_type, op = next(iter(entry.items()))
    if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
        raise MockValidationException("Unsupported transaction operation")
    table = backend.get_table(op["TableName"])
    attrs = op["Item"] if op_type == "Put" else op["Key"]
    schema = [(table.hash_key_attr, table.hash_key_type)]
    if table.range_key_attr is not None:
        schema.append((table.range_key_attr, table.range_key_type))

    if op_type == "Put":
        # The item's size is known from the request: DynamoDB refuses it before the transaction.
        Item(None, None, attrs)
        for name, kind in schema:
            if name not in attrs:
                error = f"One or more parameter values were invalid: Missing the key {name} in the item"
                return _Action(op_type, op, table, None, ("ValidationError", error, None))
            actual = next(iter(attrs[name]), None)
            if actual != kind:
                error = InvalidAttributeTypeError(name, expected_type=kind, actual_type=actual).message
                return _Action(op_type, op, table, None, ("ValidationError", error, None))
        table._validate_item_types(attrs)
        table._validate_key_sizes(attrs)
        return _Action(op_type, op, table, {name: attrs[name] for name, _ in schema}, None)

    # A lookup key must name exactly the key attributes, with the table's types.
    if set(attrs) != {name for name, _ in schema} or any(
        next(iter(attrs[name]), None) != kind for name, kind in schema
    ):
        return _Action(op_type, op, table, None, ("ValidationError", ProvidedKeyDoesNotExist().message, None))
    return _Action(op_type, op, table, dict(attrs), None)


def _plan(backend, transact_items):
    """Request-level checks, in the order DynamoDB makes them; raises before anything runs."""
    plan = [_plan_action(backend, entry) for entry in transact_items]
    seen = set()
    for action in plan:
        if action.key is None:
            continue
        marker = (action.table.name, _canonical(action.key))
        if marker in seen:
            raise MultipleTransactionsException()
        seen.add(marker)
    return plan


def _condition_holds(op, current):
    condition = op.get("ConditionExpression")
    if condition is None:
        return True
    names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    parsed = get_filter_expression(condition, names, values)
    try:
        return parsed.expr(current)
    except TypeError:
        # moto raises comparing values of different types (a string with a number); in DynamoDB
        # such a comparison is false.
        return False


def _run_action(backend, action, held, undo):
    """Runs one action; answers its CancellationReason. Writes are logged in `undo` first."""
    if action.invalid is not None:
        return action.invalid
    if held:
        return _CONFLICT
    op, table, key = action.op, action.table, action.key
    current = backend.get_item(table.name, key)
    if not _condition_holds(op, current):
        old = None
        if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
            old = current.to_json()["Attributes"]
        return ("ConditionalCheckFailed", ConditionalCheckFailed().message, old)
    if action.op_type == "ConditionCheck":
        return _FINE

    undo.append((table, key, copy.deepcopy(current.to_json()["Attributes"]) if current else None))
    try:
        if action.op_type == "Put":
            backend.put_item(table.name, op["Item"])
        elif action.op_type == "Delete":
            backend.delete_item(table.name, key)
        else:
            backend.update_item(
                table.name,
                key,
                update_expression=op["UpdateExpression"],
                expression_attribute_names=op.get("ExpressionAttributeNames"),
                expression_attribute_values=op.get("ExpressionAttributeValues"),
            )
    except _REQUEST_ERRORS:
        raise
    except ProvidedKeyDoesNotExist:
        # Raised by moto's update validator for a path the stored item lacks.
        message = "The provided expression refers to an attribute that does not exist in the item"
        return ("ValidationError", message, None)
    except (MockValidationException, ValidationException) as error:
        return ("ValidationError", error.message, None)
    return _FINE


def _roll_back(backend, undo, stream_lengths):
    for table, key, attributes in reversed(undo):
        if attributes is None:
            backend.delete_item(table.name, key)
        else:
            backend.put_item(table.name, attributes)
    # A cancelled transaction leaves no stream records (requests are serialized, see _LOCK).
    for name, length in stream_lengths.items():
        del backend.get_table(name).stream_shard.items[length:]


def transact_write_items(self, transact_items):
    if len(transact_items) > 100:
        raise _constraint_error([_TOO_MANY_ACTIONS])
    plan = _plan(self, transact_items)
    held, faults = _CONFLICT_FAULTS.holding("TransactWriteItems", [(a.table, a.key) for a in plan])
    stream_lengths = {
        a.table.name: len(a.table.stream_shard.items) for a in plan if a.table.stream_shard is not None
    }
    undo = []
    # Every action runs, so that each one's reason is known; they target distinct items, so one
    # action's write cannot change another's outcome. Any failure undoes them all.
    try:
        reasons = [_run_action(self, action, i in held, undo) for i, action in enumerate(plan)]
    except Exception:
        _roll_back(self, undo, stream_lengths)
        raise
    # A request refused as a whole (above) never reached the items, so no fault held it.
    _CONFLICT_FAULTS.count_down(faults)
    if any(code is not None for code, _, _ in reasons):
        _roll_back(self, undo, stream_lengths)
        raise TransactionCanceledException(reasons)


DynamoDBBackend.transact_write_items = transact_write_items


# --- ClientRequestToken ---------------------------------------------------------------------------


def _canonical(value):
    """A stable text of request parameters: map order does not matter, list order does."""

    def encode(other):
        if isinstance(other, (bytes, bytearray)):
            return base64.b64encode(other).decode()
        return str(other)

    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=encode)


class _Tokens:
    """Tokens of successful transactions, each held for the window after its transaction ended."""

    Held = collections.namedtuple("Held", "expires digest tables")

    def __init__(self, window_seconds):
        self.window = window_seconds
        self.held = collections.OrderedDict()  # oldest first: one window for all, so expiry order

    def find(self, token):
        now = time.monotonic()
        while self.held and next(iter(self.held.values())).expires <= now:
            self.held.popitem(last=False)
        return self.held.get(token)

    def hold(self, token, digest, tables):
        self.held[token] = self.Held(time.monotonic() + self.window, digest, tables)


def _idempotency_window():
    raw = os.environ.get("LOCAL_DYNAMODB_IDEMPOTENCY_WINDOW_SECONDS", "600")
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1
    if seconds <= 0:
        sys.exit(f"LOCAL_DYNAMODB_IDEMPOTENCY_WINDOW_SECONDS must be a positive number of seconds, not {raw!r}")
    return seconds


_TOKENS = _Tokens(600)


def _answer(body, tables, units):
    """TransactWriteItems' answer. Capacity is counted as DynamoDB's two underlying operations per
    action (prepare and commit), whatever the item's size: write units for the call that wrote,
    read units for an idempotent repeat."""
    level = body.get("ReturnConsumedCapacity", "NONE")
    if level not in ("TOTAL", "INDEXES"):
        return {}
    consumed = []
    for name, actions in tables.items():
        capacity = {"CapacityUnits": 2.0 * actions, units: 2.0 * actions}
        entry = {"TableName": name, **capacity}
        if level == "INDEXES":
            entry["Table"] = dict(capacity)
        consumed.append(entry)
    return {"ConsumedCapacity": consumed}


_moto_transact_write_items = DynamoHandler.transact_write_items


def _handle_transact_write_items(self):
    body = self.body
    token = body.get("ClientRequestToken")
    problem = _member_constraints(body)
    if problem is not None:
        raise problem

    parameters = {name: value for name, value in body.items() if name != "ClientRequestToken"}
    digest = hashlib.sha256(_canonical(parameters).encode()).digest()
    if token is not None:
        held = _TOKENS.find(token)
        if held is not None:
            if held.digest != digest:
                raise IdempotentParameterMismatchException()
            return ActionResult(_answer(body, held.tables, "ReadCapacityUnits"))

    _refuse_empty_keys(self.dynamodb_backend, body["TransactItems"])
    _moto_transact_write_items(self)  # moto's expression checks, then transact_write_items above
    tables = collections.Counter(next(iter(entry.values()))["TableName"] for entry in body["TransactItems"])
    if token is not None:
        _TOKENS.hold(token, digest, tables)
    return ActionResult(_answer(body, tables, "WriteCapacityUnits"))


DynamoHandler.transact_write_items = _handle_transact_write_items


# --- Injected transaction conflicts ---------------------------------------------------------------


class _ConflictFaults:
    """Stand-ins for concurrent transactions: each holds the items of a table (or one item, by key)
    for the next `times` requests of its operations that touch them."""

    PATH = "/_local/faults/transaction-conflict"
    OPERATIONS = ("TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem")

    def __init__(self):
        self.faults = []

    def arm(self, spec):
        """Adds a fault from its JSON form; answers an error message for a malformed one."""
        if not isinstance(spec, dict):
            return "the body must be a JSON object"
        unknown = set(spec) - {"table", "key", "times", "operations"}
        if unknown:
            return f"unknown fields: {', '.join(sorted(unknown))}"
        table, key = spec.get("table"), spec.get("key")
        times, operations = spec.get("times", 1), spec.get("operations", ["TransactWriteItems"])
        if not isinstance(table, str) or not table:
            return "table must be a table name"
        if key is not None and not (
            isinstance(key, dict) and key and all(isinstance(v, dict) and len(v) == 1 for v in key.values())
        ):
            return 'key must be a primary key in DynamoDB JSON, e.g. {"pk": {"S": "a"}}'
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            return "times must be a positive integer"
        if (
            not isinstance(operations, list)
            or not operations
            or any(operation not in self.OPERATIONS for operation in operations)
        ):
            return f"operations must be a list of {', '.join(self.OPERATIONS)}"
        fault = {"table": table, "times": times, "operations": list(dict.fromkeys(operations))}
        if key is not None:
            fault["key"] = key
        self.faults.append(fault)
        return None

    def holding(self, operation, targets):
        """The indexes of `targets` ((table, key) pairs) that faults hold, and those faults."""
        held, faults = set(), []
        for fault in self.faults:
            if operation not in fault["operations"]:
                continue
            hits = {
                i
                for i, (table, key) in enumerate(targets)
                if fault["table"] in (table.name, table.table_arn)
                and ("key" not in fault or (key is not None and _canonical(key) == _canonical(fault["key"])))
            }
            if hits:
                held |= hits
                faults.append(fault)
        return held, faults

    def count_down(self, faults):
        """Each fault that held a request counts it; a fault is gone once it has held `times`."""
        for fault in faults:
            fault["times"] -= 1
        self.faults = [fault for fault in self.faults if fault["times"] > 0]

    def endpoint(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        status, answer = "200 OK", None
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                spec = json.loads(environ["wsgi.input"].read(length) or b"null")
            except ValueError:
                spec = None
            problem = self.arm(spec)
            if problem is not None:
                status, answer = "400 Bad Request", {"message": problem}
        elif method == "DELETE":
            self.faults = []
        elif method != "GET":
            status, answer = "405 Method Not Allowed", {"message": "GET, POST or DELETE"}
        payload = json.dumps(answer or {"faults": self.faults}).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]


_CONFLICT_FAULTS = _ConflictFaults()


def _guard_plain_write(operation, moto_handler):
    """PutItem, UpdateItem and DeleteItem answer TransactionConflictException on a held item."""

    def handler(self):
        if _CONFLICT_FAULTS.faults:
            table = self.dynamodb_backend.tables.get(self.body.get("TableName"))
            if table is not None:
                key = self.body.get("Key")
                if operation == "PutItem":
                    item = self.body.get("Item") or {}
                    key = {name: item[name] for name in table.table_key_attrs if name in item}
                held, faults = _CONFLICT_FAULTS.holding(operation, [(table, key)])
                if held:
                    _CONFLICT_FAULTS.count_down(faults)
                    raise TransactionConflictException()
        return moto_handler(self)

    return handler


DynamoHandler.put_item = _guard_plain_write("PutItem", DynamoHandler.put_item)
DynamoHandler.update_item = _guard_plain_write("UpdateItem", DynamoHandler.update_item)
DynamoHandler.delete_item = _guard_plain_write("DeleteItem", DynamoHandler.delete_item)


# --- DynamoDB Streams -----------------------------------------------------------------------------


class _RecentIterators(collections.OrderedDict):
    """Keeps the newest iterators: at ~20 polls a second this spans several minutes."""

    LIMIT = 20_000

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        while len(self) > self.LIMIT:
            self.popitem(last=False)


_streams_init = DynamoDBStreamsBackend.__init__


def _streams_backend_init(self, region_name, account_id):
    _streams_init(self, region_name, account_id)
    self.shard_iterators = _RecentIterators()


DynamoDBStreamsBackend.__init__ = _streams_backend_init


# --- Server ---------------------------------------------------------------------------------------


class Serialized:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        with _LOCK:
            if environ.get("PATH_INFO") == _ConflictFaults.PATH:
                return _CONFLICT_FAULTS.endpoint(environ, start_response)
            # Materialize the body inside the lock: the models must not be read while another
            # request mutates them.
            return list(self.app(environ, start_response))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=4566)
    args = parser.parse_args()
    _TOKENS.window = _idempotency_window()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, Serialized(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
