/* Team keys in native code (spec wurao-draw-v1 §6), with OpenSSL's SHA-256.

   team_key(code, badge) is the first 8 bytes, read big-endian, of
   HMAC-SHA256(seed, "team" 0x00 code 0x00 badge). For one enterprise and a whole roster the
   message differs only in its last part, so this module computes

       Hmac(key).keys(prefix, suffixes)
           -> bytearray of len(suffixes) native-order uint64s, the i-th being the first
              8 bytes, big-endian, of HMAC-SHA256(key, prefix || suffixes[i])

   and leaves the spec's message layout to teams.py. HMAC is RFC 2104 written over OpenSSL's
   SHA-256 (not a SHA-256 of our own): the inner and outer pad blocks are hashed once per
   key, the prefix once per call, then per suffix two context copies, updates and finals.

   The low-level SHA256_CTX functions are deprecated in OpenSSL 3.0 but still provided; they
   are used because copying the context is a plain struct copy. The EVP equivalents were
   measured slower here (EVP_MD_CTX_copy_ex goes through the provider's dupctx, and
   EVP_MAC_CTX_dup allocates per key); see bench/RESULTS.md, "## draw".

   The hashing loop runs without the GIL; an Hmac object is never modified after it is
   made, so several threads may call keys() on the same one. */

#define PY_SSIZE_T_CLEAN
/* Declare the 1.1.1 API, in which SHA256_Init and friends are not yet deprecated. */
#define OPENSSL_API_COMPAT 0x10101000L
#include <Python.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <stdint.h>

typedef struct {
    PyObject_HEAD
    SHA256_CTX inner; /* after the key XOR ipad block */
    SHA256_CTX outer; /* after the key XOR opad block */
} HmacObject;

static PyObject *
Hmac_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"key", NULL};
    Py_buffer key;
    unsigned char block[SHA256_CBLOCK], pad[SHA256_CBLOCK];
    HmacObject *self;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "y*:Hmac", keywords, &key))
        return NULL;
    self = (HmacObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        PyBuffer_Release(&key);
        return NULL;
    }
    memset(block, 0, sizeof block);
    if (key.len > SHA256_CBLOCK)
        SHA256(key.buf, (size_t)key.len, block); /* RFC 2104: a long key is hashed first */
    else
        memcpy(block, key.buf, (size_t)key.len);
    PyBuffer_Release(&key);

    for (int i = 0; i < SHA256_CBLOCK; i++)
        pad[i] = block[i] ^ 0x36;
    SHA256_Init(&self->inner);
    SHA256_Update(&self->inner, pad, sizeof pad);
    for (int i = 0; i < SHA256_CBLOCK; i++)
        pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&self->outer);
    SHA256_Update(&self->outer, pad, sizeof pad);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
    return (PyObject *)self;
}

