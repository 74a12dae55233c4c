#define _GNU_SOURCE
#include "pa_shim.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <signal.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static int pa_ex_index = -1;
static atomic_int pa_loopback_flag = 0;
static atomic_long pa_socket_count = 0;
static atomic_long pa_socket_exhausted = 0;
/* The shared trust store: built once (pa_trust_store_build, before the driver thread starts), never
   replaced or freed. Extra anchors are added to it under pa_store_lock; OpenSSL's X509_STORE takes its
   own lock for every lookup and addition, so adding while handshakes read it is safe. */
static pthread_mutex_t pa_store_lock = PTHREAD_MUTEX_INITIALIZER;
static X509_STORE *pa_store = NULL;
static int pa_store_system_count = 0;
#define PA_MAX_EXTRA 16
static char *pa_store_extra[PA_MAX_EXTRA];
static int pa_store_extra_count = 0;

int pa_global_init(void) {
    signal(SIGPIPE, SIG_IGN);
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (pa_ex_index < 0) {
        pa_ex_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    }
    return (int)rc;
}

void pa_set_loopback_only(int on) { atomic_store(&pa_loopback_flag, on ? 1 : 0); }
int pa_loopback_only(void) { return atomic_load(&pa_loopback_flag); }
long pa_sockets_opened(void) { return atomic_load(&pa_socket_count); }

static int pa_store_objects(X509_STORE *store) {
    STACK_OF(X509_OBJECT) *objects = X509_STORE_get0_objects(store);
    return objects == NULL ? 0 : sk_X509_OBJECT_num(objects);
}

int pa_trust_store_build(void) {
    pthread_mutex_lock(&pa_store_lock);
    if (pa_store == NULL) {
        X509_STORE *store = X509_STORE_new();
        if (store != NULL) {
            /* The system store, parsed once per process (curl 7.88 would re-read the bundle per connection).
               The bundle file is loaded now; the hashed directory is looked up lazily, so the count below is
               the bundle's: zero means no system anchors (ca-certificates missing or SSL_CERT_FILE wrong). */
            X509_STORE_set_default_paths(store);
            ERR_clear_error();
            pa_store_system_count = pa_store_objects(store);
            pa_store = store;
        }
    }
    int ok = pa_store != NULL ? 0 : -1;
    pthread_mutex_unlock(&pa_store_lock);
    return ok;
}

int pa_trust_store_system_count(void) {
    pthread_mutex_lock(&pa_store_lock);
    int n = pa_store_system_count;
    pthread_mutex_unlock(&pa_store_lock);
    return n;
}

int pa_trust_store_add(const char *extra_pem) {
    if (extra_pem == NULL || extra_pem[0] == '\0') return 0;
    if (pa_trust_store_build() != 0) return -1;
    pthread_mutex_lock(&pa_store_lock);
    int rc = 0;
    int seen = 0;
    for (int i = 0; i < pa_store_extra_count; i++) {
        if (strcmp(pa_store_extra[i], extra_pem) == 0) seen = 1;
    }
    if (!seen) {
        /* Check the file first in a scratch store: a bad file must not leave half its content behind. */
        X509_STORE *scratch = X509_STORE_new();
        if (scratch == NULL || X509_STORE_load_file(scratch, extra_pem) != 1 || pa_store_objects(scratch) == 0) {
            rc = -1;
        } else if (pa_store_extra_count >= PA_MAX_EXTRA || X509_STORE_load_file(pa_store, extra_pem) != 1) {
            rc = -1;
        } else {
            pa_store_extra[pa_store_extra_count++] = strdup(extra_pem);
        }
        if (scratch != NULL) X509_STORE_free(scratch);
        ERR_clear_error();
    }
    pthread_mutex_unlock(&pa_store_lock);
    return rc;
}

long pa_sockets_exhausted(void) { return atomic_load(&pa_socket_exhausted); }

CURLcode pa_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
CURLcode pa_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
CURLcode pa_setopt_str(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
CURLcode pa_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
CURLcode pa_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
CURLcode pa_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
CURLcode pa_getinfo_str(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
int pa_active_socket(CURL *h) {
    curl_socket_t socket = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &socket) != CURLE_OK) return -1;
    return socket == CURL_SOCKET_BAD ? -1 : (int)socket;
}
CURLMcode pa_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

int pa_multi_done(CURLMsg *msg, CURL **easy, CURLcode *result) {
    if (msg == NULL || msg->msg != CURLMSG_DONE) return 0;
    *easy = msg->easy_handle;
    *result = msg->data.result;
    return 1;
}

/* ---------- capped collectors ---------- */

