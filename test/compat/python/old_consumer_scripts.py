"""The old forwarder's side of the wire, with Debian's Python `azure-eventhub` SDK.

Usage: old_consumer_scripts.py send|receive CONNECTION_STRING CA_FILE [COUNT]

  send     sends COUNT events (JSON bodies with application properties) in one batch
  receive  reads every event of the hub from the start, as the old consumer scripts did, until
           COUNT have arrived or 20 s passed

Prints one JSON object per line on stdout; exits non-zero on any SDK error.
"""
import json
import sys
import threading

from azure.eventhub import EventData, EventHubConsumerClient, EventHubProducerClient


def send(connection_string, ca_file, count):
    producer = EventHubProducerClient.from_connection_string(connection_string, connection_verify=ca_file)
    with producer:
        batch = producer.create_batch()
        for n in range(count):
            event = EventData(json.dumps({"n": n, "from": "python"}))
            event.properties = {"source": "microshare-forwarder", "device_id": ""}
            batch.add(event)
        producer.send_batch(batch)
    print(json.dumps({"sent": count}), flush=True)


def receive(connection_string, ca_file, count):
    consumer = EventHubConsumerClient.from_connection_string(
        connection_string, consumer_group="$default", connection_verify=ca_file
    )
    received = []
    errors = []
    done = threading.Event()

    def on_event(context, event):
        properties = {k.decode() if isinstance(k, bytes) else k: v.decode() if isinstance(v, bytes) else v
                      for k, v in (event.properties or {}).items()}
        received.append({"partition": context.partition_id, "body": json.loads(event.body_as_str()),
                         "properties": properties})
        if len(received) >= count:
            done.set()

    def on_error(context, error):
        errors.append(repr(error))
        done.set()

    worker = threading.Thread(
        target=lambda: consumer.receive(on_event=on_event, on_error=on_error, starting_position="-1"), daemon=True
    )
    worker.start()
    done.wait(20)
    consumer.close()
    for event in received:
        print(json.dumps(event), flush=True)
    if errors:
        print(json.dumps({"errors": errors}), flush=True)
        sys.exit(1)


if __name__ == "__main__":
    command, connection_string, ca_file = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    {"send": send, "receive": receive}[command](connection_string, ca_file, count)
