/* SPDX-License-Identifier: MIT */
/* First-run self-signed ECDSA P-256 certificate. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <unistd.h>

#include "context.h"
#include "internal.h"

static int
selfsigned_write_key(const char *key_file, EVP_PKEY *key, char *err, size_t err_len)
{
    int fd = open(key_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *f;
    int ok;

    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        snprintf(err, err_len, "%s: cannot write", key_file);
        if (fd >= 0)
            close(fd);
        return -EIO;
    }
    ok = PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    if (fclose(f) != 0 || !ok) {
        snprintf(err, err_len, "%s: cannot write", key_file);
        return -EIO;
    }
    return 0;
}

static int
selfsigned_write_cert(const char *cert_file, X509 *cert, char *err, size_t err_len)
{
    FILE *f = fopen(cert_file, "w");
    int ok;

    if (!f) {
        snprintf(err, err_len, "%s: cannot write", cert_file);
        return -EIO;
    }
    ok = PEM_write_X509(f, cert);
    if (fclose(f) != 0 || !ok) {
        snprintf(err, err_len, "%s: cannot write", cert_file);
        return -EIO;
    }
    return 0;
}

static int
selfsigned_add_ext(X509 *cert, int nid, const char *value)
{
    X509V3_CTX v3;
    X509_EXTENSION *ext;
    int ok;

    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
    ext = X509V3_EXT_nconf_nid(NULL, &v3, nid, value);
    if (!ext)
        return -1;
    ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

static X509 *
selfsigned_build(EVP_PKEY *key, const char *common_name)
{
    X509 *cert = X509_new();
    X509_NAME *subject;
    unsigned char serial[16];

    if (!cert)
        return NULL;
    X509_set_version(cert, 2);
    if (RAND_bytes(serial, sizeof(serial)) != 1)
        goto fail;
    serial[0] &= 0x7f;
    BIGNUM *bn = BN_bin2bn(serial, sizeof(serial), NULL);
    if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert))) {
        BN_free(bn);
        goto fail;
    }
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 10L * 365 * 24 * 3600);
    X509_set_pubkey(cert, key);
    subject = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8, (const unsigned char *)"perch", -1, -1,
                               0);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1,
                               -1, 0);
    X509_set_issuer_name(cert, subject);
    if (selfsigned_add_ext(cert, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") < 0 ||
        selfsigned_add_ext(cert, NID_basic_constraints, "critical,CA:FALSE") < 0 ||
        selfsigned_add_ext(cert, NID_ext_key_usage, "serverAuth") < 0)
        goto fail;
    if (!X509_sign(cert, key, EVP_sha256()))
        goto fail;
    return cert;
fail:
    X509_free(cert);
    return NULL;
}

int
tls_selfsigned_create(const char *cert_file, const char *key_file, const char *common_name,
                      char *err, size_t err_len)
{
    EVP_PKEY *key;
    X509 *cert = NULL;
    int rc = -EIO;

    ERR_clear_error();
    key = EVP_EC_gen("P-256");
    if (!key) {
        tls__error_string(err, err_len, "cannot generate key");
        return -EIO;
    }
    cert = selfsigned_build(key, common_name);
    if (!cert) {
        tls__error_string(err, err_len, "cannot build certificate");
        goto out;
    }
    rc = selfsigned_write_key(key_file, key, err, err_len);
    if (rc == 0)
        rc = selfsigned_write_cert(cert_file, cert, err, err_len);
out:
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}