static size_t pa_buffer_append(pa_buffer *b, const char *src, size_t n) {
    size_t room = b->limit > b->len ? b->limit - b->len : 0;
    size_t take = n < room ? n : room;
    if (take < n) b->truncated = 1;
    if (take == 0) return 0;
    if (b->len + take > b->cap) {
        size_t want = b->cap ? b->cap : 4096;
        while (want < b->len + take) want *= 2;
        if (want > b->limit) want = b->limit;
        char *grown = realloc(b->data, want);
        if (grown == NULL) { b->truncated = 1; return 0; }
        b->data = grown;
        b->cap = want;
    }
    memcpy(b->data + b->len, src, take);
    b->len += take;
    return take;
}

static size_t pa_write_body(char *ptr, size_t size, size_t nmemb, void *userdata) {
    pa_probe *p = userdata;
    size_t n = size * nmemb;
    pa_buffer_append(&p->body, ptr, n);
    /* Returning less than n stops the transfer (CURLE_WRITE_ERROR); the Swift side reads
       `truncated` and treats that as a capped body, not a failure. */
    return p->body.truncated ? 0 : n;
}

static size_t pa_write_header(char *ptr, size_t size, size_t nmemb, void *userdata) {
    pa_probe *p = userdata;
    size_t n = size * nmemb;
    pa_buffer *b = &p->headers;
    /* A new response (after 1xx or an auth retry) starts with a status line: keep only the last, and count
       them all (the per-response counters restart; this one does not). */
    if (n >= 5 && memcmp(ptr, "HTTP/", 5) == 0) {
        b->responses += 1;
        if (b->responses > PA_MAX_RESPONSES) {
            b->truncated = 1;
            return 0;
        }
        b->len = 0;
        b->lines = 0;
        b->truncated = 0;
    }
    b->lines += 1;
    if (b->line_limit > 0 && b->lines > b->line_limit) {
        b->truncated = 1;
        return 0;
    }
    size_t keep = n;
    if (b->line_max > 0 && (long)keep > b->line_max) {
        keep = (size_t)b->line_max;
        b->truncated = 1;
    }
    pa_buffer_append(b, ptr, keep);
    if (keep < n) pa_buffer_append(b, "\r\n", 2);
    if (b->len >= b->limit) {
        /* The cap is full (exactly or past it): whatever follows is lost, so say so. */
        b->truncated = 1;
        return 0;
    }
    return n;
}

/* ---------- socket guard and counter ---------- */

static int pa_is_loopback(const struct sockaddr *sa) {
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) return 1;
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) return in6->sin6_addr.s6_addr[12] == 127;
    }
    return 0;
}

/* Public unicast IPv4: not 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.0.2/24,
   192.88.99/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4 or 240/4. */
static int pa_v4_public(const unsigned char *b) {
    if (b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224) return 0;
    if (b[0] == 100 && b[1] >= 64 && b[1] <= 127) return 0;
    if (b[0] == 169 && b[1] == 254) return 0;
    if (b[0] == 172 && b[1] >= 16 && b[1] <= 31) return 0;
    if (b[0] == 192 && (b[1] == 168 || (b[1] == 0 && (b[2] == 0 || b[2] == 2)) || (b[1] == 88 && b[2] == 99))) return 0;
    if (b[0] == 198 && (b[1] == 18 || b[1] == 19 || (b[1] == 51 && b[2] == 100))) return 0;
    if (b[0] == 203 && b[1] == 0 && b[2] == 113) return 0;
    return 1;
}

/* Public unicast IPv6: within 2000::/3, less 2001:db8::/32 and 2001::/32; an address embedding IPv4 for
   translation (::ffff:0:0/96, 64:ff9b::/96, 2002::/16) is judged by that IPv4 address. */
static int pa_v6_public(const unsigned char *a) {
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0) return pa_v4_public(a + 12);
    if (a[0] == 0x20 && a[1] == 0x02) return pa_v4_public(a + 2);
    if ((a[0] & 0xE0) != 0x20) return 0;
    if (a[0] == 0x20 && a[1] == 0x01 && ((a[2] == 0x0d && a[3] == 0xb8) || (a[2] == 0 && a[3] == 0))) return 0;
    return 1;
}

/* The address of `sa` as 4 bytes (IPv4, IPv4-mapped IPv6) or 16, and its port. Returns the length, or 0. */
static int pa_endpoint(const struct sockaddr *sa, unsigned char *out, int *port) {
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        memcpy(out, &in->sin_addr, 4);
        *port = ntohs(in->sin_port);
        return 4;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        *port = ntohs(in6->sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            memcpy(out, in6->sin6_addr.s6_addr + 12, 4);
            return 4;
        }
        memcpy(out, in6->sin6_addr.s6_addr, 16);
        return 16;
    }
    return 0;
}

static int pa_egress_permits(const pa_probe *p, const struct sockaddr *sa) {
    unsigned char address[16];
    int port = 0;
    int length = pa_endpoint(sa, address, &port);
    if (length == 0) return 0;
    for (int i = 0; i < p->egress_count; i++) {
        if (p->egress_length[i] == length && p->egress_port[i] == port && memcmp(p->egress_address[i], address, (size_t)length) == 0) {
            return 1;
        }
    }
    if (port != 80 && port != 443) return 0;
    return length == 4 ? pa_v4_public(address) : pa_v6_public(address);
}

