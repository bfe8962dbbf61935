/* A tiny compiled extension: counts ASCII vowels in a str.
   It stands for any package that ships C code (numpy, lxml, ...):
   installing it from source needs a compiler and Python's headers. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *count(PyObject *self, PyObject *args)
{
    const char *text;
    Py_ssize_t length, i, total = 0;

    if (!PyArg_ParseTuple(args, "s#", &text, &length))
        return NULL;
    for (i = 0; i < length; i++) {
        switch (text[i] | 0x20) {
        case 'a': case 'e': case 'i': case 'o': case 'u':
            total++;
        }
    }
    return PyLong_FromSsize_t(total);
}

static PyMethodDef methods[] = {
    {"count", count, METH_VARARGS, "Count the ASCII vowels in a string."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "vowels", "Vowel counting in C.", -1, methods
};

PyMODINIT_FUNC PyInit_vowels(void)
{
    return PyModule_Create(&module);
}
