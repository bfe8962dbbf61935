"""Uses a compiled extension module and says where it was loaded from."""
import vowels

phrase = "minimal container images"
print(f"{vowels.count(phrase)} vowels in {phrase!r}")
print("extension:", vowels.__file__.rsplit("/", 1)[-1].split(".")[0], "(compiled)")