static void pa_note_refusal(pa_probe *p, const struct sockaddr *sa) {
    if (p->egress_refused[0] != '\0') return;
    char text[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
        port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
        port = ntohs(in6->sin6_port);
    }
    snprintf(p->egress_refused, sizeof p->egress_refused, "%s port %d", text, port);
}

void pa_probe_restrict(pa_probe *p) { p->egress_restricted = 1; }

int pa_probe_allow(pa_probe *p, const char *address, int port) {
    if (p->egress_count >= PA_MAX_EGRESS || port < 1 || port > 65535) return -1;
    int i = p->egress_count;
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, address, &v4) == 1) {
        memcpy(p->egress_address[i], &v4, 4);
        p->egress_length[i] = 4;
    } else if (inet_pton(AF_INET6, address, &v6) == 1) {
        if (IN6_IS_ADDR_V4MAPPED(&v6)) {
            memcpy(p->egress_address[i], v6.s6_addr + 12, 4);
            p->egress_length[i] = 4;
        } else {
            memcpy(p->egress_address[i], v6.s6_addr, 16);
            p->egress_length[i] = 16;
        }
    } else {
        return -1;
    }
    p->egress_port[i] = port;
    p->egress_count++;
    return 0;
}

int pa_address_public(const char *address) {
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, address, &v4) == 1) return pa_v4_public((const unsigned char *)&v4);
    if (inet_pton(AF_INET6, address, &v6) == 1) return pa_v6_public(v6.s6_addr);
    return -1;
}

static curl_socket_t pa_open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *addr) {
    pa_probe *p = clientp;
    (void)purpose;
    if (atomic_load(&pa_loopback_flag)) {
        if (!pa_is_loopback(&addr->addr)) return CURL_SOCKET_BAD;
    } else if (p != NULL && p->egress_restricted && !pa_egress_permits(p, &addr->addr)) {
        pa_note_refusal(p, &addr->addr);
        return CURL_SOCKET_BAD;
    }
    curl_socket_t s = socket(addr->family, addr->socktype, addr->protocol);
    if (s != CURL_SOCKET_BAD) {
        atomic_fetch_add(&pa_socket_count, 1);
    } else if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        /* The auditor's own limit, not the portal's failure: the Swift side reports it as such. */
        atomic_fetch_add(&pa_socket_exhausted, 1);
        if (p != NULL) p->local_exhausted = 1;
    }
    return s;
}

/* ---------- OpenSSL record ---------- */

static char *pa_dup(const char *s) { return s ? strdup(s) : NULL; }

static void pa_replace(char **slot, const char *value) {
    free(*slot);
    *slot = pa_dup(value);
}

static char *pa_name(X509_NAME *name) {
    if (name == NULL) return NULL;
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return NULL;
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char *out = NULL;
    long n = BIO_get_mem_data(bio, &out);
    char *copy = NULL;
    if (n > 0) {
        if (n > 1024) n = 1024;
        copy = malloc((size_t)n + 1);
        if (copy) { memcpy(copy, out, (size_t)n); copy[n] = '\0'; }
    }
    BIO_free(bio);
    return copy;
}

static long long pa_time(const ASN1_TIME *t) {
    struct tm tm;
    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
    return (long long)timegm(&tm);
}

static char *pa_sans(X509 *cert) {
    GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    if (names == NULL) return NULL;
    size_t cap = 1024, len = 0;
    char *out = calloc(cap, 1);
    if (out == NULL) { GENERAL_NAMES_free(names); return NULL; }
    int count = sk_GENERAL_NAME_num(names);
    for (int i = 0; i < count && i < 64; i++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
        char item[256] = {0};
        if (gn->type == GEN_DNS) {
            const unsigned char *d = ASN1_STRING_get0_data(gn->d.dNSName);
            int dl = ASN1_STRING_length(gn->d.dNSName);
            if (dl > 250) dl = 250;
            memcpy(item, d, (size_t)dl);
        } else if (gn->type == GEN_IPADD) {
            const unsigned char *d = ASN1_STRING_get0_data(gn->d.iPAddress);
            int dl = ASN1_STRING_length(gn->d.iPAddress);
            if (dl == 4) inet_ntop(AF_INET, d, item, sizeof item);
            else if (dl == 16) inet_ntop(AF_INET6, d, item, sizeof item);
        } else {
            continue;
        }
        size_t il = strlen(item);
        if (il == 0 || len + il + 2 >= cap) continue;
        if (len) out[len++] = ',';
        memcpy(out + len, item, il);
        len += il;
        out[len] = '\0';
    }
    GENERAL_NAMES_free(names);
    return out;
}

