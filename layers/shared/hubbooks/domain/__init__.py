"""Domain rules: no boto3, no requests; they work on the ports the adapters implement."""
