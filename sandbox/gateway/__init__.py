"""The local API Gateway + Lambda + SQS event source + EventBridge Scheduler stand-in, driven by template.yaml."""
