/*
 * The C half of CurlClient: typed wrappers for libcurl's variadic functions, capped body/header
 * collectors, and the OpenSSL record that captures TLS facts, the certificate chain and every X509
 * verification error from inside the handshake (LIBCURL-NOTES.md §2–§3: the SSL* is gone once
 * curl_easy_perform returns, so facts are copied at SSL_CB_HANDSHAKE_DONE).
 */
#ifndef PA_SHIM_H
#define PA_SHIM_H

#include <curl/curl.h>
#include <stddef.h>

/* Initialises libcurl and the OpenSSL ex_data index once; ignores SIGPIPE. Returns CURLE_OK. */
int pa_global_init(void);

/* Refuse every socket outside 127.0.0.0/8 and ::1 when set (tests, the lab demo). */
void pa_set_loopback_only(int on);
int pa_loopback_only(void);
/* Process-wide count of TCP sockets opened through libcurl (for `--stats` and benchmarks). */
long pa_sockets_opened(void);

/* The shared trust store: the system store, parsed once. Call before the driver thread starts; later
 * calls do nothing. Never replaced or freed. Returns 0, or -1 when OpenSSL cannot allocate it. */
int pa_trust_store_build(void);
/* Certificates the system bundle gave the store (0: no system anchors, e.g. ca-certificates missing). */
int pa_trust_store_system_count(void);
/* Adds the anchors of a PEM file to the shared store (once per path). Returns 0 on success, -1 when the
 * file cannot be read or holds no certificate (then nothing of it is added). */
int pa_trust_store_add(const char *extra_pem);
/* Sockets that could not be opened for lack of descriptors or memory (the auditor's limit). */
long pa_sockets_exhausted(void);

CURLcode pa_setopt_long(CURL *h, CURLoption o, long v);
CURLcode pa_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode pa_setopt_str(CURL *h, CURLoption o, const char *v);
CURLcode pa_setopt_ptr(CURL *h, CURLoption o, void *v);
CURLcode pa_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode pa_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v);
CURLcode pa_getinfo_str(CURL *h, CURLINFO i, char **v);
/* The socket of a CONNECT_ONLY transfer (raw TLS hellos), or -1. */
int pa_active_socket(CURL *h);
CURLMcode pa_multi_setopt_long(CURLM *m, CURLMoption o, long v);

/* A growable byte buffer with a hard cap; bytes past the cap are dropped and `truncated` set. */
typedef struct pa_buffer {
    char *data;
    size_t len;
    size_t cap;
    size_t limit;
    int truncated;
    long lines;        /* header buffers: lines received */
    long line_limit;   /* header buffers: stop after this many lines (0 = no limit) */
    long line_max;     /* header buffers: longest line kept (longer lines are cut) */
    long responses;    /* header buffers: status lines received (interim 1xx ones included); never reset */
} pa_buffer;

/* The most responses one transfer reads (interim 1xx and auth retries before the final one): an endless
   stream of 1xx responses ends the transfer as truncated headers instead of resetting the counters forever. */
#define PA_MAX_RESPONSES 16

/* One certificate as presented by the server. Strings are owned by the record. */
typedef struct pa_cert {
    char *subject;
    char *issuer;
    char *sans;           /* comma-separated DNS and IP names */
    char *key_type;       /* RSA, EC, ED25519, DSA … */
    int key_bits;
    char *sig_alg;        /* OpenSSL short name, e.g. RSA-SHA256 */
    long long not_before; /* Unix seconds */
    long long not_after;
    int self_issued;
    char *ca_issuers;     /* the first AIA caIssuers URI, or NULL */
    char *ocsp;           /* the first AIA OCSP URI, or NULL */
    char *crl;            /* the first CRL distribution point URI, or NULL */
    char *serial;         /* hex */
    unsigned char *der;   /* the certificate as sent */
    size_t der_len;
} pa_cert;

#define PA_MAX_CERTS 8
/* Allowed endpoints per transfer: a portal's own addresses on its ports, and what the operator pinned for it. */
#define PA_MAX_EGRESS 32
#define PA_MAX_ERRORS 16

/* Everything one transfer records. Allocated with pa_probe_new, freed with pa_probe_free. */
typedef struct pa_probe {
    /* configuration */
    int record_verify;    /* install the shared store, the recording verify callback and the host check */
    int strict_verify;    /* install the shared store only: libcurl verifies and refuses (alerts, mail) */
    char *verify_host;    /* name checked by OpenSSL (error 62 on mismatch) */
    /* handshake facts */
    int handshakes;       /* SSL_CB_HANDSHAKE_DONE count */
    char *tls_version;    /* TLSv1.2 … */
    char *cipher;         /* OpenSSL name */
    char *cipher_std;     /* IANA/RFC name */
    int cipher_aead;
    char *kx;             /* key exchange: kx-rsa, kx-ecdhe, kx-dhe, kx-any (TLS 1.3) */
    char *tmp_key_type;   /* server ephemeral key: X25519, ECDH, DH */
    int tmp_key_bits;
    char *alpn;
    int cert_count;
    pa_cert certs[PA_MAX_CERTS];
    int error_count;
    int error_codes[PA_MAX_ERRORS];
    int error_depths[PA_MAX_ERRORS];
    /* the stapled OCSP response (DER), when the server sent one */
    unsigned char *ocsp_staple;
    size_t ocsp_staple_len;
    /* the SSL_CTXs this record is attached to (up-referenced; detached and released on free, so a
       pooled connection reused later never calls back into a freed record) */
    void *contexts[4];
    int context_count;
    /* collectors */
    pa_buffer body;
    pa_buffer headers;
    /* request body for uploads (SMTP message) */
    char *upload;
    size_t upload_len;
    size_t upload_pos;
    /* set when a socket could not be opened for lack of descriptors (EMFILE/ENFILE) */
    int local_exhausted;
    /* egress (pa_probe_restrict): when set, a socket may only go to an allowed address and port, or to a
       public unicast address on port 80 or 443 (EgressPolicy in Swift states the same rule) */
    int egress_restricted;
    int egress_count;
    int egress_length[PA_MAX_EGRESS];             /* 4 (IPv4, IPv4-mapped included) or 16 */
    unsigned char egress_address[PA_MAX_EGRESS][16];
    int egress_port[PA_MAX_EGRESS];
    /* the first address the policy refused ("ADDRESS port PORT"), empty when none was */
    char egress_refused[64];
    char errbuf[CURL_ERROR_SIZE];
} pa_probe;

