"""Hello world in Python, plus the interpreter version it ran on."""
import platform

print("Hello, world!")
print("Python", platform.python_version_tuple()[0] + "." + platform.python_version_tuple()[1])
