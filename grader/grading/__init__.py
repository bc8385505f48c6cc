"""From submissions to scores: hidden-test specs, the in-kernel check, the sandbox and its
harness, the wire format, grading jobs and the class batch. Imports from ``authoring``,
never the other way."""