static void pa_cert_clear(pa_cert *c) {
    free(c->subject); free(c->issuer); free(c->sans); free(c->key_type); free(c->sig_alg);
    free(c->ca_issuers); free(c->ocsp); free(c->crl); free(c->serial); free(c->der);
    memset(c, 0, sizeof *c);
}

void pa_cert_release(pa_cert *c) { pa_cert_clear(c); }

/* The first URI of a GENERAL_NAMES list, bounded. */
static char *pa_first_uri(GENERAL_NAMES *names) {
    for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
        if (gn->type != GEN_URI) continue;
        int len = ASN1_STRING_length(gn->d.uniformResourceIdentifier);
        if (len <= 0 || len > 2048) continue;
        char *out = calloc((size_t)len + 1, 1);
        if (out != NULL) memcpy(out, ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier), (size_t)len);
        return out;
    }
    return NULL;
}

/* Moves an i2d_* result (OpenSSL's allocation) into a malloc'd buffer the caller frees with free().
 * Returns its length, or -1 (nothing allocated). */
static long pa_own_der(unsigned char *der, int len, unsigned char **out) {
    long rc = -1;
    if (len > 0 && der != NULL && (*out = malloc((size_t)len)) != NULL) {
        memcpy(*out, der, (size_t)len);
        rc = len;
    }
    OPENSSL_free(der);
    return rc;
}

static void pa_cert_urls(pa_cert *c, X509 *x) {
    AUTHORITY_INFO_ACCESS *info = X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
    for (int i = 0; info != NULL && i < sk_ACCESS_DESCRIPTION_num(info); i++) {
        ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(info, i);
        if (ad->location->type != GEN_URI) continue;
        GENERAL_NAMES *one = sk_GENERAL_NAME_new_null();
        if (one == NULL) break;
        sk_GENERAL_NAME_push(one, ad->location);
        int nid = OBJ_obj2nid(ad->method);
        if (nid == NID_ad_ca_issuers && c->ca_issuers == NULL) c->ca_issuers = pa_first_uri(one);
        if (nid == NID_ad_OCSP && c->ocsp == NULL) c->ocsp = pa_first_uri(one);
        sk_GENERAL_NAME_free(one);
    }
    AUTHORITY_INFO_ACCESS_free(info);
    CRL_DIST_POINTS *points = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
    for (int i = 0; points != NULL && c->crl == NULL && i < sk_DIST_POINT_num(points); i++) {
        DIST_POINT *point = sk_DIST_POINT_value(points, i);
        if (point->distpoint != NULL && point->distpoint->type == 0) c->crl = pa_first_uri(point->distpoint->name.fullname);
    }
    CRL_DIST_POINTS_free(points);
    const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
    BIGNUM *bn = serial ? ASN1_INTEGER_to_BN(serial, NULL) : NULL;
    if (bn != NULL) {
        char *hex = BN_bn2hex(bn);
        c->serial = pa_dup(hex);
        OPENSSL_free(hex);
        BN_free(bn);
    }
    unsigned char *der = NULL;
    int encoded = i2d_X509(x, &der);
    long len = pa_own_der(der, encoded, &c->der);
    c->der_len = len > 0 ? (size_t)len : 0;
}

static void pa_cert_fill(pa_cert *c, X509 *x) {
    pa_cert_clear(c);
    c->subject = pa_name(X509_get_subject_name(x));
    c->issuer = pa_name(X509_get_issuer_name(x));
    c->sans = pa_sans(x);
    c->not_before = pa_time(X509_get0_notBefore(x));
    c->not_after = pa_time(X509_get0_notAfter(x));
    c->self_issued = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
    EVP_PKEY *key = X509_get0_pubkey(x);
    if (key != NULL) {
        const char *tn = EVP_PKEY_get0_type_name(key);
        c->key_type = pa_dup(tn ? tn : "unknown");
        c->key_bits = EVP_PKEY_get_bits(key);
    }
    int sig_nid = X509_get_signature_nid(x);
    c->sig_alg = pa_dup(OBJ_nid2sn(sig_nid));
    pa_cert_urls(c, x);
}

int pa_cert_from_der(const unsigned char *der, size_t len, pa_cert *out) {
    memset(out, 0, sizeof *out);
    const unsigned char *cursor = der;
    X509 *x = d2i_X509(NULL, &cursor, (long)len);
    if (x == NULL) { ERR_clear_error(); return -1; }
    pa_cert_fill(out, x);
    X509_free(x);
    return 0;
}

