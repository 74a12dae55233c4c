import CCurl
import CCurlShim
import Foundation
import PortalAuditCore

/// One configured libcurl easy handle and its C-side record.
///
/// SAFETY: a transfer is built on the submitting task, then handed to the driver thread through the
/// driver's lock (which gives happens-before) and touched only there until it is finished; the result
/// is read once, on the driver thread, before the handle is cleaned up. Never shared concurrently.
final class EasyTransfer: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let record: UnsafeMutablePointer<pa_probe>
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var recipientList: UnsafeMutablePointer<curl_slist>?
    let request: TransferRequest
    let startedAt: ContinuousClock.Instant

    /// Builds the handle; fails only when libcurl refuses an option (a programming error or an old libcurl).
    init(_ request: TransferRequest) throws(TransferFailure) {
        guard let handle = curl_easy_init() else {
            throw TransferFailure(kind: .other, curlCode: 2, message: "curl_easy_init failed")
        }
        guard
            let record = pa_probe_new(
                request.maxBodyBytes, request.maxHeaderBytes, request.maxHeaderLines, request.maxHeaderLineBytes)
        else {
            curl_easy_cleanup(handle)
            throw TransferFailure(kind: .other, curlCode: 27, message: "out of memory")
        }
        self.handle = handle
        self.record = record
        self.request = request
        self.startedAt = .now
        do {
            try configure()
        } catch {
            cleanup()
            throw error
        }
    }

    private func check(_ rc: CURLcode) throws(TransferFailure) {
        if rc != CURLE_OK {
            let message = String(cString: curl_easy_strerror(rc))
            throw TransferFailure(kind: .other, curlCode: Int(rc.rawValue), message: "setopt: \(message)")
        }
    }

    private func configure() throws(TransferFailure) {
        let r = request
        try check(pa_install(handle, record))
        try check(pa_setopt_str(handle, CURLOPT_URL, r.url))
        try check(pa_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        try check(pa_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        // Never a proxy, whatever `http_proxy`/`https_proxy`/`ALL_PROXY` say: a proxy would bypass the
        // name pins and the loopback guard, and a TLS-inspecting one would replace every certificate.
        try check(pa_setopt_str(handle, CURLOPT_PROXY, ""))
        try check(pa_setopt_str(handle, CURLOPT_NOPROXY, "*"))
        let mail: Bool = if case .mail = r.payload { true } else { false }
        try check(pa_setopt_str(handle, CURLOPT_PROTOCOLS_STR, mail ? "smtp,smtps" : "http,https"))
        try check(pa_setopt_str(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        try check(pa_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, r.connectTimeoutMS))
        try check(pa_setopt_long(handle, CURLOPT_TIMEOUT_MS, r.timeoutMS))
        // A raw socket must outlive the transfer's end (curl closes a forbidden-reuse connection at once);
        // it is still fresh, and curl never lends a connect-only connection to another transfer.
        try check(pa_setopt_long(handle, CURLOPT_FORBID_REUSE, r.reuseConnection || r.mode == .rawSocket ? 0 : 1))
        try check(pa_setopt_long(handle, CURLOPT_FRESH_CONNECT, r.reuseConnection && r.mode != .rawSocket ? 0 : 1))
        if r.ipv6Only {
            try check(pa_setopt_long(handle, CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V6)))
        }
        if let egress = r.egress {
            // An endpoint the guard cannot hold is not allowed: the policy fails closed.
            pa_probe_restrict(record)
            for endpoint in egress.allowed { _ = pa_probe_allow(record, endpoint.text, Int32(endpoint.port)) }
        }
        try check(pa_setopt_long(handle, CURLOPT_SSL_SESSIONID_CACHE, 0))
        try check(pa_setopt_str(handle, CURLOPT_USERAGENT, r.userAgent))
        if let referer = r.referer { try check(pa_setopt_str(handle, CURLOPT_REFERER, referer)) }
        try check(pa_setopt_str(handle, CURLOPT_ACCEPT_ENCODING, "identity"))
        try check(
            pa_setopt_long(
                handle, CURLOPT_HTTP_VERSION,
                r.allowHTTP2 ? Int(CURL_HTTP_VERSION_2TLS) : Int(CURL_HTTP_VERSION_1_1)))
        // Never read the CA bundle per handle (curl 7.88 re-parses it for every connection): the
        // shared store parsed once is installed from the SSL_CTX hook instead.
        try check(pa_setopt_ptr(handle, CURLOPT_CAINFO, nil))
        try check(pa_setopt_ptr(handle, CURLOPT_CAPATH, nil))
        switch r.verification {
        case .record(let host):
            try check(pa_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
            try check(pa_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0))
            record.pointee.record_verify = 1
            pa_probe_set_verify_host(record, host)
        case .off:
            try check(pa_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0))
            try check(pa_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0))
        case .strict:
            try check(pa_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
            try check(pa_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
            record.pointee.strict_verify = 1
        }
        switch r.payload {
        case .post(let body, let contentType):
            try check(pa_setopt_long(handle, CURLOPT_POST, 1))
            try check(
                body.withUnsafeBufferPointer { buffer in
                    pa_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(buffer.count))
                })
            try check(
                body.withUnsafeBufferPointer { buffer in
                    buffer.baseAddress.map {
                        pa_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0))
                    } ?? CURLE_OK
                })
            headerList = curl_slist_append(headerList, "Content-Type: \(contentType)")
            try check(pa_setopt_ptr(handle, CURLOPT_HTTPHEADER, headerList.map { UnsafeMutableRawPointer($0) }))
        case .mail(let from, let to, let message, let requireTLS):
            try check(pa_setopt_str(handle, CURLOPT_MAIL_FROM, "<\(from)>"))
            for recipient in to { recipientList = curl_slist_append(recipientList, "<\(recipient)>") }
            try check(pa_setopt_ptr(handle, CURLOPT_MAIL_RCPT, recipientList.map { UnsafeMutableRawPointer($0) }))
            try check(pa_setopt_long(handle, CURLOPT_UPLOAD, 1))
            try check(
                pa_setopt_long(
                    handle, CURLOPT_USE_SSL, requireTLS ? Int(CURLUSESSL_ALL.rawValue) : Int(CURLUSESSL_NONE.rawValue)))
            let stored = message.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { base in
                    base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                        pa_set_upload(handle, record, $0, buffer.count)
                    }
                } ?? pa_set_upload(handle, record, "", 0)
            }
            if stored != 0 { throw TransferFailure(kind: .other, curlCode: 27, message: "cannot stage the message") }
        case nil:
            break
        }
        if r.browserFloor && !r.legacyTLS {
            try check(
                pa_setopt_long(
                    handle, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2) | Int(CURL_SSLVERSION_MAX_DEFAULT)))
        }
        if r.legacyTLS {
            try check(
                pa_setopt_long(
                    handle, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_0) | Int(CURL_SSLVERSION_MAX_DEFAULT)))
            try check(pa_setopt_str(handle, CURLOPT_SSL_CIPHER_LIST, "ALL:COMPLEMENTOFALL:@SECLEVEL=0"))
        }
        if let ciphers = r.cipherList {
            try check(pa_setopt_str(handle, CURLOPT_SSL_CIPHER_LIST, ciphers))
        }
        if let suites = r.tls13Ciphers {
            try check(pa_setopt_str(handle, CURLOPT_TLS13_CIPHERS, suites))
        }
        if r.mode == .handshakeOnly || r.mode == .rawSocket {
            try check(pa_setopt_long(handle, CURLOPT_CONNECT_ONLY, 1))
        }
        for entry in r.resolve {
            resolveList = curl_slist_append(resolveList, entry)
        }
        if let list = resolveList {
            try check(pa_setopt_ptr(handle, CURLOPT_RESOLVE, UnsafeMutableRawPointer(list)))
        }
    }

    /// A NUL-terminated C field as text (`nil` when empty).
    private static func text<T>(of field: T) -> String? {
        withUnsafeBytes(of: field) { raw -> String? in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return end == 0 ? nil : String(decoding: bytes[..<end], as: UTF8.self)
        }
    }

    /// Reads everything the transfer observed. Call once, on the driver thread, before `cleanup`.
    func collect(code: CURLcode, cancelled: Bool) -> TransferResult {
        let p = record.pointee
        var failure: TransferFailure?
        let bodyCapped = p.body.truncated != 0 && code == CURLE_WRITE_ERROR
        let headerCapped = p.headers.truncated != 0 && code == CURLE_WRITE_ERROR
        if cancelled {
            failure = TransferFailure(kind: .cancelled, curlCode: 42, message: "cancelled")
        } else if p.local_exhausted != 0 {
            failure = TransferFailure(
                kind: .localResources, curlCode: Int(code.rawValue),
                message: "this machine ran out of file descriptors (raise `ulimit -n` or lower --concurrency)")
        } else if code != CURLE_OK, let refused = Self.text(of: record.pointee.egress_refused) {
            failure = TransferFailure(
                kind: .egress, curlCode: Int(code.rawValue),
                message: "không truy cập: địa chỉ nội bộ (not connected: \(refused) is inside the auditor's network)")
        } else if code != CURLE_OK && !bodyCapped {
            let message = Self.text(of: record.pointee.errbuf) ?? String(cString: curl_easy_strerror(code))
            failure = TransferFailure.from(code: Int(code.rawValue), message: message)
            if headerCapped {
                failure = TransferFailure(kind: .http, curlCode: 23, message: "response headers exceed the cap")
            }
        }
        var responseCode = 0
        var httpVersion = 0
        var connects = 0
        pa_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        pa_getinfo_long(handle, CURLINFO_HTTP_VERSION, &httpVersion)
        pa_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        var redirect: UnsafeMutablePointer<CChar>?
        pa_getinfo_str(handle, CURLINFO_REDIRECT_URL, &redirect)
        var ip: UnsafeMutablePointer<CChar>?
        pa_getinfo_str(handle, CURLINFO_PRIMARY_IP, &ip)
        func time(_ info: CURLINFO) -> Int {
            var value: curl_off_t = 0
            pa_getinfo_off(handle, info, &value)
            return Int(value)
        }
        let timings = TransferTimings(
            nameLookupUS: time(CURLINFO_NAMELOOKUP_TIME_T), connectUS: time(CURLINFO_CONNECT_TIME_T),
            appConnectUS: time(CURLINFO_APPCONNECT_TIME_T), preTransferUS: time(CURLINFO_PRETRANSFER_TIME_T),
            startTransferUS: time(CURLINFO_STARTTRANSFER_TIME_T), totalUS: time(CURLINFO_TOTAL_TIME_T))
        let versionCode: Int =
            switch httpVersion {
            case Int(CURL_HTTP_VERSION_1_0): 10
            case Int(CURL_HTTP_VERSION_1_1): 11
            case Int(CURL_HTTP_VERSION_2_0): 20
            case Int(CURL_HTTP_VERSION_3): 30
            default: 0
            }
        let ipText = ip.map { String(cString: $0) }
        return TransferResult(
            failure: failure,
            responseCode: responseCode,
            httpVersion: versionCode,
            redirectURL: redirect.map { String(cString: $0) },
            primaryIP: (ipText?.isEmpty ?? true) ? nil : ipText,
            headerLines: Self.lines(p.headers),
            headersTruncated: p.headers.truncated != 0,
            body: p.body.data.map {
                Array(
                    UnsafeBufferPointer(
                        start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: p.body.len))
            } ?? [],
            bodyTruncated: p.body.truncated != 0,
            timings: timings,
            handshake: Self.handshake(p),
            connections: connects,
            handshakes: Int(p.handshakes),
            tlsAttempted: request.url.lowercased().hasPrefix("https:") && connects > 0,
            durationMS: Int((ContinuousClock.now - startedAt) / .milliseconds(1)))
    }

    private static func lines(_ buffer: pa_buffer) -> [String] {
        guard let data = buffer.data, buffer.len > 0 else { return [] }
        let bytes = UnsafeBufferPointer(
            start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: buffer.len)
        // Split on LF and drop CR on bytes: "\r\n" is one Character in Swift (LIBCURL-NOTES §4).
        var out: [String] = []
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0x0A {
            var end = i
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            if end > start { out.append(String(decoding: bytes[start..<end], as: UTF8.self)) }
            start = i + 1
        }
        if start < bytes.count { out.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return out
    }

    private static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func handshake(_ p: pa_probe) -> HandshakeFacts? {
        guard p.handshakes > 0, let version = string(p.tls_version) else { return nil }
        var chain: [CertificateSummary] = []
        var chainDER: [[UInt8]] = []
        withUnsafeBytes(of: p.certs) { raw in
            let certs = raw.bindMemory(to: pa_cert.self)
            for i in 0..<min(Int(p.cert_count), certs.count) {
                chain.append(Certificates.summary(certs[i]))
                chainDER.append(Certificates.der(certs[i]))
            }
        }
        var errors: [(code: Int, depth: Int)] = []
        withUnsafeBytes(of: p.error_codes) { codesRaw in
            withUnsafeBytes(of: p.error_depths) { depthsRaw in
                let codes = codesRaw.bindMemory(to: Int32.self)
                let depths = depthsRaw.bindMemory(to: Int32.self)
                for i in 0..<min(Int(p.error_count), codes.count) {
                    errors.append((Int(codes[i]), Int(depths[i])))
                }
            }
        }
        return HandshakeFacts(
            version: version, cipher: string(p.cipher) ?? "", cipherStandardName: string(p.cipher_std),
            cipherIsAEAD: p.cipher_aead != 0, keyExchange: string(p.kx), ephemeralKeyType: string(p.tmp_key_type),
            ephemeralKeyBits: p.tmp_key_bits > 0 ? Int(p.tmp_key_bits) : nil, alpn: string(p.alpn),
            chain: chain, chainDER: chainDER,
            ocspStaple: p.ocsp_staple.map { Array(UnsafeBufferPointer(start: $0, count: p.ocsp_staple_len)) },
            verifyErrors: errors)
    }

    /// Frees the handle, its record and its lists. Call once, after the handle left the multi handle.
    func cleanup() {
        curl_easy_cleanup(handle)
        pa_probe_free(record)
        for list in [resolveList, headerList, recipientList] {
            if let list { curl_slist_free_all(list) }
        }
        resolveList = nil
        headerList = nil
        recipientList = nil
    }
}

/// Describes an X509 verification error code in OpenSSL's words.
public func x509ErrorDescription(_ code: Int) -> String {
    String(cString: pa_x509_error_string(Int32(code)))
}
