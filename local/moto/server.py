"""moto server for the local cloud.

Two changes to moto's own `moto_server`, both about DynamoDB under the local cloud's load:

* Requests are applied one at a time (a lock around the WSGI app; connections are still served
  by threads, so keep-alive clients do not block each other). moto's models are not written for
  concurrent mutation, and DynamoDB's per-item atomicity is what the services rely on.
* DynamoDB Streams shard iterators are forgotten oldest-first beyond a bound, as real ones expire
  after 15 minutes; moto keeps every one, and the stream pollers ask for one per poll.
* TransactWriteItems keeps an undo log of the items it touches instead of deep-copying every table
  it names before each call. The copy made a transaction O(table size) (seconds at 10k items) and,
  on a cancelled transaction, swapped in a table whose stream shard the pollers' iterators no
  longer pointed at, so the stream went silent.
"""

import argparse
import collections
import copy
import json
import signal
import sys
import threading

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodbstreams.models import DynamoDBStreamsBackend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

_LOCK = threading.Lock()


def _key_of(table, op_type, op):
    if op_type != "Put":
        return op["Key"]
    attrs = op["Item"]
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key


def transact_write_items(self, transact_items):
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    plan = []
    seen = set()
    for entry in transact_items:
        if len(entry) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(entry.items()))
        if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
            raise MockValidationException("Unsupported transaction operation")
        table = self.get_table(op["TableName"])
        key = _key_of(table, op_type, op)
        marker = (table.name, json.dumps(key, sort_keys=True))
        if marker in seen:
            raise MultipleTransactionsException()
        seen.add(marker)
        plan.append((op_type, op, table, key))

    # DynamoDB evaluates every condition before it writes anything: all or nothing.
    reasons = []
    for op_type, op, table, key in plan:
        current = self.get_item(table.name, key)
        condition = op.get("ConditionExpression")
        if condition is not None and not get_filter_expression(
            condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
        ).expr(current):
            old = None
            if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                old = current.to_json()["Attributes"]
            reasons.append(("ConditionalCheckFailed", ConditionalCheckFailed().message, old))
        else:
            reasons.append((None, None, None))
    if any(code is not None for code, _, _ in reasons):
        raise TransactionCanceledException(reasons)

    undo = []
    stream_lengths = {t.name: len(t.stream_shard.items) for _, _, t, _ in plan if t.stream_shard is not None}
    try:
        for op_type, op, table, key in plan:
            before = self.get_item(table.name, key)
            undo.append((table, key, copy.deepcopy(before.to_json()["Attributes"]) if before else None))
            if op_type == "Put":
                self.put_item(table.name, op["Item"])
            elif op_type == "Delete":
                self.delete_item(table.name, key)
            elif op_type == "Update":
                self.update_item(
                    table.name,
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=op.get("ExpressionAttributeNames"),
                    expression_attribute_values=op.get("ExpressionAttributeValues"),
                )
    except Exception as error:
        for table, key, attributes in reversed(undo):
            if attributes is None:
                self.delete_item(table.name, key)
            else:
                self.put_item(table.name, attributes)
        # A cancelled transaction leaves no stream records (requests are serialized, see _LOCK).
        for name, length in stream_lengths.items():
            del self.get_table(name).stream_shard.items[length:]
        if isinstance(error, MockValidationException):
            raise
        raise TransactionCanceledException(
            [(type(error).__name__, str(error), None) if i == len(undo) - 1 else (None, None, None) for i in range(len(plan))]
        ) from error


DynamoDBBackend.transact_write_items = transact_write_items


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


class Serialized:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        with _LOCK:
            # Materialize the body inside the lock: the models must not be read while another
            # request mutates them.
            return list(self.app(environ, start_response))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=4566)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, Serialized(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
