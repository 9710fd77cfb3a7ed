// Integration tests wait on Kafka round trips and broker restarts; their own probes bound the waits.
jest.setTimeout(120_000);