typedef struct pa_verify_record { int *codes; int *depths; int max; int count; } pa_verify_record;
static int pa_verify_record_index = -1;
static pthread_once_t pa_verify_once = PTHREAD_ONCE_INIT;
static void pa_verify_index_init(void) {
    pa_verify_record_index = X509_STORE_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

static int pa_chain_cb(int ok, X509_STORE_CTX *ctx) {
    pa_verify_record *r = X509_STORE_CTX_get_ex_data(ctx, pa_verify_record_index);
    if (!ok && r != NULL) {
        int err = X509_STORE_CTX_get_error(ctx), depth = X509_STORE_CTX_get_error_depth(ctx);
        int seen = 0;
        for (int i = 0; i < r->count; i++) if (r->codes[i] == err && r->depths[i] == depth) seen = 1;
        if (!seen && r->count < r->max) {
            r->codes[r->count] = err;
            r->depths[r->count] = depth;
            r->count += 1;
        }
        X509_STORE_CTX_set_error(ctx, X509_V_OK);
    }
    return 1;
}

int pa_verify_chain(const unsigned char *const *ders, const size_t *lens, int count, const char *host, int *codes,
                    int *depths, int max) {
    if (count < 1 || pa_store == NULL) return -1;
    pthread_once(&pa_verify_once, pa_verify_index_init);
    X509 *leaf = NULL;
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    for (int i = 0; i < count && untrusted != NULL; i++) {
        const unsigned char *cursor = ders[i];
        X509 *x = d2i_X509(NULL, &cursor, (long)lens[i]);
        if (x == NULL) continue;
        if (i == 0) leaf = x;
        else if (!sk_X509_push(untrusted, x)) X509_free(x);
    }
    ERR_clear_error();
    if (leaf == NULL) { sk_X509_pop_free(untrusted, X509_free); return -1; }
    pa_verify_record record = { codes, depths, max, 0 };
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    int rc = -1;
    if (ctx != NULL && X509_STORE_CTX_init(ctx, pa_store, leaf, untrusted) == 1) {
        X509_STORE_CTX_set_ex_data(ctx, pa_verify_record_index, &record);
        X509_STORE_CTX_set_verify_cb(ctx, pa_chain_cb);
        X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
        X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
        X509_VERIFY_PARAM_set_auth_level(param, 0);
        if (host != NULL && host[0] != '\0') {
            unsigned char raw[16];
            if (inet_pton(AF_INET, host, raw) == 1 || inet_pton(AF_INET6, host, raw) == 1) {
                X509_VERIFY_PARAM_set1_ip_asc(param, host);
            } else {
                X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
                X509_VERIFY_PARAM_set1_host(param, host, 0);
            }
        }
        X509_verify_cert(ctx);
        rc = record.count;
    }
    ERR_clear_error();
    X509_STORE_CTX_free(ctx);
    X509_free(leaf);
    sk_X509_pop_free(untrusted, X509_free);
    return rc;
}

static void pa_record_handshake(SSL *ssl, pa_probe *p) {
    p->handshakes += 1;
    pa_replace(&p->tls_version, SSL_get_version(ssl));
    const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl);
    if (cipher != NULL) {
        pa_replace(&p->cipher, SSL_CIPHER_get_name(cipher));
        pa_replace(&p->cipher_std, SSL_CIPHER_standard_name(cipher));
        p->cipher_aead = SSL_CIPHER_is_aead(cipher);
        switch (SSL_CIPHER_get_kx_nid(cipher)) {
        case NID_kx_rsa: pa_replace(&p->kx, "kx-rsa"); break;
        case NID_kx_ecdhe: pa_replace(&p->kx, "kx-ecdhe"); break;
        case NID_kx_dhe: pa_replace(&p->kx, "kx-dhe"); break;
        case NID_kx_any: pa_replace(&p->kx, "kx-any"); break;
        default: pa_replace(&p->kx, OBJ_nid2sn(SSL_CIPHER_get_kx_nid(cipher))); break;
        }
    }
    EVP_PKEY *tmp = NULL;
    if (SSL_get_peer_tmp_key(ssl, &tmp) == 1 && tmp != NULL) {
        const char *tn = EVP_PKEY_get0_type_name(tmp);
        pa_replace(&p->tmp_key_type, tn ? tn : "unknown");
        p->tmp_key_bits = EVP_PKEY_get_bits(tmp);
        EVP_PKEY_free(tmp);
    }
    const unsigned char *alpn = NULL;
    unsigned int alpn_len = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
    if (alpn != NULL && alpn_len > 0 && alpn_len < 64) {
        char buf[64];
        memcpy(buf, alpn, alpn_len);
        buf[alpn_len] = '\0';
        pa_replace(&p->alpn, buf);
    }
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    if (chain != NULL) {
        int n = sk_X509_num(chain);
        for (int i = 0; i < p->cert_count; i++) pa_cert_clear(&p->certs[i]);
        p->cert_count = 0;
        for (int i = 0; i < n && i < PA_MAX_CERTS; i++) {
            pa_cert_fill(&p->certs[i], sk_X509_value(chain, i));
            p->cert_count = i + 1;
        }
    }
}

