"""Project finance: yearly cash flows under Kazakhstan's fiscal terms, capital stacks, offtakes."""
