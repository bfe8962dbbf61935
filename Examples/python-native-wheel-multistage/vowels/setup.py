from setuptools import Extension, setup

setup(
    name="vowels",
    version="1.0",
    ext_modules=[Extension("vowels", sources=["vowels.c"])],
)