static pa_probe *pa_probe_of(const SSL *ssl) {
    if (ssl == NULL || pa_ex_index < 0) return NULL;
    return SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), pa_ex_index);
}

static void pa_info_cb(const SSL *ssl, int where, int ret) {
    (void)ret;
    if ((where & SSL_CB_HANDSHAKE_DONE) == 0) return;
    pa_probe *p = pa_probe_of(ssl);
    if (p != NULL) pa_record_handshake((SSL *)ssl, p);
}

/* Records every verification error and lets the handshake go on (variant F in the notes):
   expired, self-signed and name mismatch are told apart, and the GET still happens. */
static int pa_verify_cb(int ok, X509_STORE_CTX *store) {
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    pa_probe *p = pa_probe_of(ssl);
    if (!ok) {
        int err = X509_STORE_CTX_get_error(store);
        int depth = X509_STORE_CTX_get_error_depth(store);
        if (p != NULL) {
            int seen = 0;
            for (int i = 0; i < p->error_count; i++) {
                if (p->error_codes[i] == err && p->error_depths[i] == depth) seen = 1;
            }
            if (!seen && p->error_count < PA_MAX_ERRORS) {
                p->error_codes[p->error_count] = err;
                p->error_depths[p->error_count] = depth;
                p->error_count += 1;
            }
        }
        X509_STORE_CTX_set_error(store, X509_V_OK);
    }
    return 1;
}

/* Keeps the stapled OCSP response for the revocation check; never refuses the handshake over it. */
static int pa_status_cb(SSL *ssl, void *arg) {
    (void)arg;
    pa_probe *p = pa_probe_of(ssl);
    const unsigned char *resp = NULL;
    long len = SSL_get_tlsext_status_ocsp_resp(ssl, &resp);
    if (p != NULL && resp != NULL && len > 0 && len < (1L << 20) && p->ocsp_staple == NULL) {
        p->ocsp_staple = malloc((size_t)len);
        if (p->ocsp_staple != NULL) {
            memcpy(p->ocsp_staple, resp, (size_t)len);
            p->ocsp_staple_len = (size_t)len;
        }
    }
    return 1;
}

static X509 *pa_x509(const unsigned char *der, size_t len) {
    const unsigned char *cursor = der;
    X509 *x = der != NULL ? d2i_X509(NULL, &cursor, (long)len) : NULL;
    if (x == NULL) ERR_clear_error();
    return x;
}

/* Whether `issuer` really issued `leaf`: names and extensions match and its key verifies the leaf's signature.
   The issuer a server sends is the server's choice; an impostor of the same name signs no leaf of the CA's. */
static int pa_issued_by(X509 *leaf, X509 *issuer) {
    if (leaf == NULL || issuer == NULL || X509_check_issued(issuer, leaf) != X509_V_OK) return 0;
    EVP_PKEY *key = X509_get0_pubkey(issuer);
    int ok = key != NULL && X509_verify(leaf, key) == 1;
    ERR_clear_error();
    return ok;
}

int pa_ocsp_status(const unsigned char *resp, size_t resp_len, const unsigned char *leaf, size_t leaf_len,
                   const unsigned char *issuer, size_t issuer_len, long long *when) {
    int rc = -1;
    X509 *l = pa_x509(leaf, leaf_len), *i = pa_x509(issuer, issuer_len);
    if (!pa_issued_by(l, i)) {
        X509_free(l);
        X509_free(i);
        return -1;
    }
    const unsigned char *cursor = resp;
    OCSP_RESPONSE *r = (resp != NULL && l != NULL && i != NULL) ? d2i_OCSP_RESPONSE(NULL, &cursor, (long)resp_len) : NULL;
    OCSP_BASICRESP *basic = NULL;
    OCSP_CERTID *id = NULL;
    STACK_OF(X509) *certs = sk_X509_new_null();
    if (r != NULL && OCSP_response_status(r) == OCSP_RESPONSE_STATUS_SUCCESSFUL && certs != NULL && pa_store != NULL
        && (basic = OCSP_response_get1_basic(r)) != NULL) {
        X509_up_ref(i);
        sk_X509_push(certs, i);
        /* Signed by the issuer itself, or by a responder certificate the issuer delegated to. */
        if (OCSP_basic_verify(basic, certs, pa_store, OCSP_TRUSTOTHER) == 1
            && (id = OCSP_cert_to_id(NULL, l, i)) != NULL) {
            int status = -1, reason = 0;
            ASN1_GENERALIZEDTIME *revoked = NULL, *this_update = NULL, *next_update = NULL;
            if (OCSP_resp_find_status(basic, id, &status, &reason, &revoked, &this_update, &next_update) == 1
                && OCSP_check_validity(this_update, next_update, 300, -1) == 1) {
                if (status == V_OCSP_CERTSTATUS_GOOD) rc = 0;
                else if (status == V_OCSP_CERTSTATUS_REVOKED) {
                    rc = 1;
                    if (when != NULL) *when = pa_time(revoked);
                } else rc = 2;
            }
        }
    }
    ERR_clear_error();
    OCSP_CERTID_free(id);
    OCSP_BASICRESP_free(basic);
    OCSP_RESPONSE_free(r);
    sk_X509_pop_free(certs, X509_free);
    X509_free(l);
    X509_free(i);
    return rc;
}

