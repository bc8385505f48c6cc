"""From the sources to what students get: catalogue, package stubs, notebook sync, the
nbgrader course directory and release, the build, stored executions and the scaffold."""
