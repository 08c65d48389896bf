"""The core: data, rules and services. Never imports Qt."""