void *pa_crl_parse(const unsigned char *crl, size_t crl_len) {
    X509_CRL *list = NULL;
    if (crl != NULL && crl_len > 0 && crl_len <= INT_MAX) {
        const unsigned char *cursor = crl;
        list = d2i_X509_CRL(NULL, &cursor, (long)crl_len);
        if (list == NULL) {
            ERR_clear_error();
            BIO *bio = BIO_new_mem_buf(crl, (int)crl_len);
            if (bio != NULL) list = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
            BIO_free(bio);
        }
    }
    ERR_clear_error();
    return list;
}

void pa_crl_free(void *list) { X509_CRL_free((X509_CRL *)list); }

int pa_crl_verified(void *list, const unsigned char *issuer, size_t issuer_len) {
    X509_CRL *crl = (X509_CRL *)list;
    X509 *i = pa_x509(issuer, issuer_len);
    EVP_PKEY *key = i != NULL ? X509_get0_pubkey(i) : NULL;
    int ok = crl != NULL && key != NULL && X509_CRL_verify(crl, key) == 1
        && X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(i)) == 0;
    ERR_clear_error();
    X509_free(i);
    return ok ? 1 : 0;
}

int pa_crl_lookup(void *list, const unsigned char *leaf, size_t leaf_len, const unsigned char *issuer,
                  size_t issuer_len, long long *when) {
    X509_CRL *crl = (X509_CRL *)list;
    int rc = -1;
    X509 *l = pa_x509(leaf, leaf_len), *i = pa_x509(issuer, issuer_len);
    if (crl != NULL && pa_issued_by(l, i)) {
        const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
        if (next == NULL || X509_cmp_current_time(next) > 0) {
            X509_REVOKED *entry = NULL;
            if (X509_CRL_get0_by_serial(crl, &entry, X509_get0_serialNumber(l)) == 1 && entry != NULL) {
                rc = 1;
                if (when != NULL) *when = pa_time(X509_REVOKED_get0_revocationDate(entry));
            } else {
                rc = 0;
            }
        }
    }
    ERR_clear_error();
    X509_free(l);
    X509_free(i);
    return rc;
}

long pa_ocsp_request(const unsigned char *leaf, size_t leaf_len, const unsigned char *issuer, size_t issuer_len,
                     unsigned char **out) {
    long rc = -1;
    X509 *l = pa_x509(leaf, leaf_len), *i = pa_x509(issuer, issuer_len);
    OCSP_REQUEST *request = OCSP_REQUEST_new();
    OCSP_CERTID *id = (l != NULL && i != NULL) ? OCSP_cert_to_id(NULL, l, i) : NULL;
    if (request != NULL && id != NULL && OCSP_request_add0_id(request, id) != NULL) {
        id = NULL; /* owned by the request now */
        unsigned char *der = NULL;
        int len = i2d_OCSP_REQUEST(request, &der);
        rc = pa_own_der(der, len, out);
    }
    ERR_clear_error();
    OCSP_CERTID_free(id);
    OCSP_REQUEST_free(request);
    X509_free(l);
    X509_free(i);
    return rc;
}

long pa_store_issuer(const unsigned char *leaf, size_t leaf_len, unsigned char **out) {
    long rc = -1;
    X509 *l = pa_x509(leaf, leaf_len), *issuer = NULL;
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    if (l != NULL && ctx != NULL && pa_store != NULL && X509_STORE_CTX_init(ctx, pa_store, l, NULL) == 1
        && X509_STORE_CTX_get1_issuer(&issuer, ctx, l) == 1 && issuer != NULL) {
        unsigned char *der = NULL;
        int len = i2d_X509(issuer, &der);
        rc = pa_own_der(der, len, out);
    }
    ERR_clear_error();
    X509_free(issuer);
    X509_STORE_CTX_free(ctx);
    X509_free(l);
    return rc;
}

