"""The demonstration data: real published figures where there are any, simulated ones
(marked as such) elsewhere, loaded by `tiendo load-demo` through the same services as any
user. Nothing in the application imports this package; only the command line and tests do."""