static void
Hmac_dealloc(HmacObject *self)
{
    OPENSSL_cleanse(&self->inner, sizeof self->inner);
    OPENSSL_cleanse(&self->outer, sizeof self->outer);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* The first 8 bytes of a digest, read big-endian, stored as a native uint64. */
static inline void
store_key(unsigned char *out, const unsigned char *digest)
{
    uint64_t key = 0;
    for (int i = 0; i < 8; i++)
        key = (key << 8) | digest[i];
    memcpy(out, &key, sizeof key);
}

PyDoc_STRVAR(Hmac_keys_doc,
"keys(prefix, suffixes, /) -> bytearray\n\n"
"For each bytes object s in the sequence suffixes, the first 8 bytes of\n"
"HMAC-SHA256(key, prefix + s) read as a big-endian unsigned integer; returned as\n"
"len(suffixes) uint64 values in native byte order (numpy.frombuffer(..., numpy.uint64)).");

static PyObject *
Hmac_keys(HmacObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer prefix;
    PyObject *items, *result = NULL;
    const unsigned char **data = NULL;
    size_t *lengths = NULL;
    Py_ssize_t n;

    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "keys() takes 2 arguments (%zd given)", nargs);
        return NULL;
    }
    if (PyObject_GetBuffer(args[0], &prefix, PyBUF_SIMPLE) < 0)
        return NULL;
    /* A tuple holds a reference to every suffix while the GIL is released (a list could be
       changed meanwhile by another thread). */
    items = PySequence_Tuple(args[1]);
    if (items == NULL)
        goto done;
    n = PyTuple_GET_SIZE(items);
    if ((size_t)n > PY_SSIZE_T_MAX / 8) {
        PyErr_NoMemory();
        goto done;
    }
    data = PyMem_Malloc(n ? (size_t)n * sizeof *data : 1);
    lengths = PyMem_Malloc(n ? (size_t)n * sizeof *lengths : 1);
    if (data == NULL || lengths == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(items, i);
        if (!PyBytes_Check(item)) {
            PyErr_Format(PyExc_TypeError, "suffixes[%zd] must be bytes, not %.100s", i,
                         Py_TYPE(item)->tp_name);
            goto done;
        }
        data[i] = (const unsigned char *)PyBytes_AS_STRING(item);
        lengths[i] = (size_t)PyBytes_GET_SIZE(item);
    }
    result = PyByteArray_FromStringAndSize(NULL, n * 8);
    if (result == NULL)
        goto done;

    {
        unsigned char *out = (unsigned char *)PyByteArray_AS_STRING(result);
        SHA256_CTX start;
        Py_ssize_t i = 0;

        Py_BEGIN_ALLOW_THREADS
        start = self->inner;
        SHA256_Update(&start, prefix.buf, (size_t)prefix.len);
        /* Two keys at a time, their steps interleaved: each HMAC is a chain of two
           dependent compressions, and two independent chains keep the CPU busier
           (about 6% faster here than one at a time). */
        for (; i + 1 < n; i += 2) {
            SHA256_CTX a = start, b = start;
            unsigned char da[SHA256_DIGEST_LENGTH], db[SHA256_DIGEST_LENGTH];
            SHA256_Update(&a, data[i], lengths[i]);
            SHA256_Update(&b, data[i + 1], lengths[i + 1]);
            SHA256_Final(da, &a);
            SHA256_Final(db, &b);
            a = self->outer;
            b = self->outer;
            SHA256_Update(&a, da, sizeof da);
            SHA256_Update(&b, db, sizeof db);
            SHA256_Final(da, &a);
            SHA256_Final(db, &b);
            store_key(out + 8 * i, da);
            store_key(out + 8 * (i + 1), db);
        }
        if (i < n) {
            SHA256_CTX a = start;
            unsigned char da[SHA256_DIGEST_LENGTH];
            SHA256_Update(&a, data[i], lengths[i]);
            SHA256_Final(da, &a);
            a = self->outer;
            SHA256_Update(&a, da, sizeof da);
            SHA256_Final(da, &a);
            store_key(out + 8 * i, da);
        }
        Py_END_ALLOW_THREADS
    }

done:
    PyMem_Free(data);
    PyMem_Free(lengths);
    Py_XDECREF(items);
    PyBuffer_Release(&prefix);
    return result;
}

static PyMethodDef Hmac_methods[] = {
    {"keys", (PyCFunction)(void (*)(void))Hmac_keys, METH_FASTCALL, Hmac_keys_doc},
    {NULL, NULL, 0, NULL},
};

PyDoc_STRVAR(Hmac_doc,
"Hmac(key)\n\n"
"HMAC-SHA256 under one key, the pad blocks hashed once; see keys().");

static PyTypeObject HmacType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "wurao.sampling._teamkeys.Hmac",
    .tp_basicsize = sizeof(HmacObject),
    .tp_dealloc = (destructor)Hmac_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = Hmac_doc,
    .tp_methods = Hmac_methods,
    .tp_new = Hmac_new,
};

static struct PyModuleDef teamkeys_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "wurao.sampling._teamkeys",
    .m_doc = "Truncated HMAC-SHA256 keys for the draw's inspector teams (spec §6), "
             "with OpenSSL's SHA-256.",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__teamkeys(void)
{
    PyObject *module;

    if (PyType_Ready(&HmacType) < 0)
        return NULL;
    module = PyModule_Create(&teamkeys_module);
    if (module == NULL)
        return NULL;
    if (PyModule_AddObjectRef(module, "Hmac", (PyObject *)&HmacType) < 0 ||
        PyModule_AddStringConstant(module, "OPENSSL_VERSION",
                                   OpenSSL_version(OPENSSL_VERSION)) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
