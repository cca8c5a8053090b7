"""Impact monitoring and evaluation (issue #15): the indicators first; surveys, report and pages follow."""