static CURLcode pa_ssl_ctx_cb(CURL *curl, void *sslctx, void *parm) {
    (void)curl;
    SSL_CTX *ctx = sslctx;
    pa_probe *p = parm;
    if (p->context_count >= 4) return CURLE_SSL_CONNECT_ERROR;
    SSL_CTX_up_ref(ctx);
    p->contexts[p->context_count++] = ctx;
    SSL_CTX_set_ex_data(ctx, pa_ex_index, p);
    SSL_CTX_set_info_callback(ctx, pa_info_cb);
    /* pa_store was built before the driver thread started and is never replaced: no lock needed to read it. */
    if (p->strict_verify) {
        if (pa_store == NULL) return CURLE_SSL_CACERT_BADFILE;
        SSL_CTX_set1_cert_store(ctx, pa_store);
    }
    if (p->record_verify) {
        if (pa_store == NULL) return CURLE_SSL_CACERT_BADFILE;
        SSL_CTX_set1_cert_store(ctx, pa_store);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, pa_verify_cb);
        /* Ask for a stapled OCSP response (kept for cert.not-revoked, never a reason to refuse). */
        SSL_CTX_set_tlsext_status_type(ctx, TLSEXT_STATUSTYPE_ocsp);
        SSL_CTX_set_tlsext_status_cb(ctx, pa_status_cb);
        if (p->verify_host != NULL) {
            X509_VERIFY_PARAM *param = SSL_CTX_get0_param(ctx);
            /* An IP-address target is checked against the certificate's IP names, as browsers do. */
            unsigned char raw[16];
            const char *literal = p->verify_host;
            char bare[64];
            size_t len = strlen(literal);
            if (len > 2 && len < sizeof bare && literal[0] == '[' && literal[len - 1] == ']') {
                memcpy(bare, literal + 1, len - 2);
                bare[len - 2] = '\0';
                literal = bare;
            }
            if (inet_pton(AF_INET, literal, raw) == 1 || inet_pton(AF_INET6, literal, raw) == 1) {
                X509_VERIFY_PARAM_set1_ip_asc(param, literal);
            } else {
                X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
                X509_VERIFY_PARAM_set1_host(param, p->verify_host, 0);
            }
        }
    }
    return CURLE_OK;
}

pa_probe *pa_probe_new(size_t body_limit, size_t header_limit, long header_line_limit, long header_line_max) {
    pa_probe *p = calloc(1, sizeof *p);
    if (p == NULL) return NULL;
    p->body.limit = body_limit;
    p->headers.limit = header_limit;
    p->headers.line_limit = header_line_limit;
    p->headers.line_max = header_line_max;
    return p;
}

void pa_probe_set_verify_host(pa_probe *p, const char *host) { pa_replace(&p->verify_host, host); }

void pa_probe_free(pa_probe *p) {
    if (p == NULL) return;
    for (int i = 0; i < p->context_count; i++) {
        SSL_CTX *ctx = p->contexts[i];
        SSL_CTX_set_ex_data(ctx, pa_ex_index, NULL);
        SSL_CTX_free(ctx);
    }
    for (int i = 0; i < p->cert_count; i++) pa_cert_clear(&p->certs[i]);
    free(p->ocsp_staple);
    free(p->verify_host); free(p->tls_version); free(p->cipher); free(p->cipher_std); free(p->kx);
    free(p->tmp_key_type); free(p->alpn); free(p->body.data); free(p->headers.data); free(p->upload);
    free(p);
}

static size_t pa_read_upload(char *buffer, size_t size, size_t nitems, void *userdata) {
    pa_probe *p = userdata;
    size_t room = size * nitems;
    size_t left = p->upload_len - p->upload_pos;
    size_t n = left < room ? left : room;
    memcpy(buffer, p->upload + p->upload_pos, n);
    p->upload_pos += n;
    return n;
}

int pa_set_upload(CURL *h, pa_probe *p, const char *data, size_t len) {
    free(p->upload);
    p->upload = malloc(len ? len : 1);
    if (p->upload == NULL) return -1;
    memcpy(p->upload, data, len);
    p->upload_len = len;
    p->upload_pos = 0;
    if (curl_easy_setopt(h, CURLOPT_READFUNCTION, pa_read_upload) != CURLE_OK) return -1;
    if (curl_easy_setopt(h, CURLOPT_READDATA, p) != CURLE_OK) return -1;
    if (curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len) != CURLE_OK) return -1;
    return 0;
}

const char *pa_x509_error_string(int code) { return X509_verify_cert_error_string(code); }

CURLcode pa_install(CURL *h, pa_probe *p) {
    CURLcode rc = CURLE_OK;
    if ((rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, pa_write_body))) return rc;
    if ((rc = curl_easy_setopt(h, CURLOPT_WRITEDATA, p))) return rc;
    if ((rc = curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, pa_write_header))) return rc;
    if ((rc = curl_easy_setopt(h, CURLOPT_HEADERDATA, p))) return rc;
    if ((rc = curl_easy_setopt(h, CURLOPT_ERRORBUFFER, p->errbuf))) return rc;
    if ((rc = curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, pa_open_socket))) return rc;
    if ((rc = curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, p))) return rc;
    if ((rc = curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, pa_ssl_ctx_cb))) return rc;
    if ((rc = curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, p))) return rc;
    return rc;
}