pa_probe *pa_probe_new(size_t body_limit, size_t header_limit, long header_line_limit, long header_line_max);
void pa_probe_free(pa_probe *p);
void pa_probe_set_verify_host(pa_probe *p, const char *host);
const char *pa_x509_error_string(int code);

/* Reads one DER certificate into `out` (released with pa_cert_release). Returns 0, or -1 when it is not one. */
int pa_cert_from_der(const unsigned char *der, size_t len, pa_cert *out);
void pa_cert_release(pa_cert *c);

/* Verifies a chain as given (leaf first, DER; the rest are untrusted intermediates, in any order) against
 * the shared store and `host` (a name or an IP literal), for a TLS server, at security level 0: key and
 * digest strength are judged elsewhere. Every error is recorded (up to `max`), as the handshake does.
 * Returns the number of errors recorded, or -1 when the leaf cannot be read or the store is missing. */
int pa_verify_chain(const unsigned char *const *ders, const size_t *lens, int count, const char *host, int *codes,
                    int *depths, int max);

/* Revocation. The status of `leaf` (DER) issued by `issuer` (DER) according to an OCSP response or a CRL
 * (DER or PEM), whose signature is checked against the issuer (OCSP: or a responder it delegated to, or the
 * shared store) and only when `issuer` really signed `leaf` (a server may send an impostor of the same name).
 * Returns 0 good, 1 revoked (`*when` = revocation time, Unix seconds), 2 unknown to the
 * responder, -1 when the document cannot be read, is not signed by the issuer or is out of date. */
int pa_ocsp_status(const unsigned char *resp, size_t resp_len, const unsigned char *leaf, size_t leaf_len,
                   const unsigned char *issuer, size_t issuer_len, long long *when);
/* A CRL (DER or PEM) read once, for every portal of a run that names it: NULL when it cannot be read. Free it
 * with pa_crl_free. pa_crl_verified: 1 when `issuer` (DER) signed it and is named its issuer, else 0 (the
 * caller remembers the answer per issuer: checking the signature hashes the whole list). pa_crl_lookup: the
 * status of `leaf` issued by `issuer` in a verified list, as pa_ocsp_status (-1 when `issuer` did not sign
 * `leaf` or the list is out of date). Lookups may run on several threads at once. */
void *pa_crl_parse(const unsigned char *crl, size_t crl_len);
void pa_crl_free(void *list);
int pa_crl_verified(void *list, const unsigned char *issuer, size_t issuer_len);
int pa_crl_lookup(void *list, const unsigned char *leaf, size_t leaf_len, const unsigned char *issuer,
                  size_t issuer_len, long long *when);
/* An OCSP request for `leaf` issued by `issuer`, DER, in a buffer the caller frees with free(). Returns its
 * length, or -1. */
long pa_ocsp_request(const unsigned char *leaf, size_t leaf_len, const unsigned char *issuer, size_t issuer_len,
                     unsigned char **out);
/* The issuer of `leaf` from the shared store (a leaf signed by a root the server need not send), DER, in a
 * buffer the caller frees with free(). Returns its length, or -1. */
long pa_store_issuer(const unsigned char *leaf, size_t leaf_len, unsigned char **out);

/* Restricts the transfer's sockets to the egress policy (allowed endpoints added with pa_probe_allow). Ignored
 * in loopback-only mode, where the loopback guard alone applies (the lab stands for the Internet). */
void pa_probe_restrict(pa_probe *p);
/* Allows `address` (IPv4 or IPv6 text) on `port`. Returns 0, or -1 when it is not an address or the list is full
 * (the endpoint is then not allowed: the policy fails closed). */
int pa_probe_allow(pa_probe *p, const char *address, int port);
/* Whether `address` (IPv4 or IPv6 text) is public unicast, as the socket guard judges it: 1 yes, 0 no, -1 not
 * an address. */
int pa_address_public(const char *address);

/* Copies `len` bytes to send as the upload (read callback installed by pa_install_upload). */
int pa_set_upload(CURL *h, pa_probe *p, const char *data, size_t len);

/* Installs the header/body collectors, the SSL_CTX hook and the socket guard on an easy handle. */
CURLcode pa_install(CURL *h, pa_probe *p);

/* Reads CURLMsg fields (a union Swift reads awkwardly). Returns 1 when msg is CURLMSG_DONE. */
int pa_multi_done(CURLMsg *msg, CURL **easy, CURLcode *result);

#endif
