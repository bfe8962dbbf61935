// Placeholder: the parser benchmark lands here (issue 3).
print("parser-bench: not written yet")
